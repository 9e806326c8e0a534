/**
 * The @mq runtime: Queue, Worker, Job, the backend contract, options and errors.
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
