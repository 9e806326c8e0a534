import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { AMQP_URL } from '../services.js';
import {
  addConcurrently,
  addInBatches,
  type BenchPayload,
  DrainClock,
  FILL_BATCH,
  LatencyProbe,
} from './drive.js';
import type { BenchSystem, DrainResult, SystemFactory } from './system.js';
import { runAllSteps } from './teardown.js';

/**
 * Raw amqplib on the same broker: a durable quorum queue, persistent messages with
 * publisher confirms, one consumer with prefetch = c and manual acks. No job state at
 * all — the floor of what delivery through RabbitMQ costs.
 */
export function amqplibRaw(url = AMQP_URL): SystemFactory {
  return {
    id: 'amqplib',
    label: 'amqplib (raw)',
    ours: false,
    notes:
      'amqplib (raw): `noDelay`, durable quorum queue, persistent messages, publisher confirms awaited per ' +
      'call, one consumer with prefetch = c and manual acks; no job state, no store.',
    check: async () => {
      try {
        await (await amqp.connect(url)).close();
        return null;
      } catch (err) {
        return `rabbitmq at ${url} does not answer: ${String(err)}`;
      }
    },
    create: (runId) => new RawSystem(url, `bench.raw.${runId}`),
  };
}

class RawSystem implements BenchSystem {
  private conn: ChannelModel | null = null;
  private pub: ConfirmChannel | null = null;
  private consumer: Channel | null = null;

  constructor(
    private readonly url: string,
    private readonly queue: string,
  ) {}

  async setup(): Promise<void> {
    this.conn = await amqp.connect(this.url, { noDelay: true });
    this.pub = await this.conn.createConfirmChannel();
    await this.pub.assertQueue(this.queue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
    });
  }

  private send(p: BenchPayload): Promise<void> {
    const ch = this.pub;
    if (!ch) throw new Error('not set up');
    return new Promise((resolve, reject) =>
      ch.sendToQueue(this.queue, Buffer.from(JSON.stringify(p)), { persistent: true }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }

  addSingle(n: number, inFlight: number): Promise<number> {
    return addConcurrently(n, inFlight, (i) => this.send({ i }));
  }

  addBulk(n: number, batch: number): Promise<number> {
    return addInBatches(n, batch, (ps) => Promise.all(ps.map((p) => this.send(p))));
  }

  private async consume(prefetch: number, onMessage: (p: BenchPayload) => void): Promise<void> {
    const conn = this.conn;
    if (!conn) throw new Error('not set up');
    const ch = await conn.createChannel();
    this.consumer = ch;
    await ch.prefetch(prefetch);
    await ch.consume(this.queue, (msg) => {
      if (msg === null) return;
      onMessage(JSON.parse(msg.content.toString()) as BenchPayload);
      ch.ack(msg);
    });
  }

  private async stopConsumer(): Promise<void> {
    await this.consumer?.close().catch(() => {});
    this.consumer = null;
  }

  async drain(n: number, concurrency: number, waiting = n): Promise<DrainResult> {
    await this.addBulk(waiting, FILL_BATCH);
    const clock = new DrainClock(n);
    await this.consume(concurrency, () => {
      clock.onStart();
      clock.onCompleted();
    });
    await clock.done;
    await this.stopConsumer();
    return { ms: clock.ms, completed: clock.completed };
  }

  async latency(samples: number): Promise<number[]> {
    const probe = new LatencyProbe();
    await this.consume(1, (p) => probe.started(p.i));
    const result = await probe.run(samples, (i) => this.send({ i }));
    await this.stopConsumer();
    return result;
  }

  async teardown(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    await runAllSteps([
      () => this.stopConsumer(),
      async () => {
        if (!conn) return;
        const ch = await conn.createChannel();
        await ch.deleteQueue(this.queue);
      },
      () => conn?.close(),
    ]);
  }
}
