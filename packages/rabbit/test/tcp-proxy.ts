import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of the shared broker, so a test can cut this backend's
 * connections (and refuse new ones for a while) without touching the broker itself.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private refusing = false;
  private server: Server | undefined;
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, this.host);
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  }

  /** Destroys every proxied connection; with `refuseMs`, refuses new ones that long. */
  cut(refuseMs = 0): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (refuseMs > 0) {
      this.refusing = true;
      setTimeout(() => {
        this.refusing = false;
      }, refuseMs);
    }
  }

  async stop(): Promise<void> {
    this.refusing = true;
    this.cut();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** `url` with its host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
