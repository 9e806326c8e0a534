import { PrivatePostgres } from './servers/postgres.js';
import { PrivateRedis } from './servers/redis.js';

/**
 * One backend under test: how to reach it and the server-side faults it can suffer. A new
 * backend is one more entry of this shape (see {@link createTargets}); a scenario runs
 * on every target that has what it needs and shows `n/a` with the reason elsewhere.
 */
export interface FaultTarget {
  name: string;
  /**
   * The backend URL for one scenario, isolated from the others (prefix, schema); null
   * when workers in other processes cannot share the backend (memory).
   */
  url(scenario: string): string | null;
  /** Why process-level faults do not apply, when `url` is null. */
  notShared?: string;
  /** Stops the server hard and starts it again; resolves when it answers. Label says how. */
  restartServer?: { label: string; run(): Promise<void> };
  /** Drops every client connection of the backend, server side. Label says how. */
  dropConnections?: { label: string; run(): Promise<void> };
  /** Starts the private server, if any. */
  start(): Promise<void>;
  /** Stops the private server and removes its files. Synchronous, for exit handlers. */
  destroy(): void;
}

/** Ports of the private servers (never the shared 6379 / 5432). */
export interface TargetPorts {
  redisPort: number;
  pgPort: number;
}

const memory = (): FaultTarget => ({
  name: 'memory',
  url: () => null,
  notShared: 'in-process store: no second process can share it',
  start: async () => {},
  destroy: () => {},
});

function redis(port: number): FaultTarget {
  const server = new PrivateRedis(port);
  return {
    name: 'redis',
    url: (scenario) => `${server.url}?prefix=faults-${scenario}`,
    restartServer: {
      label: 'kill -9 of redis-server, restart replaying the AOF (appendfsync always)',
      run: async () => {
        await server.kill9();
        await server.start();
      },
    },
    dropConnections: {
      label: 'CLIENT KILL TYPE normal + pubsub',
      run: async () => {
        await server.cli('CLIENT', 'KILL', 'TYPE', 'normal');
        await server.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
      },
    },
    start: () => server.start(),
    destroy: () => server.destroy(),
  };
}

function postgres(port: number): FaultTarget {
  const server = new PrivatePostgres(port);
  return {
    name: 'postgres',
    url: (scenario) => `${server.url}?schema=faults_${scenario.replaceAll('-', '_')}&migrate=true`,
    restartServer: {
      label: 'pg_ctl restart -m immediate',
      run: () => server.restart('immediate'),
    },
    dropConnections: {
      label: 'pg_terminate_backend of every client connection, LISTEN included',
      run: async () => {
        await server.psql(
          'faults',
          `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
           WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        );
      },
    },
    start: () => server.start(),
    destroy: () => server.destroy(),
  };
}

/** Every target, in table order. `only` keeps those named. */
export function createTargets(ports: TargetPorts, only?: string[]): FaultTarget[] {
  const factories: Record<string, () => FaultTarget> = {
    memory,
    redis: () => redis(ports.redisPort),
    postgres: () => postgres(ports.pgPort),
  };
  return Object.entries(factories)
    .filter(([name]) => only === undefined || only.includes(name))
    .map(([, make]) => make());
}
