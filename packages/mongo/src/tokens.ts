import { randomBytes } from 'node:crypto';

/** Lease tokens: unique per process (random prefix) and per lease (counter). */
export class TokenSource {
  private readonly prefix = randomBytes(6).toString('hex');
  private n = 0;

  next(): string {
    return `${this.prefix}.${(++this.n).toString(36)}`;
  }
}
