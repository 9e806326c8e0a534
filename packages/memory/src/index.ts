/**
 * In-process backend for @mq: the reference implementation and the embedded default.
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
