import { describe, expect, it } from 'vitest';
import { ALL_SCRIPTS } from '../src/scripts/index.js';

// Each script carries only the library parts it asks for (an EVAL script re-creates its
// helpers on every call), so a missing part would only fail at run time, on the branch
// that calls it. This checks every helper a script calls is defined in that script.
const HELPERS = [
  'nowMs',
  'msS',
  'callList',
  'meta',
  'isPaused',
  'markRegistered',
  'wake',
  'delayedAdded',
  'msToNextDelayed',
  'readJob',
  'waitScore',
  'dedupRelease',
  'deleteJob',
  'delJobs',
  'trimFinished',
  'trimAge',
  'flushRetention',
  'keepOf',
  'finish',
  'promoteDue',
  'reserveSeqs',
  'flushAdds',
  'addJob',
  'reserve',
  'boundedInt',
];
const TABLES = ['STATE_KEY', 'JOB_FIELDS', 'TWO31', 'TWO32', 'PMAX', 'MAXD', 'MAXC', 'META'];

describe('redis backend: scripts', () => {
  it('define every helper and table they use', () => {
    for (const s of ALL_SCRIPTS) {
      for (const h of HELPERS) {
        if (new RegExp(`(^|[^\\w.])${h}\\(`).test(s.lua)) {
          expect(s.lua, `${s.name} calls ${h}`).toMatch(new RegExp(`local function ${h}\\(`));
        }
      }
      for (const t of TABLES) {
        if (new RegExp(`(^|[^\\w.'])${t}[^\\w]`).test(s.lua)) {
          expect(s.lua, `${s.name} uses ${t}`).toMatch(new RegExp(`local ${t}( |,)`));
        }
      }
    }
  });

  it('have distinct names and hashes', () => {
    expect(new Set(ALL_SCRIPTS.map((s) => s.name)).size).toBe(ALL_SCRIPTS.length);
    expect(new Set(ALL_SCRIPTS.map((s) => s.sha)).size).toBe(ALL_SCRIPTS.length);
  });
});
