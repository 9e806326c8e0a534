#!/usr/bin/env node
// Committed so the bin exists from `pnpm install` on (a bin in dist/ would not until the
// first build). The command itself is built to dist/cli/mq.js.
import('../dist/cli/mq.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('mq.js')) {
    console.error('[mq] not built yet: run `pnpm build` in the repository first.');
    process.exit(1);
  }
  throw error;
});
