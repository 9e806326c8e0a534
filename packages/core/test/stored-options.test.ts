import { describe, expect, it } from 'vitest';
import { parseStoredOptions } from '../src/backend-kit/index.js';

describe('parseStoredOptions', () => {
  it('parses, shares one frozen object per distinct text', () => {
    const text = JSON.stringify({
      attempts: 3,
      backoff: { type: 'fixed', delay: 10 },
      removeOnComplete: { count: 5 },
      removeOnFail: false,
    });
    const a = parseStoredOptions(text);
    expect(a).toEqual(JSON.parse(text));
    expect(parseStoredOptions(text)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.backoff)).toBe(true);
    expect(Object.isFrozen(a.removeOnComplete)).toBe(true);
  });

  it('stays correct past its cache size', () => {
    for (let i = 0; i < 600; i++) {
      const text = `{"attempts":${i + 1},"removeOnComplete":true,"removeOnFail":true}`;
      expect(parseStoredOptions(text).attempts).toBe(i + 1);
    }
  });
});
