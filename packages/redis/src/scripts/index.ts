import type { Script } from '../script-runner.js';
import * as admin from './admin.js';
import * as coordination from './coordination.js';
import * as jobs from './jobs.js';
import * as schedules from './schedules.js';

const isScript = (v: unknown): v is Script =>
  typeof v === 'object' && v !== null && 'sha' in v && 'lua' in v;

/** Every script, for `SCRIPT LOAD` in `ready()`. */
export const ALL_SCRIPTS: readonly Script[] = [jobs, admin, schedules, coordination].flatMap(
  (mod) => Object.values(mod).filter(isScript),
);
