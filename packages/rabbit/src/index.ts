/**
 * RabbitMQ backend for @mq (AMQP delivery + a metadata store).
 *
 * Not implemented yet: this package exports nothing until its issue lands.
 */
export {};
