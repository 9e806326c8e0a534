/**
 * PostgreSQL backend for @mq (pg, SKIP LOCKED, LISTEN/NOTIFY).
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
