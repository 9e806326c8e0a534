import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { JobsPage } from '../types';
import type { QueueCtx } from './queue';

/** Jobs of a state, searchable, a page at a time. */
export function Jobs(props: { ctx: QueueCtx; backend: string }) {
  const [state, setState] = useState('failed');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState<JobsPage>({ jobs: [], scanned: 0 });
  const load = (cursor?: string) => {
    const q = new URLSearchParams({ state, limit: '50' });
    if (search) q.set('search', search);
    if (cursor) q.set('cursor', cursor);
    api<JobsPage>(`${props.ctx.path}/jobs?${q}`).then(setPage, (e) => props.ctx.notify(e.message));
  };
  useEffect(() => load(), [state]);
  return (
    <div>
      <div class="actions">
        <select value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          {['waiting', 'delayed', 'active', 'completed', 'failed'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <input
          placeholder="search id, name, error"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
        <button type="button" onClick={() => load()}>
          Search
        </button>
      </div>
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th>Task</th>
            <th>Attempts</th>
            <th>Created</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {page.jobs.map((j) => (
            <tr key={j.id}>
              <td>
                <a
                  href={`#/q/${encodeURIComponent(props.backend)}/${encodeURIComponent(props.ctx.queue)}/${encodeURIComponent(j.id)}`}
                >
                  {j.id}
                </a>
              </td>
              <td>{j.name}</td>
              <td class="num">
                {j.attemptsMade}/{j.attempts}
              </td>
              <td>{new Date(j.createdAt).toISOString()}</td>
              <td>{j.error ? `${j.error.name}: ${j.error.message}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.nextCursor && (
        <button type="button" onClick={() => load(page.nextCursor)}>
          Next page
        </button>
      )}
    </div>
  );
}
