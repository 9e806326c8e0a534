import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { fingerprint, MASK, normaliseMessage, Redactor, topFrame } from '../src/index.js';

describe('redaction', () => {
  it('masks secret-looking keys at any depth by default', () => {
    const r = new Redactor();
    const out = r.json(
      'q',
      't',
      JSON.stringify({
        a: 1,
        auth: { apiKey: 'k', nested: [{ password: 'p', ok: 2 }] },
        Authorization: 'Bearer x',
      }),
    );
    expect(out).toEqual({
      a: 1,
      auth: { apiKey: MASK, nested: [{ password: MASK, ok: 2 }] },
      Authorization: MASK,
    });
  });

  it('masks per-queue paths with wildcards, and only on that queue', () => {
    const r = new Redactor({ keys: null, paths: { pay: ['items.*.card', 'user.email'] } });
    const data = JSON.stringify({
      user: { email: 'e', name: 'n' },
      items: [{ card: '4242', sku: 1 }, { card: '1881' }],
    });
    expect(r.json('pay', 't', data)).toEqual({
      user: { email: MASK, name: 'n' },
      items: [{ card: MASK, sku: 1 }, { card: MASK }],
    });
    expect(r.json('other', 't', data)).toEqual(JSON.parse(data));
  });

  it("masks the fields a task's schema marks sensitive", () => {
    const schema = Type.Object({
      to: Type.String(),
      token: Type.String(),
      profile: Type.Object({ ssnLike: Type.String({ sensitive: true }) }),
      list: Type.Array(Type.Object({ secretish: Type.String({ sensitive: true }) })),
    });
    const r = new Redactor({ keys: null, schemas: { mail: { send: schema } } });
    const out = r.json(
      'mail',
      'send',
      JSON.stringify({
        to: 'a',
        token: 't',
        profile: { ssnLike: 'x' },
        list: [{ secretish: 's' }],
      }),
    );
    expect(out).toEqual({
      to: 'a',
      token: 't',
      profile: { ssnLike: MASK },
      list: [{ secretish: MASK }],
    });
    // Another task of the queue is not covered by that schema.
    expect(r.json('mail', 'other', JSON.stringify({ profile: { ssnLike: 'x' } }))).toEqual({
      profile: { ssnLike: 'x' },
    });
  });
});

describe('error fingerprints', () => {
  it('groups messages that differ only in numbers, ids and quoted values', () => {
    expect(normaliseMessage('user 42 not found')).toBe(normaliseMessage('user 7 not found'));
    expect(normaliseMessage('job 0f8fad5b-d9cb-469f-a165-70867728950e lost')).toBe(
      'job <uuid> lost',
    );
    expect(normaliseMessage('key "abc" missing')).toBe('key <str> missing');
    expect(normaliseMessage('timeout')).not.toBe(normaliseMessage('refused'));
  });

  it('uses the top frame without line numbers, so a deploy keeps the group', () => {
    const a = 'Error: x\n    at charge (/app/pay.js:10:5)\n    at run (/app/w.js:1:1)';
    const b = 'Error: x\n    at charge (/app/pay.js:99:7)\n    at run (/app/w.js:1:1)';
    expect(topFrame(a)).toBe('charge (/app/pay.js)');
    expect(fingerprint({ name: 'Error', message: 'x', stack: a }).id).toBe(
      fingerprint({ name: 'Error', message: 'x', stack: b }).id,
    );
    expect(fingerprint({ name: 'TypeError', message: 'x', stack: a }).id).not.toBe(
      fingerprint({ name: 'Error', message: 'x', stack: a }).id,
    );
  });
});
