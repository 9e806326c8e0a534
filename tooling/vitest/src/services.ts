import { request } from 'node:http';

/**
 * The servers a backend suite can need. `mongo-java` is mongo-java-server (an in-memory
 * MongoDB-wire server with atomic single-document writes) from `tooling/services`; it has
 * no container, so only `MQ_MONGO_JAVA_URL` provides it.
 */
export type ServiceKind = 'redis' | 'postgres' | 'mongo' | 'mongo-java' | 'amqp';

/** Either a URL to a running server, or the reason the suite must be skipped. */
export type ResolvedService =
  | { url: string; source: 'env' | 'testcontainers'; skip?: undefined }
  | { url?: undefined; skip: string };

const ENV: Record<ServiceKind, string> = {
  redis: 'MQ_REDIS_URL',
  postgres: 'MQ_POSTGRES_URL',
  mongo: 'MQ_MONGO_URL',
  'mongo-java': 'MQ_MONGO_JAVA_URL',
  amqp: 'MQ_AMQP_URL',
};

/** True when `MQ_REQUIRE_SERVICES=1`: CI sets it so that a missing server fails the run. */
export function requireServices(): boolean {
  return process.env.MQ_REQUIRE_SERVICES === '1';
}

const cache = new Map<ServiceKind, Promise<ResolvedService>>();

/**
 * Finds a server for `kind`: an explicit `MQ_*_URL` wins; else a testcontainers
 * container when a Docker engine answers; else a skip with a specific reason. With
 * `MQ_REQUIRE_SERVICES=1` the skip becomes a thrown error, so CI cannot go green by
 * skipping.
 */
export function resolveService(kind: ServiceKind): Promise<ResolvedService> {
  let found = cache.get(kind);
  if (!found) {
    found = resolve(kind).then((r) => {
      if (r.skip !== undefined) {
        const msg = `[mq] ${kind} suite SKIPPED: ${r.skip}`;
        if (requireServices())
          throw new Error(`${msg} (MQ_REQUIRE_SERVICES=1 makes this a failure)`);
        console.warn(`\n${'!'.repeat(72)}\n${msg}\n${'!'.repeat(72)}\n`);
      }
      return r;
    });
    cache.set(kind, found);
  }
  return found;
}

async function resolve(kind: ServiceKind): Promise<ResolvedService> {
  const url = process.env[ENV[kind]];
  if (url) return { url, source: 'env' };
  if (kind === 'mongo-java') {
    return {
      skip: `${ENV[kind]} is not set. mongo-java-server has no container image here: start it with 'bash tooling/services/provision.sh' and export the URLs it prints (with Docker, the 'mongo' service runs a real MongoDB).`,
    };
  }
  if (!(await dockerAnswers())) {
    return {
      skip: `${ENV[kind]} is not set and no Docker engine answers. Start local servers with 'bash tooling/services/provision.sh' and export the URLs it prints, or run 'docker compose -f docker/compose.yml up -d'.`,
    };
  }
  try {
    return { url: await startContainer(kind), source: 'testcontainers' };
  } catch (err) {
    return {
      skip: `a Docker engine answers but the ${kind} container failed to start: ${String(err)}`,
    };
  }
}

function dockerAnswers(): Promise<boolean> {
  const socketPath = process.env.DOCKER_HOST?.startsWith('unix://')
    ? process.env.DOCKER_HOST.slice('unix://'.length)
    : '/var/run/docker.sock';
  return new Promise((done) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => {
      req.destroy();
      done(false);
    });
    req.end();
  });
}

// Containers started here live as long as the test process; Ryuk reaps them after.
async function startContainer(kind: ServiceKind): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  switch (kind) {
    case 'redis': {
      const c = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
      return `redis://${c.getHost()}:${c.getMappedPort(6379)}`;
    }
    case 'postgres': {
      const c = await new GenericContainer('postgres:16-alpine')
        .withEnvironment({ POSTGRES_USER: 'mq', POSTGRES_PASSWORD: 'mq', POSTGRES_DB: 'mq_test' })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
        .start();
      return `postgres://mq:mq@${c.getHost()}:${c.getMappedPort(5432)}/mq_test`;
    }
    case 'mongo': {
      const c = await new GenericContainer('mongo:7').withExposedPorts(27017).start();
      return `mongodb://${c.getHost()}:${c.getMappedPort(27017)}/`;
    }
    case 'mongo-java':
      throw new Error('mongo-java-server has no container (see resolve)');
    case 'amqp': {
      const c = await new GenericContainer('rabbitmq:3.13-alpine')
        .withEnvironment({ RABBITMQ_DEFAULT_USER: 'mq', RABBITMQ_DEFAULT_PASS: 'mq' })
        .withExposedPorts(5672)
        .withWaitStrategy(Wait.forLogMessage(/Server startup complete/))
        .start();
      return `amqp://mq:mq@${c.getHost()}:${c.getMappedPort(5672)}`;
    }
  }
}
