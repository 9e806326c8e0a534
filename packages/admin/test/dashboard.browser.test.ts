import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, serveAdmin, TOKENS, until } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// Every run saves a screenshot of each screen; into the README's folder only when asked
// (MQ_ADMIN_SCREENSHOTS=docs), so a test run leaves the tracked images alone.
const shots =
  process.env.MQ_ADMIN_SCREENSHOTS === 'docs'
    ? join(pkgDir, 'docs', 'screenshots')
    : join(tmpdir(), 'mq-admin-screenshots');
const built = existsSync(join(pkgDir, 'dist', 'ui', 'index.html'));
const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing (apt-get install chromium; tooling/services/provision.sh does it)`
  : !built
    ? 'the dashboard is not built (pnpm --filter @mq/admin build)'
    : undefined;
if (skip !== undefined) {
  if (process.env.MQ_REQUIRE_SERVICES === '1')
    throw new Error(`dashboard browser test cannot run: ${skip}`);
  console.warn(`[mq] dashboard browser test SKIPPED: ${skip}`);
}

describe.skipIf(skip !== undefined)('dashboard in headless Chromium', () => {
  const backend = createMemoryBackend();
  const payments = new Queue('payments', { backend });
  const emails = new Queue('emails', { backend });
  let failing = true;
  let worker: Worker;
  let served: Served;
  let browser: Browser;
  let page: Page;

  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await emails.addBulk(
      [1, 2, 3].map((i) => ({ name: 'welcome', data: { i, apiKey: 'sk-live-123' } })),
    );
    await payments.addBulk(
      [4242, 1881, 5555, 1234, 9876, 3141].map((card) => ({
        name: 'charge',
        data: { card, amount: card % 100 },
        opts: { attempts: 1 },
      })),
    );
    worker = new Worker(
      'payments',
      async (job) => {
        if (failing)
          throw new Error(
            `card ${String((job.data as { card: number }).card)} declined by gateway`,
          );
        return { charged: true };
      },
      { backend, concurrency: 2, heartbeatIntervalMs: 200 },
    );
    const mailer = new Worker('emails', async () => ({ sent: true }), {
      backend,
      heartbeatIntervalMs: 200,
    });
    await until(
      async () =>
        (await payments.getCounts()).failed === 6 && (await emails.getCounts()).completed === 3,
      10_000,
      'setup',
    );
    await mailer.close();
    served = await serveAdmin({ backends: { main: backend }, snapshotMs: 300, liveCountsMs: 300 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await payments.close();
    await emails.close();
    await served?.close();
    await backend.close();
  });

  it('refuses a wrong token, then logs in', async () => {
    await page.goto(`${served.url}/`);
    await page.fill('input[name=token]', 'wrong-token-wrong-token');
    await page.click('button[type=submit]');
    await page.waitForSelector('.login .error');
    expect(await page.textContent('.login .error')).toMatch(/not valid/);
    await page.fill('input[name=token]', TOKENS.admin);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=overview]');
    expect(await page.textContent('[data-testid=me]')).toContain('ada (admin)');
  });

  it('finds the failing queue on the overview', async () => {
    const row = page.locator('tr[data-queue=payments]');
    await row.waitFor();
    expect(await row.locator('td[data-col=failed]').textContent()).toBe('6');
    await shot('overview');
    await row.locator('a').click();
    await page.waitForSelector('[data-testid=counts]');
    expect(await page.locator('li[data-check=paused]').getAttribute('class')).toBe('ok');
    expect(await page.locator('li[data-check=live-workers]').getAttribute('class')).toBe('ok');
    await shot('queue-health');
  });

  it('opens the failure group and canary-retries it; the counts change live', async () => {
    await page.fill('input[name=reason]', 'gateway fixed, canary first');
    await page.click('nav.tabs button:text("failures")');
    const group = page.locator('[data-testid=groups] tbody tr');
    await group.first().waitFor();
    expect(await group.count()).toBe(1);
    expect(await group.first().textContent()).toContain('card <n> declined by gateway');
    await shot('failures');
    failing = false;
    await group.first().locator('button:text("Canary retry")').click();
    await page.waitForSelector('[data-testid=waves] li');
    expect(await page.locator('[data-testid=waves] li').count()).toBe(3);
    // The counts follow the SSE plane, without a reload.
    await page
      .locator('[data-state=failed] b')
      .filter({ hasText: /^0$/ })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-state=completed] b').textContent()).toBe('6');
    expect((await payments.getCounts()).failed).toBe(0);
  });

  it('pauses and resumes the queue', async () => {
    await page.click('button:text("Pause")');
    await page.waitForSelector('[data-testid=paused]');
    expect(await payments.isPaused()).toBe(true);
    await page.click('button:text("Resume")');
    await page.waitForSelector('[data-testid=paused]', { state: 'detached' });
    expect(await payments.isPaused()).toBe(false);
  });

  it('refuses obliterate without the typed confirmation', async () => {
    await page.click('nav.tabs button:text("cleanup")');
    await page.click('button:text("Dry run obliterate")');
    await page.waitForSelector('[data-testid=confirm]');
    expect(await page.textContent('[data-testid=dry-count]')).toBe('6');
    await page.fill('input[name=confirm-name]', 'paymentz');
    await shot('cleanup');
    await page.click('button:text("Confirm obliterate")');
    await page.waitForSelector('p.message:has-text("typed")');
    expect((await payments.getCounts()).completed).toBe(6);
  });

  it('shows the audit log with each action', async () => {
    await page.goto(`${served.url}/#/audit`);
    await page.waitForSelector('[data-testid=audit] tbody tr');
    const text = await page.textContent('[data-testid=audit]');
    expect(text).toContain('jobs.canaryRetry');
    expect(text).toContain('queue.pause');
    expect(text).toContain('queue.obliterate');
    expect(text).toContain('gateway fixed, canary first');
    await shot('audit');
    await page.goto(`${served.url}/#/workers`);
    await page.waitForSelector('table tbody tr');
    await shot('workers');
    const [first] = await emails.getJobs('completed');
    await page.goto(`${served.url}/#/q/main/emails/${first!.id}`);
    await page.waitForSelector('[data-testid=job-data]');
    expect(await page.textContent('[data-testid=job-data]')).toContain('[redacted]');
    expect(await page.textContent('body')).not.toContain('sk-live-123');
    await shot('job');
  });
});
