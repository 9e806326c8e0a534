import { createHash } from 'node:crypto';
import type { JobErrorInfo } from '@mq/core';

/**
 * The message with what varies between occurrences of one fault replaced: UUIDs, long
 * hex ids, numbers and quoted values. "User 42 not found" and "User 7 not found" are one
 * group; "timeout" and "refused" are two.
 */
export function normaliseMessage(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<id>')
    .replace(/(["'`])(?:(?!\1).){0,200}\1/g, '<str>')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .slice(0, 300);
}

/**
 * The first stack frame naming a place, without line and column (so one fault keeps its
 * group across deploys that move lines). Empty when the stack has none.
 */
export function topFrame(stack: string | undefined): string {
  if (!stack) return '';
  for (const line of stack.split('\n')) {
    const t = line.trim();
    if (t.startsWith('at ')) return t.slice(3).replace(/:\d+(:\d+)?(\)?)$/, '$2');
  }
  return '';
}

/** What groups errors: name, normalised message and top frame, with a short stable id. */
export interface Fingerprint {
  id: string;
  name: string;
  message: string;
  frame: string;
}

/** The fingerprint of a recorded error. */
export function fingerprint(error: JobErrorInfo): Fingerprint {
  const message = normaliseMessage(error.message);
  const frame = topFrame(error.stack);
  const id = createHash('sha1')
    .update(`${error.name}\n${message}\n${frame}`)
    .digest('hex')
    .slice(0, 12);
  return { id, name: error.name, message, frame };
}
