import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server that can start holding: bytes in
 * both directions stop flowing while every socket stays open — a hung connection, as a
 * stuck middlebox or a frozen server host presents it. Nothing is ever closed by it
 * until `close()`.
 */
export class HoldProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private holding = false;
  /** The port clients connect to (after `start`). */
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens on `port` of 127.0.0.1 (default: an ephemeral one). */
  async start(port = 0): Promise<this> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const forward = (from: Socket, to: Socket) =>
        from.on('data', (chunk) => {
          // Held bytes are dropped: the peer never sees them, and nothing errors.
          if (!this.holding) to.write(chunk);
        });
      forward(client, upstream);
      forward(upstream, client);
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this;
  }

  /** From now on, nothing gets through, and no socket is closed. */
  hold(): void {
    this.holding = true;
  }

  /** Closes every socket and the listener. */
  async close(): Promise<void> {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
