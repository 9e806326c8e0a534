import { describe, expect, it } from 'vitest';
import { runAllSteps } from '../src/systems/teardown.js';

describe('runAllSteps', () => {
  it('runs every step after a failure and throws the first failure', async () => {
    const ran: string[] = [];
    const steps = [
      async () => {
        ran.push('stop workers');
        throw new Error('already stopped');
      },
      () => {
        ran.push('close');
      },
      async () => {
        ran.push('drop schema');
        throw new Error('second');
      },
    ];
    await expect(runAllSteps(steps)).rejects.toThrow('already stopped');
    expect(ran).toEqual(['stop workers', 'close', 'drop schema']);
  });
});
