// One service's charts: CPU, memory and health-check latency over 15 min, 1 h, 24 h or 7 d,
// with its restarts marked on the time axis, and its availability. Reached from the service's
// row, or by address (#/service/NAME?range=24h) so the app and notifications can link here.
import { useEffect, useMemo, useState } from 'react';
import type { EngineEvent, ServiceAction, StateSnapshot } from '../../shared/contract.ts';
import type { EngineClient } from '../client/engine-client.ts';
import type { LiveHub } from '../client/live-hub.ts';
import { formatInstant } from '../charts/time-axis.ts';
import { TimeSeriesChart } from '../charts/time-series-chart.tsx';
import { ServiceActions, StatePill } from '../components/service-actions.tsx';
import { serviceCharts } from '../metrics/chart-specs.ts';
import { eventsSince } from '../metrics/event-pages.ts';
import { restartMarkers, type TimeMarker } from '../metrics/restart-markers.ts';
import { rangeById, TIME_RANGES, type TimeRange } from '../metrics/time-ranges.ts';
import { formatAvailability } from '../metrics/units.ts';
import { useMetricsFeed } from '../metrics/use-metrics-feed.ts';
import { routeHref } from '../route.ts';

interface Props {
  service: string;
  rangeId: string | null;
  client: EngineClient;
  live: LiveHub;
  /** The series the history keeps (null while the engine has not said). */
  known: ReadonlySet<string> | null;
  state: StateSnapshot | null;
  /** The dashboard's recent live events: restarts that happen while the view is open. */
  events: readonly EngineEvent[];
  pending: ReadonlySet<string>;
  onAction(service: string, action: ServiceAction): void;
}

/** The service's stored events over the range (from when it was asked), asked again when the
 * range changes. */
function useStoredEvents(client: EngineClient, service: string, range: TimeRange): { from: number; events: EngineEvent[] } {
  const [stored, setStored] = useState(() => ({ from: Date.now() - range.windowMs, events: [] as EngineEvent[] }));
  useEffect(() => {
    let current = true;
    const from = Date.now() - range.windowMs;
    setStored({ from, events: [] });
    eventsSince(client, from, (e) => e.service === service).then(
      (found) => current && setStored({ from, events: found }),
      // Without stored events the charts still draw; the markers come from live events only.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [client, service, range]);
  return stored;
}

function RangeSwitch({ service, range }: { service: string; range: TimeRange }) {
  return (
    <nav className="range-switch" aria-label="Time range">
      {TIME_RANGES.map((r) => (
        <a key={r.id} className="btn range" href={routeHref({ view: 'service', service, range: r.id })} aria-current={r.id === range.id ? 'true' : undefined}>
          {r.label}
        </a>
      ))}
    </nav>
  );
}

function MarkerList({ markers }: { markers: readonly TimeMarker[] }) {
  if (markers.length === 0) return <p className="empty">No restarts or exits in this range.</p>;
  return (
    <ol className="markers">
      {[...markers].reverse().map((m) => (
        <li key={`${m.t}-${m.kind}`} className={`marker marker-${m.kind}`} data-marker={m.kind}>
          <time dateTime={new Date(m.t).toISOString()}>{formatInstant(m.t)}</time>
          <span>{m.label}</span>
        </li>
      ))}
    </ol>
  );
}

export function ServiceView({ service, rangeId, client, live, known, state, events, pending, onAction }: Props) {
  const range = rangeById(rangeId);
  const charts = useMemo(() => serviceCharts(service), [service]);
  const lines = useMemo(() => charts.flatMap((c) => c.lines), [charts]);
  const feed = useMetricsFeed(client, live, lines, range, known);
  const stored = useStoredEvents(client, service, range);
  // From the range's start when it was opened: markers that scroll off the left edge stay in
  // the list until the range is asked again, and the markers do not change with every tick.
  const markers = useMemo(() => restartMarkers([...stored.events, ...events], service, stored.from, Number.POSITIVE_INFINITY), [stored, events, service]);

  const snapshot = state?.services.find((s) => s.name === service) ?? null;
  const availability = state?.metrics.services[service]?.availability;

  return (
    <section className="card service-view" aria-labelledby="service-heading" data-service-view={service}>
      <div className="card-head service-head">
        <a className="back" href={routeHref({ view: 'overview' })}>
          ← Overview
        </a>
        <h2 id="service-heading">{service}</h2>
        {snapshot && <StatePill service={snapshot} />}
        <span className="availability" data-field="availability">
          available {formatAvailability(availability?.day ?? null)} <span className="muted">24 h</span> · {formatAvailability(availability?.week ?? null)}{' '}
          <span className="muted">7 d</span>
        </span>
        {snapshot && (
          <span className="actions">
            <ServiceActions service={snapshot} pending={pending} onAction={onAction} />
          </span>
        )}
        <div className="spacer" />
        <RangeSwitch service={service} range={range} />
      </div>
      {state && !snapshot && <p className="empty">No service named “{service}” in the stack now; its history is shown as kept.</p>}
      <div className="chart-grid">
        {charts.map((chart) => (
          <TimeSeriesChart key={chart.id} title={chart.title} unit={chart.unit} feed={feed} lines={chart.lines} markers={markers} testId={`chart-${chart.id}`} />
        ))}
      </div>
      <div className="card-head">
        <h3>Restarts and exits</h3>
        <span className="muted">last {range.label}</span>
      </div>
      <MarkerList markers={markers} />
    </section>
  );
}
