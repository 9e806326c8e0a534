import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Audit } from '../types';

/** The audit log, newest first, exportable as JSON lines. */
export function AuditScreen() {
  const [records, setRecords] = useState<Audit['records']>([]);
  useEffect(() => {
    api<Audit>('/audit?limit=200').then((r) => setRecords(r.records));
  }, []);
  const exportUrl = () =>
    URL.createObjectURL(
      new Blob([records.map((r) => JSON.stringify(r)).join('\n')], {
        type: 'application/x-ndjson',
      }),
    );
  return (
    <section>
      <h2>Audit log</h2>
      <a download="mq-audit.ndjson" href={records.length ? exportUrl() : undefined}>
        Export (JSON lines)
      </a>
      <table data-testid="audit">
        <thead>
          <tr>
            <th>Time</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Queue</th>
            <th>Count</th>
            <th>Outcome</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} class={r.outcome === 'ok' ? '' : 'warn'}>
              <td>{new Date(r.at).toISOString()}</td>
              <td>
                {r.actor} ({r.role})
              </td>
              <td>{r.action}</td>
              <td>{r.queue ?? ''}</td>
              <td class="num">{r.count ?? ''}</td>
              <td>{r.outcome}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
