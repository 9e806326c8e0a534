import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/** Where tooling/services/provision.sh builds mongo-java-server. */
const HOME = '/opt/mq/mongo-java-server';

/** True when the provisioned mongo-java-server build is on this machine. */
export function privateServerAvailable(): boolean {
  return existsSync(`${HOME}/classes/MongoJavaServer.class`);
}

/** A private mongo-java-server on `port`, for tests that stop and start their server. */
export class PrivateServer {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  /** Starts the server; resolves once its port accepts connections. */
  async start(): Promise<void> {
    this.child = spawn(
      'java',
      [
        '-Xmx256m',
        '-cp',
        `${HOME}/classes:${HOME}/lib/*`,
        'MongoJavaServer',
        '127.0.0.1',
        String(this.port),
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    while (!(await accepts(this.port))) {
      if (Date.now() > deadline)
        throw new Error(`private mongo-java-server did not start on ${this.port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Kills the server (SIGKILL) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
