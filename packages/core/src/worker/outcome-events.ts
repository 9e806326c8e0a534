import type { QueueEventInput, Settlement } from '../contract/index.js';

/** Results longer than this are left out of `completed` events (fetch the job for them). */
const MAX_EVENT_RESULT = 4096;

/** The bus event a settled outcome publishes; null for a hand-back (`released`). */
export function outcomeEvent(jobId: string, s: Settlement, at: number): QueueEventInput | null {
  switch (s.kind) {
    case 'completed':
      return s.result !== undefined && s.result.length <= MAX_EVENT_RESULT
        ? { type: 'completed', jobId, at, data: { result: s.result } }
        : { type: 'completed', jobId, at };
    case 'retry':
      return { type: 'retrying', jobId, at, data: { error: s.error.message, runAt: s.runAt } };
    case 'failed':
      return { type: 'failed', jobId, at, data: { error: s.error.message, name: s.error.name } };
    case 'released':
      return null;
  }
}
