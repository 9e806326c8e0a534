import { useEffect, useState } from 'preact/hooks';
import { ago, api, follow } from '../api';
import type { Overview as OverviewT, QueueSummary } from '../types';

type Row = QueueSummary;

const COLS = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Every queue of every backend, live from the SSE plane's shared counts. */
export function Overview() {
  const [rows, setRows] = useState<Row[]>([]);
  const [sort, setSort] = useState<string>('queue');
  useEffect(() => {
    api<OverviewT>('/queues').then((r) => setRows(r.queues));
    return follow('', (f) => {
      if (f.event === 'counts') setRows((f.data as OverviewT).queues);
    });
  }, []);
  const sorted = [...rows].sort((a, b) =>
    sort === 'queue'
      ? a.queue.localeCompare(b.queue)
      : (b.counts[sort as keyof Row['counts']] ?? 0) - (a.counts[sort as keyof Row['counts']] ?? 0),
  );
  return (
    <section>
      <h2>Queues</h2>
      <table data-testid="overview">
        <thead>
          <tr>
            <th onClick={() => setSort('queue')}>Queue</th>
            {COLS.map((c) => (
              <th key={c} onClick={() => setSort(c)}>
                {c}
              </th>
            ))}
            <th>Workers</th>
            <th>Oldest waiting</th>
            <th>Per min (ok / failed)</th>
            <th>Warnings</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr
              key={`${r.backend}/${r.queue}`}
              data-queue={r.queue}
              class={r.warnings.length ? 'warn' : ''}
            >
              <td>
                <a href={`#/q/${encodeURIComponent(r.backend)}/${encodeURIComponent(r.queue)}`}>
                  {r.queue}
                </a>
                <small> {r.backend}</small>
                {r.paused && <span class="badge">paused</span>}
              </td>
              {COLS.map((c) => (
                <td key={c} class="num" data-col={c}>
                  {r.counts[c]}
                </td>
              ))}
              <td class="num">{r.workers}</td>
              <td>{ago(r.oldestWaitingMs)}</td>
              <td>
                {r.throughput
                  ? `${r.throughput.completedPerMin} / ${r.throughput.failedPerMin}`
                  : '—'}
              </td>
              <td>
                {r.warnings.map((w) => (
                  <span key={w} class="badge bad">
                    {w}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>No queues yet.</p>}
    </section>
  );
}
