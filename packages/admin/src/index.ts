/**
 * @mq/admin: the operations layer (typed, validated, role-checked and audited views and
 * actions over any @mq backend) and its HTTP face.
 */
export * from './errors.js';
export * from './operations/index.js';
export * from './http/index.js';
export * from './metrics/index.js';
