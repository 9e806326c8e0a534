import { useEffect, useState } from 'preact/hooks';
import { ago, api, follow } from '../api';
import type { Health, Overview } from '../types';
import { Cleanup } from './queue-cleanup';
import { Failures } from './queue-failures';
import { Jobs } from './queue-jobs';
import { Schedules } from './queue-schedules';

/** Shared by the actions of a queue page: where they go and why. */
export interface QueueCtx {
  path: string;
  queue: string;
  reason: string;
  canOperate: boolean;
  isAdmin: boolean;
  notify: (msg: string) => void;
}

/** One queue: the "why isn't this draining?" panel, live counts, actions, tabs. */
export function QueueScreen(props: { backend: string; queue: string; role: string }) {
  const path = `/backends/${encodeURIComponent(props.backend)}/queues/${encodeURIComponent(props.queue)}`;
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState('');
  const [reason, setReason] = useState('');
  const [tab, setTab] = useState('health');
  const [message, setMessage] = useState('');
  const load = () => api<Health>(path).then(setHealth, (e) => setError(e.message));
  useEffect(() => {
    load();
    let last = 0;
    return follow(
      `?backend=${encodeURIComponent(props.backend)}&queue=${encodeURIComponent(props.queue)}`,
      (f) => {
        if (f.event !== 'counts') return;
        const s = (f.data as Overview).queues[0];
        if (s) setHealth((h) => (h ? { ...h, summary: s } : h));
        // The checks refresh at most every 5 s; counts follow every frame.
        if (Date.now() - last > 5000) {
          last = Date.now();
          load();
        }
      },
    );
  }, [path]);
  if (error) return <p class="error">{error}</p>;
  if (!health) return <p>Loading…</p>;
  const s = health.summary;
  const ctx: QueueCtx = {
    path,
    queue: props.queue,
    reason,
    canOperate: props.role !== 'viewer',
    isAdmin: props.role === 'admin',
    notify: (m) => {
      setMessage(m);
      load();
    },
  };
  const act = async (what: 'pause' | 'resume') => {
    try {
      await api(`${path}/${what}`, { reason });
      ctx.notify(what === 'pause' ? 'Paused.' : 'Resumed.');
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <section>
      <h2>
        {props.queue} <small>{props.backend}</small>{' '}
        {s.paused && (
          <span class="badge bad" data-testid="paused">
            paused
          </span>
        )}
      </h2>
      <div class="counts" data-testid="counts">
        {['waiting', 'active', 'delayed', 'failed', 'completed'].map((k) => (
          <div key={k} class="count" data-state={k}>
            <b>{s.counts[k as keyof typeof s.counts]}</b>
            <span>{k}</span>
          </div>
        ))}
        <div class="count">
          <b>{s.workers}</b>
          <span>workers</span>
        </div>
        <div class="count">
          <b>{ago(s.oldestWaitingMs)}</b>
          <span>oldest waiting</span>
        </div>
      </div>
      <div class="actions">
        <label>
          Reason (audited)
          <input
            name="reason"
            value={reason}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)}
            placeholder="why you act"
          />
        </label>
        {ctx.canOperate &&
          (s.paused ? (
            <button type="button" onClick={() => act('resume')}>
              Resume
            </button>
          ) : (
            <button type="button" onClick={() => act('pause')}>
              Pause
            </button>
          ))}
      </div>
      {message && (
        <p class="message" role="status">
          {message}
        </p>
      )}
      <nav class="tabs">
        {['health', 'jobs', 'failures', 'schedules', 'cleanup'].map((t) => (
          <button type="button" key={t} class={tab === t ? 'on' : ''} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </nav>
      {tab === 'health' && (
        <ul class="checks" data-testid="checks">
          {health.checks.map((c) => (
            <li key={c.id} class={c.status} data-check={c.id}>
              <b>{c.status.toUpperCase()}</b> {c.id}: {c.detail} <em>→ {c.playbook}</em>
            </li>
          ))}
        </ul>
      )}
      {tab === 'jobs' && <Jobs ctx={ctx} backend={props.backend} />}
      {tab === 'failures' && <Failures ctx={ctx} />}
      {tab === 'schedules' && <Schedules ctx={ctx} />}
      {tab === 'cleanup' && <Cleanup ctx={ctx} />}
    </section>
  );
}
