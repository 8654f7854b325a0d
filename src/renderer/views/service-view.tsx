// One service's charts: CPU, memory and health-check latency over 15 min, 1 h, 24 h or 7 d,
// with its restarts marked on the time axis, and its availability. Reached from the service's
// row, or by address (#/service/NAME?range=24h) so the app and notifications can link here.
import { useEffect, useMemo, useState } from 'react';
import type { EngineEvent, ServiceAction, StateSnapshot, StoredEvent } from '../../shared/contract.ts';
import type { LiveHub } from '../client/live-hub.ts';
import { formatInstant } from '../charts/time-axis.ts';
import { TimeSeriesChart } from '../charts/time-series-chart.tsx';
import { ServiceActions, StatePill } from '../components/service-actions.tsx';
import type { ChartsSource } from '../metrics/charts-source.ts';
import { serviceCharts } from '../metrics/chart-specs.ts';
import { restartMarkers, storedFromLive, type TimeMarker } from '../metrics/restart-markers.ts';
import { rangeById, TIME_RANGES, type TimeRange } from '../metrics/time-ranges.ts';
import { formatAvailability } from '../metrics/units.ts';
import { useMetricsFeed } from '../metrics/use-metrics-feed.ts';
import { routeHref } from '../route.ts';

interface Props {
  service: string;
  rangeId: string | null;
  source: ChartsSource;
  live: LiveHub;
  state: StateSnapshot | null;
  /** The dashboard's recent live events: restarts that happen while the view is open. */
  events: readonly EngineEvent[];
  pending: ReadonlySet<string>;
  onAction(service: string, action: ServiceAction): void;
}

/** Enough for a week of a crash-looping service; older ones are not asked for. */
const EVENTS_LIMIT = 5000;

/** The service's stored events in the range, asked again when the range changes. */
function useStoredEvents(source: ChartsSource, service: string, range: TimeRange): StoredEvent[] {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  useEffect(() => {
    let current = true;
    setEvents([]);
    source.historyEvents({ service, since: Date.now() - range.windowMs, limit: EVENTS_LIMIT }).then(
      (page) => current && setEvents(page.events),
      // Without stored events the charts still draw; the markers come from live events only.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [source, service, range]);
  return events;
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

export function ServiceView({ service, rangeId, source, live, state, events, pending, onAction }: Props) {
  const range = rangeById(rangeId);
  const charts = useMemo(() => serviceCharts(service), [service]);
  const lines = useMemo(() => charts.flatMap((c) => c.lines), [charts]);
  const feed = useMetricsFeed(source, live, lines, range);
  const stored = useStoredEvents(source, service, range);
  const from = feed.windowEnd - range.windowMs;
  // Markers change with the events, not with every tick: the window's start moves by a step
  // at most, so it is rounded to the range's step to keep the list (and the charts) still.
  const markerFrom = Math.floor(from / range.stepMs) * range.stepMs;
  const markers = useMemo(() => {
    const live = events.map(storedFromLive).filter((e): e is StoredEvent => e !== null);
    return restartMarkers([...stored, ...live], service, markerFrom, Number.POSITIVE_INFINITY);
  }, [stored, events, service, markerFrom]);

  const snapshot = state?.services.find((s) => s.name === service) ?? null;
  const availability = state?.metrics?.services[service]?.availability;

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
