// `vigil top --summary`: what the screen shows, once, as one JSON object for scripts and
// monitoring (the shape is documented in the README). Pure: built from the state snapshot and
// the recent samples.
import { uptimeMs } from '../../renderer/format.ts';
import type { FlyHealth, HistoryStatus, MetricsSnapshot, ServiceState, StateSnapshot, TunnelState } from '../../shared/contract.ts';
import { latestValue, type SampleWindow } from './sample-window.ts';
import { cpuSeries, healthLatencySeries, rssSeries } from './top-model.ts';

export interface SummaryService {
  name: string;
  state: ServiceState;
  reason: string | null;
  pid: number | null;
  cpuPercent: number | null;
  rssBytes: number | null;
  threads: number | null;
  restarts: number;
  uptimeSeconds: number | null;
  healthy: boolean | null;
  healthLatencyMs: number | null;
  /** Percent of the time up over 24 h and 7 d; null while there is no history. */
  availability: { day: number | null; week: number | null };
}

export interface TopSummary {
  time: string;
  version: string;
  engine: { pid: number; startedAt: string; uptimeSeconds: number };
  autoRestart: boolean;
  demo: boolean;
  services: SummaryService[];
  tunnels: { name: string; kind: string; state: TunnelState; publicUrls: string[]; error: string | null }[];
  fly: {
    app: string;
    health: FlyHealth;
    error: string | null;
    machines: { id: string; name: string; region: string; state: string; health: FlyHealth }[];
  } | null;
  /** The latest value of every system series, by series key (see src/shared/metrics.ts). */
  system: Record<string, number>;
  /** Whether history is being written, and why not when it is not. */
  history: HistoryStatus;
  /** The sampling interval in force (1 s while somebody looks, 10 s otherwise by default). */
  sampling: MetricsSnapshot['sampling'];
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));

export function topSummary(state: StateSnapshot, samples: SampleWindow, now: number, holdMs: number): TopSummary {
  const { metrics } = state;
  const fresh = (key: string) => latestValue(samples, key, now, holdMs);
  return {
    time: new Date(now).toISOString(),
    version: state.version,
    engine: { pid: state.engine.pid, startedAt: state.engine.startedAt, uptimeSeconds: seconds(now - Date.parse(state.engine.startedAt))! },
    autoRestart: state.autoRestart,
    demo: state.demo,
    services: state.services.map((s) => {
      const usage = metrics.services[s.name];
      const running = s.state !== 'stopped';
      return {
        name: s.name,
        state: s.state,
        reason: s.reason,
        pid: s.pid,
        cpuPercent: running ? (fresh(cpuSeries(s.name)) ?? usage?.cpuPercent ?? null) : null,
        rssBytes: running ? (fresh(rssSeries(s.name)) ?? usage?.rssBytes ?? null) : null,
        threads: running ? (usage?.threads ?? null) : null,
        restarts: s.restarts,
        uptimeSeconds: seconds(uptimeMs(s, now)),
        healthy: s.healthy,
        healthLatencyMs: running ? fresh(healthLatencySeries(s.name)) : null,
        availability: { day: usage?.availability.day ?? null, week: usage?.availability.week ?? null },
      };
    }),
    tunnels: state.tunnels.map((t) => ({ name: t.name, kind: t.kind, state: t.state, publicUrls: t.publicUrls, error: t.error })),
    fly: state.fly && {
      app: state.fly.app,
      health: state.fly.health,
      error: state.fly.error,
      machines: state.fly.machines.map((m) => ({ id: m.id, name: m.name, region: m.region, state: m.machineState, health: m.health })),
    },
    system: metrics.system,
    history: metrics.history,
    sampling: metrics.sampling,
  };
}
