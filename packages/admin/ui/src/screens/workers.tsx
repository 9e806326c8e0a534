import { useEffect, useState } from 'preact/hooks';
import { ago, api } from '../api';
import type { Workers } from '../types';

/** Workers and schedulers with heartbeat age; queues with work but no live worker. */
export function WorkersScreen() {
  const [r, setR] = useState<Workers | null>(null);
  useEffect(() => {
    const load = () => api<Workers>('/workers').then(setR);
    load();
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, []);
  if (!r) return <p>Loading…</p>;
  return (
    <section>
      <h2>Workers</h2>
      {r.unattended.length > 0 && (
        <p class="error" data-testid="unattended">
          Work but no live worker: {r.unattended.map((u) => `${u.queue} (${u.backend})`).join(', ')}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th>Kind</th>
            <th>Queue</th>
            <th>Host / pid</th>
            <th>Concurrency</th>
            <th>Heartbeat age</th>
          </tr>
        </thead>
        <tbody>
          {r.workers.map((w) => (
            <tr key={w.id}>
              <td>{w.id}</td>
              <td>{w.kind}</td>
              <td>{w.queue}</td>
              <td>
                {w.host} / {w.pid}
              </td>
              <td class="num">{w.concurrency}</td>
              <td>{ago(w.heartbeatAgeMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
