#!/usr/bin/env node
import { runMq } from './mq/main.js';

runMq(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`mq: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
