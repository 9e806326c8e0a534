import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { describe, expect, it } from 'vitest';
import { collectMetrics, createOperations, createWorkerMetrics } from '../src/index.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');

/** Every `mq_…` series name an expression uses. */
function names(expr: string): string[] {
  return [...expr.matchAll(/\bmq_[a-z_]+/g)].map((m) => m[0]);
}

describe('the Grafana dashboard and alert rules', () => {
  it('use only series the collectors emit', async () => {
    const backend = createMemoryBackend();
    const metrics = createWorkerMetrics();
    const q = new Queue('d', { backend });
    await q.add('x', {});
    const w = new Worker('d', async () => 1, { backend });
    metrics.observe(w);
    await new Promise<void>((r) => w.once('completed', () => r()));
    await w.close();
    const ops = createOperations({ backend });
    const text = await collectMetrics(ops, { workers: metrics });
    await ops.close();
    await q.close();
    await backend.close();
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, n, t]) =>
      t === 'histogram' ? [`${n}_bucket`, `${n}_sum`, `${n}_count`] : [n as string],
    );
    const dashboard = JSON.parse(readFileSync(join(docs, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    const alerts = readFileSync(join(docs, 'alerts.yml'), 'utf8');
    const alertExprs = [...alerts.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1] as string);
    expect(alertExprs).toHaveLength(5);
    expect([...alerts.matchAll(/alert: (\w+)/g)].map((m) => m[1])).toEqual([
      'MqBacklogRising',
      'MqDeadLetterGrowth',
      'MqNoLiveWorker',
      'MqWorkerHeartbeatStale',
      'MqScheduleDrift',
    ]);
    const used = new Set([...exprs, ...alertExprs].flatMap(names));
    expect([...used].filter((n) => !families.includes(n))).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });
});
