import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin, toNodeListener } from '@mq/admin';
import type { Backend } from '@mq/core';

/** The demo's dashboard: where it listens and the token that opens it. */
export interface DemoDashboard {
  /** E.g. `http://127.0.0.1:7070/`. */
  url: string;
  /** A fresh admin token for this run (the dashboard asks for it once per tab). */
  token: string;
  close(): Promise<void>;
}

/**
 * Serves the @mq/admin dashboard and API for `backend` on 127.0.0.1:`port` (0 picks a
 * free port). Secure by default even here: a random admin token, shown once.
 */
export async function startDashboard(backend: Backend, port: number): Promise<DemoDashboard> {
  const token = randomBytes(24).toString('base64url');
  const admin = createAdmin({ backend, auth: { tokens: [{ token, role: 'admin', id: 'demo' }] } });
  const server = createServer(toNodeListener(admin));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    token,
    close: async () => {
      // Open live (SSE) streams would hold the close forever.
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await admin.close();
    },
  };
}
