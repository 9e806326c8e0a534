import { useState } from 'preact/hooks';
import { api } from '../api';
import type { Changed, DryRun } from '../types';
import type { QueueCtx } from './queue';

type Preview = { action: string; body: Record<string, unknown>; count: number; exact: boolean };

/**
 * Retention and cleanup: every destructive action shows its dry-run count first, and
 * runs only with that count confirmed (and, for obliterate, the queue's name typed).
 */
export function Cleanup(props: { ctx: QueueCtx }) {
  const { ctx } = props;
  const [state, setState] = useState('completed');
  const [grace, setGrace] = useState(3_600_000);
  const [limit, setLimit] = useState(1000);
  const [delayed, setDelayed] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [typed, setTyped] = useState('');
  const dry = async (action: string, body: Record<string, unknown>) => {
    try {
      const r = await api<DryRun>(`${ctx.path}/${action}`, {
        ...body,
        reason: ctx.reason || 'preview',
        dryRun: true,
      });
      setTyped('');
      setPreview({ action, body, count: r.count, exact: r.exact });
    } catch (e) {
      ctx.notify((e as Error).message);
    }
  };
  const run = async () => {
    if (!preview) return;
    try {
      const body: Record<string, unknown> = {
        ...preview.body,
        reason: ctx.reason,
        confirmCount: preview.count,
      };
      if (preview.action === 'obliterate') body.confirm = typed;
      const r = await api<Changed>(`${ctx.path}/${preview.action}`, body);
      ctx.notify(`${preview.action}: ${r.count} job(s) removed.`);
      setPreview(null);
    } catch (e) {
      ctx.notify((e as Error).message);
    }
  };
  if (!ctx.canOperate) return <p>Your role can only view this queue.</p>;
  return (
    <div class="cleanup">
      <fieldset>
        <legend>Clean</legend>
        <select value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          {['completed', 'failed', 'waiting', 'delayed'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label>
          older than (ms){' '}
          <input
            type="number"
            value={grace}
            onInput={(e) => setGrace(Number((e.target as HTMLInputElement).value))}
          />
        </label>
        <label>
          at most{' '}
          <input
            type="number"
            value={limit}
            onInput={(e) => setLimit(Number((e.target as HTMLInputElement).value))}
          />
        </label>
        <button type="button" onClick={() => dry('clean', { state, graceMs: grace, limit })}>
          Dry run clean
        </button>
      </fieldset>
      <fieldset>
        <legend>Drain</legend>
        <label>
          <input
            type="checkbox"
            checked={delayed}
            onChange={(e) => setDelayed((e.target as HTMLInputElement).checked)}
          />{' '}
          include delayed
        </label>
        <button type="button" onClick={() => dry('drain', { includeDelayed: delayed })}>
          Dry run drain
        </button>
      </fieldset>
      {ctx.isAdmin && (
        <fieldset>
          <legend>Obliterate</legend>
          <button type="button" onClick={() => dry('obliterate', {})}>
            Dry run obliterate
          </button>
        </fieldset>
      )}
      {preview && (
        <div class="confirm" data-testid="confirm">
          <p>
            {preview.action} would remove <b data-testid="dry-count">{preview.count}</b> job(s)
            {preview.exact ? '' : ' (at least; the count stopped at a scan bound)'}.
          </p>
          {preview.action === 'obliterate' && (
            <label>
              Type the queue name to confirm
              <input
                name="confirm-name"
                value={typed}
                onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
              />
            </label>
          )}
          <button type="button" class="danger" onClick={run}>
            Confirm {preview.action} of {preview.count}
          </button>
          <button type="button" onClick={() => setPreview(null)}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}
