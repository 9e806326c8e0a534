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
  url(scenario: string, viaPort?: number): string | null;
  /** The server's TCP port (what a proxy forwards to). */
  serverPort?: number;
  /** The URL the in-process bad-input fuzzing uses (every target has one). */
  fuzzUrl(): string;
  /** Why process-level faults do not apply, when `url` is null. */
  notShared?: string;
  /**
   * Server faults by kind; a scenario needing a kind the target lacks shows n/a.
   * `hard`: killed (or crashed) and restarted; `soft`: a clean restart; `everysec`: a
   * kill with the weaker fsync policy (Redis); `outage`: down for `OUTAGE_MS`.
   */
  server?: Partial<Record<ServerFault, { label: string; run(): Promise<void> }>>;
  /**
   * Opens a session that pins the MVCC horizon (`BEGIN; SELECT txid_current();` then
   * idle in transaction); resolves a function that commits and closes it.
   */
  pinHorizon?: () => Promise<() => Promise<void>>;
  /** Drops every client connection of the backend, server side. Label says how. */
  dropConnections?: { label: string; run(): Promise<void> };
  /** Starts the private server, if any. */
  start(): Promise<void>;
  /** Stops the private server and removes its files. Synchronous, for exit handlers. */
  destroy(): void;
}

/** The kinds of server fault a target may offer. */
export type ServerFault = 'hard' | 'soft' | 'everysec' | 'outage';

/** How long the `outage` fault keeps the server down, ms. */
export const OUTAGE_MS = 15_000;

const down = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Ports of the private servers (never the shared 6379 / 5432). */
export interface TargetPorts {
  redisPort: number;
  pgPort: number;
}

const memory = (): FaultTarget => ({
  name: 'memory',
  url: () => null,
  fuzzUrl: () => 'memory:',
  notShared: 'in-process store: no second process can share it',
  start: async () => {},
  destroy: () => {},
});

function redis(port: number): FaultTarget {
  const server = new PrivateRedis(port);
  return {
    name: 'redis',
    url: (scenario, viaPort) =>
      `redis://127.0.0.1:${viaPort ?? server.port}?prefix=faults-${scenario}`,
    serverPort: server.port,
    fuzzUrl: () => `${server.url}?prefix=faults-fuzz`,
    server: {
      hard: {
        label: 'kill -9 of redis-server (appendfsync always), restart replaying the AOF',
        run: async () => {
          await server.kill9();
          await server.start();
        },
      },
      soft: {
        label: 'SHUTDOWN (AOF fsynced), restart',
        run: async () => {
          await server.shutdown();
          await server.start();
        },
      },
      everysec: {
        label: 'CONFIG SET appendfsync everysec, kill -9, restart',
        run: async () => {
          await server.cli('CONFIG', 'SET', 'appendfsync', 'everysec');
          await server.kill9();
          await server.start();
        },
      },
      outage: {
        label: `kill -9, ${OUTAGE_MS / 1000} s down, restart`,
        run: async () => {
          await server.kill9();
          await down(OUTAGE_MS);
          await server.start();
        },
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
    url: (scenario, viaPort) =>
      `${server.urlVia(viaPort)}?schema=faults_${scenario.replaceAll('-', '_')}&migrate=true`,
    serverPort: server.port,
    fuzzUrl: () => `${server.url}?schema=faults_fuzz&migrate=true`,
    server: {
      hard: { label: 'pg_ctl restart -m immediate', run: () => server.restart('immediate') },
      soft: { label: 'pg_ctl restart -m fast', run: () => server.restart('fast') },
      outage: {
        label: `pg_ctl stop -m fast, ${OUTAGE_MS / 1000} s down, pg_ctl start`,
        run: async () => {
          await server.stop('fast');
          await down(OUTAGE_MS);
          await server.boot();
        },
      },
    },
    pinHorizon: () => server.idleInTransaction(),
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
