/**
 * MongoDB backend for @mq.
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
