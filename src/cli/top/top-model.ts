// What `vigil top` knows, as a plain value changed by pure functions of what arrives: the
// state and events (the dashboard's own model, reused), the recent samples, whether the
// engine is there, which service is selected and a short notice for the footer.
import { applyLive, type DashboardModel, initialModel, withEvents } from '../../renderer/dashboard-model.ts';
import type { Tone } from '../../renderer/format.ts';
import {
  type EngineEvent,
  type LiveMessage,
  type MetricsQueryResult,
  type ServiceSnapshot,
  seriesKey,
  type StateSnapshot,
} from '../../shared/contract.ts';
import { addHistory, addTick, emptyWindow, type SampleWindow } from './sample-window.ts';

export interface TopNotice {
  text: string;
  tone: Tone;
  /** Shown until then (ms since the epoch). */
  until: number;
}

export interface TopModel {
  dashboard: DashboardModel;
  samples: SampleWindow;
  /** 'gone': the live connection dropped and `vigil top` is trying to get it back. */
  connection: 'live' | 'gone';
  selected: string | null;
  notice: TopNotice | null;
}

/** The series drawn as sparklines; every other series keeps only its latest value. */
export const cpuSeries = (service: string) => seriesKey('service_cpu_percent', { service });
export const rssSeries = (service: string) => seriesKey('service_rss_bytes', { service });
export const healthLatencySeries = (service: string) => seriesKey('service_health_latency_ms', { service });
const SPARKLINE_SERIES = /^service_(cpu_percent|rss_bytes)\{/;

export function initialTopModel(keepMs: number): TopModel {
  return {
    dashboard: initialModel,
    samples: emptyWindow(keepMs, (key) => SPARKLINE_SERIES.test(key)),
    connection: 'live',
    selected: null,
    notice: null,
  };
}

/** The engine samples every 10 s while nobody looks, every second while somebody does. */
const IDLE_INTERVAL_MS = 10_000;

/** How old a sample may be and still count as the current value (and hold its sparkline
 * character): one and a half sampling intervals, never less than the idle one's, since a
 * history fetched at start was sampled while nobody looked. */
export function currentForMs(state: StateSnapshot | null): number {
  return Math.max(IDLE_INTERVAL_MS, state?.metrics.sampling.intervalMs ?? IDLE_INTERVAL_MS) * 1.5;
}

/** The selection follows the service's name; it falls back to the first service. */
function keepSelection(selected: string | null, services: readonly ServiceSnapshot[]): string | null {
  if (selected !== null && services.some((s) => s.name === selected)) return selected;
  return services[0]?.name ?? null;
}

export function withLive(model: TopModel, message: LiveMessage): TopModel {
  if (message.kind === 'metrics') return { ...model, samples: addTick(model.samples, message.tick) };
  const dashboard = applyLive(model.dashboard, message);
  const services = dashboard.state?.services ?? [];
  return { ...model, dashboard, connection: 'live', selected: keepSelection(model.selected, services) };
}

export function withHistory(model: TopModel, results: readonly MetricsQueryResult[], now: number): TopModel {
  return { ...model, samples: addHistory(model.samples, results, now) };
}

export function withRecentEvents(model: TopModel, events: EngineEvent[]): TopModel {
  return { ...model, dashboard: withEvents(model.dashboard, events) };
}

export function withConnection(model: TopModel, connection: TopModel['connection']): TopModel {
  return { ...model, connection };
}

export function withNotice(model: TopModel, notice: TopNotice | null): TopModel {
  return { ...model, notice };
}

/** Moves the selection up (-1) or down (+1) the service list, stopping at either end. */
export function moveSelection(model: TopModel, delta: number): TopModel {
  const services = model.dashboard.state?.services ?? [];
  if (services.length === 0) return model;
  const at = Math.max(0, services.findIndex((s) => s.name === model.selected));
  const next = Math.min(services.length - 1, Math.max(0, at + delta));
  return { ...model, selected: services[next]!.name };
}
