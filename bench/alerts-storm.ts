// The alert storm of issue 7: 500 breaches across 20 series within 10 s, each series also
// clearing now and then in between (so alerts fire, resolve and fire again: the worst case for
// a notifier). Deterministic (seeded), so a test, the flow benchmark and a run through the
// real Alertmanager see the same storm.
import type { RuleVerdict } from '../src/shared/alerts.ts';
import { seeded } from './store/series-synth.mjs';

export interface StormEvent {
  atMs: number;
  series: number;
  active: boolean;
}

export interface StormShape {
  seed: number;
  breaches: number;
  series: number;
  spanMs: number;
}

export const ISSUE_STORM: StormShape = { seed: 7, breaches: 500, series: 20, spanMs: 10_000 };

/** The storm's events in time order: a breach every spanMs/breaches ms on a random series,
 * after half of them a clear of that series 10-200 ms later, and half a second after the
 * span every series clear. */
export function stormEvents(shape: StormShape = ISSUE_STORM): StormEvent[] {
  const next = seeded(shape.seed);
  const events: StormEvent[] = [];
  for (let i = 0; i < shape.breaches; i++) {
    const atMs = Math.round((i * shape.spanMs) / shape.breaches);
    const series = Math.floor(next() * shape.series);
    events.push({ atMs, series, active: true });
    if (next() < 0.5) events.push({ atMs: atMs + 10 + Math.round(next() * 190), series, active: false });
  }
  // The storm is over: every series clears.
  for (let series = 0; series < shape.series; series++) events.push({ atMs: shape.spanMs + 500, series, active: false });
  return events.sort((a, b) => a.atMs - b.atMs || Number(a.active) - Number(b.active));
}

export const stormSeriesName = (series: number) => `svc-${String(series).padStart(2, '0')}`;

/** Every series' verdict at `offsetMs` into the storm (each series as its last event left it). */
export function stormVerdicts(events: readonly StormEvent[], offsetMs: number, shape: StormShape = ISSUE_STORM): RuleVerdict[] {
  const active = new Array<boolean>(shape.series).fill(false);
  for (const event of events) {
    if (event.atMs > offsetMs) break;
    active[event.series] = event.active;
  }
  return active.map((on, series) => ({
    rule: 'service-cpu-high',
    labels: { service: stormSeriesName(series) },
    active: on,
    severity: 'warning',
    forMs: 0,
    summary: `${stormSeriesName(series)}: CPU ${on ? 'above' : 'below'} its limit`,
    details: { series: 'service_cpu_percent', service: stormSeriesName(series) },
    channels: [],
  }));
}
