/**
 * Redis backend for @mq (ioredis + Lua).
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
