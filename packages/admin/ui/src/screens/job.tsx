import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { JobDetail } from '../types';

/** One job: data (redacted by the server), options, times, logs, error and stack. */
export function JobScreen(props: { backend: string; queue: string; id: string }) {
  const [r, setR] = useState<JobDetail | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<JobDetail>(
      `/backends/${encodeURIComponent(props.backend)}/queues/${encodeURIComponent(props.queue)}/jobs/${encodeURIComponent(props.id)}`,
    ).then(setR, (e) => setError(e.message));
  }, [props.id]);
  if (error) return <p class="error">{error}</p>;
  if (!r) return <p>Loading…</p>;
  const j = r.job;
  // Job data is rendered as JSON text only, never as HTML: it is hostile input.
  return (
    <section>
      <h2>
        <a href={`#/q/${encodeURIComponent(props.backend)}/${encodeURIComponent(props.queue)}`}>
          {props.queue}
        </a>{' '}
        / {j.id}
      </h2>
      <dl class="kv">
        <dt>Task</dt>
        <dd>{j.name}</dd>
        <dt>State</dt>
        <dd>{j.state}</dd>
        <dt>Attempts</dt>
        <dd>
          {j.attemptsMade}/{j.attempts} (started {j.attemptsStarted}, stalls {j.stalls})
        </dd>
        <dt>Created</dt>
        <dd>{new Date(j.createdAt).toISOString()}</dd>
        {j.finishedAt && (
          <>
            <dt>Finished</dt>
            <dd>{new Date(j.finishedAt).toISOString()}</dd>
          </>
        )}
      </dl>
      <h3>Data</h3>
      <pre data-testid="job-data">{JSON.stringify(j.data, null, 2)}</pre>
      {j.result !== undefined && (
        <>
          <h3>Result</h3>
          <pre>{JSON.stringify(j.result, null, 2)}</pre>
        </>
      )}
      {j.fullError && (
        <>
          <h3>Error</h3>
          <pre>{j.fullError.stack ?? `${j.fullError.name}: ${j.fullError.message}`}</pre>
        </>
      )}
      <h3>Options</h3>
      <pre>{JSON.stringify(j.opts, null, 2)}</pre>
      <h3>Logs</h3>
      <pre>{r.logs.join('\n') || '(none)'}</pre>
    </section>
  );
}
