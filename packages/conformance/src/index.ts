/**
 * The @mq backend conformance suite, for first- and third-party backends.
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
