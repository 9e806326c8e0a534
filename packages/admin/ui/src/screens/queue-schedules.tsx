import { useEffect, useState } from 'preact/hooks';
import { ago, api } from '../api';
import type { Schedules as SchedulesT } from '../types';
import type { QueueCtx } from './queue';

/** Schedules with next run and drift; pause, resume, remove. */
export function Schedules(props: { ctx: QueueCtx }) {
  const [list, setList] = useState<SchedulesT['schedules']>([]);
  const load = () =>
    api<SchedulesT>(`${props.ctx.path}/schedules`).then((r) => setList(r.schedules));
  useEffect(() => {
    load();
  }, []);
  const act = async (id: string, verb: string) => {
    try {
      await api(`${props.ctx.path}/schedules/${encodeURIComponent(id)}/${verb}`, {
        reason: props.ctx.reason,
      });
      props.ctx.notify(`Schedule ${id}: ${verb} done.`);
      load();
    } catch (e) {
      props.ctx.notify((e as Error).message);
    }
  };
  return (
    <table>
      <thead>
        <tr>
          <th>Id</th>
          <th>Task</th>
          <th>Next run</th>
          <th>Last drift</th>
          <th>Max drift</th>
          <th>Late ticks</th>
          <th>Overdue</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {list.map((s) => (
          <tr key={s.id}>
            <td>
              {s.id} {s.paused && <span class="badge">paused</span>}
            </td>
            <td>{s.task}</td>
            <td>{s.nextRunAt ? new Date(s.nextRunAt).toISOString() : '—'}</td>
            <td>{ago(s.lastDriftMs)}</td>
            <td>{ago(s.maxDriftMs)}</td>
            <td class="num">{s.lateTicks}</td>
            <td>{ago(s.overdueMs)}</td>
            <td>
              {props.ctx.canOperate && (
                <>
                  <button type="button" onClick={() => act(s.id, s.paused ? 'resume' : 'pause')}>
                    {s.paused ? 'Resume' : 'Pause'}
                  </button>
                  <button type="button" onClick={() => act(s.id, 'reset-drift')}>
                    Reset drift
                  </button>
                  <button type="button" onClick={() => act(s.id, 'remove')}>
                    Remove
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
