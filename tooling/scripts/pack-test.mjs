// "Install only what you use", proven from published artifacts: pack the packages,
// install @mq/core and one backend tarball into a project outside the workspace with
// npm, and run a real job there.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll } from './pack.mjs';

const work = join(tmpdir(), 'mq-pack-test');
const tarballs = packAll(join(work, 'tarballs'));
const app = join(work, 'app');
rmSync(app, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
);
execFileSync(
  'npm',
  ['install', '--no-audit', '--no-fund', '--silent', tarballs['@mq/core'], tarballs['@mq/memory']],
  {
    cwd: app,
    stdio: 'inherit',
  },
);
writeFileSync(
  join(app, 'main.mjs'),
  `import { backendFromUrl, Queue, Worker } from '@mq/core';
// Through the URL loader, as an installed application names its backend.
const backend = await backendFromUrl('memory:');
const missing = await backendFromUrl('redis://127.0.0.1:6379').catch((e) => e);
if (missing?.code !== 'MQ_BACKEND_NOT_INSTALLED') { console.error('pack test: expected BackendNotInstalledError, got', missing); process.exit(1); }
const queue = new Queue('pack-test', { backend });
let done = 0;
const worker = new Worker('pack-test', async (job) => job.data.n * 2, { backend, concurrency: 4 });
worker.on('completed', () => { done++; });
await queue.addBulk(Array.from({ length: 100 }, (_, n) => ({ name: 'double', data: { n } })));
const deadline = Date.now() + 10_000;
while (done < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
await worker.close();
const counts = await queue.getCounts();
await backend.close();
if (done !== 100) { console.error('pack test: only', done, 'of 100 jobs completed', counts); process.exit(1); }
console.log('pack test: @mq/core + @mq/memory installed from tarballs ran 100 jobs via backendFromUrl(memory:)', JSON.stringify(counts));
`,
);
execFileSync('node', ['main.mjs'], { cwd: app, stdio: 'inherit' });
