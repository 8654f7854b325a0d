// The dashboard's front page: the services (with CPU and memory sparklines), the machine's
// charts, tunnels and Fly.io, recent events. One metrics feed serves every chart and sparkline
// on it: one history query, then the live ticks.
import { useMemo } from 'react';
import type { StateSnapshot } from '../../shared/contract.ts';
import type { EngineClient } from '../client/engine-client.ts';
import type { LiveHub } from '../client/live-hub.ts';
import { EventList } from '../components/event-list.tsx';
import { FlyTokenForm } from '../components/fly-token-form.tsx';
import { OutsideStatus } from '../components/outside-status.tsx';
import { ServiceTable } from '../components/service-table.tsx';
import { formatDuration, summarize } from '../format.ts';
import { diskUseNote, overviewCharts, serviceSparkLines } from '../metrics/chart-specs.ts';
import { DEFAULT_RANGE } from '../metrics/time-ranges.ts';
import { useMetricsFeed } from '../metrics/use-metrics-feed.ts';
import type { Dashboard } from '../use-dashboard.ts';
import { SystemCharts } from './system-charts.tsx';

interface Props {
  client: EngineClient;
  live: LiveHub;
  /** The series the history keeps (null while the engine has not said). */
  keys: readonly string[] | null;
  known: ReadonlySet<string> | null;
  dashboard: Dashboard;
  state: StateSnapshot | null;
  now: number;
}

export function Overview({ client, live, keys, known, dashboard, state, now }: Props) {
  const charts = useMemo(() => overviewCharts(keys ?? []), [keys]);
  const serviceNames = state?.services.map((s) => s.name).join('\n') ?? '';
  const lines = useMemo(
    () => [
      ...charts.flatMap((c) => c.lines),
      ...serviceNames
        .split('\n')
        .filter(Boolean)
        .flatMap((name) => Object.values(serviceSparkLines(name))),
    ],
    [charts, serviceNames],
  );
  const feed = useMetricsFeed(client, live, lines, DEFAULT_RANGE, known);
  const sampling = state?.metrics.sampling;
  const diskNote = diskUseNote(state?.metrics.system ?? {});
  const notes = useMemo((): Record<string, string> => (diskNote ? { disk: diskNote } : {}), [diskNote]);

  return (
    <>
      <section className="card">
        <div className="card-head">
          <h2>Services</h2>
          <span className="muted">{state ? summarize(state.services) : ''}</span>
        </div>
        {state ? (
          <ServiceTable services={state.services} now={now} pending={dashboard.pending} onAction={dashboard.act} feed={feed} usage={state.metrics.services} />
        ) : (
          <p className="empty">Waiting for the engine…</p>
        )}
      </section>

      <section className="card" aria-labelledby="system-heading">
        <div className="card-head">
          <h2 id="system-heading">System</h2>
          <span className="muted">
            last {DEFAULT_RANGE.label}
            {sampling && ` · a sample every ${formatDuration(sampling.intervalMs)}`}
          </span>
        </div>
        {keys === null ? <p className="empty">Loading charts…</p> : <SystemCharts feed={feed} charts={charts} notes={notes} />}
      </section>

      {state && (state.tunnels.length > 0 || state.fly) && (
        <section className="card">
          <div className="card-head">
            <h2>Tunnels and deployment</h2>
          </div>
          <OutsideStatus tunnels={state.tunnels} fly={state.fly} />
          {state.fly && client.flyToken && <FlyTokenForm store={client.flyToken} />}
        </section>
      )}

      <section className="card">
        <div className="card-head">
          <h2>Recent events</h2>
        </div>
        <EventList events={dashboard.events} />
      </section>
    </>
  );
}
