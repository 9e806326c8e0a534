import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy between some workers and the server that can black-hole its connections:
 * stop forwarding in both directions without closing anything, as a dead network path or
 * a frozen NAT entry does. `heal()` forwards again what was held back.
 */
export class BlackHoleProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private holed = false;
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.once('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
        if (this.holed) s.pause();
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  /** Listens on an ephemeral loopback port; resolves it. */
  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        const addr = this.server.address();
        this.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
        resolve(this.port);
      });
    });
  }

  /** Stops forwarding: reads on both sides are paused, nothing is closed. */
  blackhole(): void {
    this.holed = true;
    for (const s of this.sockets) s.pause();
  }

  /** Forwards again. */
  heal(): void {
    this.holed = false;
    for (const s of this.sockets) s.resume();
  }

  /** Closes every connection and the listener. */
  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}
