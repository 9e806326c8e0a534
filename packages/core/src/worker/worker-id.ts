import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** `<host>:<pid>:<random>`: unique, and tells an operator where the worker runs. */
export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
