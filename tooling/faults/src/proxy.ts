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
  private readonly flushers = new Set<() => void>();
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
      }
      this.forward(client, upstream);
      this.forward(upstream, client);
    });
  }

  /**
   * Copies `from` to `to`, except while black-holed: then chunks are held back (not
   * `pipe()`, which resumes a paused source whenever the destination drains).
   */
  private forward(from: Socket, to: Socket): void {
    const held: Buffer[] = [];
    from.on('data', (chunk: Buffer) => {
      if (this.holed) held.push(chunk);
      else to.write(chunk);
    });
    from.once('end', () => to.end());
    this.flushers.add(() => {
      for (const c of held.splice(0)) to.write(c);
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

  /** Stops forwarding in both directions; nothing is closed. */
  blackhole(): void {
    this.holed = true;
  }

  /** Forwards again, what was held back first. */
  heal(): void {
    this.holed = false;
    for (const flush of this.flushers) flush();
  }

  /** Closes every connection and the listener. */
  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}
