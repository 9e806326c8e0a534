/**
 * Admin HTTP API, dashboard and CLI for @mq.
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
