import { createMemoryBackend } from '@mq/memory';
import { describe, expect, it } from 'vitest';
import { startDashboard } from '../src/dashboard.js';
import { runDemo } from '../src/run-demo.js';

describe('the demo dashboard', () => {
  it('serves the demo queues to its token only, and closes cleanly', async () => {
    const backend = createMemoryBackend();
    const dashboard = await startDashboard(backend, 0);
    try {
      const out = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
      await runDemo({ durationMs: 1000, out, backend, colors: false });
      const api = new URL('api/queues', dashboard.url);
      expect((await fetch(api)).status).toBe(401);
      const res = await fetch(api, { headers: { authorization: `Bearer ${dashboard.token}` } });
      expect(res.status).toBe(200);
      const body = JSON.stringify(await res.json());
      expect(body).toContain('emails');
      expect(body).toContain('webhooks');
      const page = await fetch(dashboard.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    } finally {
      await dashboard.close();
      await backend.close();
    }
  });
});
