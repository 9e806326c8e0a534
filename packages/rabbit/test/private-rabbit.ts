import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@mq/test-services';

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** Why a private broker cannot run here, if it cannot. */
export function privateRabbitSkip(): string | undefined {
  if (!existsSync(SERVER)) return `${SERVER} is not installed (Debian package rabbitmq-server)`;
  return undefined;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * A RabbitMQ node of its own (own node name, ports, data and log directories, user
 * guest on loopback), so a test can stop and restart a broker without touching the
 * shared one. Its data survives `restart()`.
 */
export class PrivateRabbit {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'mqt-rabbit-'));
  port = 0;
  private distPort = 0;
  private readonly node = `mqt${process.pid}x${Date.now() % 100000}@localhost`;

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) {
      this.port = await freePort();
      this.distPort = await freePort();
      mkdirSync(join(this.dir, 'home'));
      writeFileSync(join(this.dir, 'enabled_plugins'), '[].\n');
      writeFileSync(join(this.dir, 'env.conf'), '');
      writeFileSync(
        join(this.dir, 'rabbitmq.conf'),
        `listeners.tcp.default = 127.0.0.1:${this.port}\n`,
      );
    }
    const d = this.dir;
    this.proc = spawn(SERVER, [], {
      detached: true,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        HOME: join(d, 'home'),
        ERL_EPMD_ADDRESS: '127.0.0.1',
        RABBITMQ_CONF_ENV_FILE: join(d, 'env.conf'),
        RABBITMQ_NODENAME: this.node,
        RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
        RABBITMQ_NODE_PORT: String(this.port),
        RABBITMQ_DIST_PORT: String(this.distPort),
        RABBITMQ_MNESIA_BASE: join(d, 'mnesia'),
        RABBITMQ_LOG_BASE: join(d, 'log'),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(d, 'enabled_plugins'),
        RABBITMQ_CONFIG_FILE: join(d, 'rabbitmq'),
        RABBITMQ_PID_FILE: join(d, 'pid'),
        SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      },
    });
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      if (await portOpen(this.port)) return;
      if (this.proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the private RabbitMQ node did not start; see ${join(d, 'log')}`);
  }

  /** Stops the node (SIGTERM to its process group) and waits for it to exit. */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc?.pid || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    process.kill(-proc.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (proc.pid) process.kill(-proc.pid, 'SIGKILL');
    }, 20_000);
    await exited;
    clearTimeout(timer);
    while (await portOpen(this.port)) await new Promise((r) => setTimeout(r, 100));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the node and deletes its files. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
