/**
 * Scheduler for @mq: durable repeatables, stalled recovery, retention.
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
