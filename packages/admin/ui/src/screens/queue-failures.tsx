import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Canary, FailureGroups } from '../types';
import type { QueueCtx } from './queue';

/** Failures grouped by fingerprint, each with a canary retry. */
export function Failures(props: { ctx: QueueCtx }) {
  const [groups, setGroups] = useState<FailureGroups['groups']>([]);
  const [size, setSize] = useState(2);
  const [result, setResult] = useState<Canary | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () =>
    api<FailureGroups>(`${props.ctx.path}/failures`).then((r) => setGroups(r.groups));
  useEffect(() => {
    load();
  }, []);
  const canary = async (fingerprint: string) => {
    setBusy(true);
    try {
      const r = await api<Canary>(`${props.ctx.path}/jobs/canary-retry`, {
        select: { fingerprint, limit: 10_000 },
        size,
        waves: 5,
        maxFailureRate: 0.2,
        waitMs: 15_000,
        reason: props.ctx.reason,
      });
      setResult(r);
      props.ctx.notify(
        `Canary retry: ${r.count} job(s) in ${r.waves.length} wave(s), stopped: ${r.stopped}.`,
      );
      load();
    } catch (e) {
      props.ctx.notify((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <label>
        Canary wave size{' '}
        <input
          type="number"
          min={1}
          value={size}
          onInput={(e) => setSize(Number((e.target as HTMLInputElement).value))}
        />
      </label>
      <table data-testid="groups">
        <thead>
          <tr>
            <th>Count</th>
            <th>Error</th>
            <th>Top frame</th>
            <th>First / last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.fingerprint} data-fingerprint={g.fingerprint}>
              <td class="num">{g.count}</td>
              <td>
                <b>{g.name}</b>: {g.message}
                <br />
                <small>{g.sampleMessage}</small>
              </td>
              <td>
                <code>{g.frame}</code>
              </td>
              <td>
                {new Date(g.firstSeen).toISOString()}
                <br />
                {new Date(g.lastSeen).toISOString()}
              </td>
              <td>
                {props.ctx.canOperate && (
                  <button type="button" disabled={busy} onClick={() => canary(g.fingerprint)}>
                    Canary retry
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {groups.length === 0 && <p>No failures.</p>}
      {result && (
        <ol data-testid="waves">
          {result.waves.map((w, i) => (
            <li key={i}>
              wave {i + 1}: {w.ids.length} retried, {w.completed} completed, {w.failed} failed
              again, {w.pending} pending
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
