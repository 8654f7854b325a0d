// What the alert flow's step (lifecycle -> silences -> inhibit -> dispatch) costs per tick with
// ~500 alert keys, issue 7's "rule evaluation cost for 200 rules over 500 series per tick
// (target < 2 ms per tick)": this is the part after the rules. And the issue's storm through
// the flow, counting notifications. Runs on the project's Node 24 (TypeScript as is):
//   npm run bench -- alerts-flow [--json] [--keys 500] [--ticks 2000]
// measureFlowStep() and countStormNotifications() are exported for the alerts benchmark.
import os from 'node:os';
import type { RuleVerdict } from '../src/shared/alerts.ts';
import { alertFlowSchema, resolveAlertFlowConfig } from '../src/core/alerts/config/route-config.ts';
import { dispatchChannel } from '../src/core/alerts/dispatch/dispatch-channel.ts';
import { type AlertFlowContext, stepAlertFlow } from '../src/core/alerts/flow/alert-flow.ts';
import { initialFlowState, serializeFlowState } from '../src/core/alerts/flow/flow-state.ts';
import { stackDependencyGraph } from '../src/core/alerts/inhibit/dependency-graph.ts';
import { stormEvents, stormVerdicts } from './alerts-storm.ts';

const SERVICES = 50;

function benchContext(spec: unknown = {}): AlertFlowContext {
  const services = Array.from({ length: SERVICES }, (_, i) => ({ name: `svc-${i}`, port: 6000 + i, dependsOn: i > 0 ? [`svc-${Math.floor(i / 2)}`] : [] }));
  return {
    config: resolveAlertFlowConfig(alertFlowSchema.parse(spec)),
    channels: [dispatchChannel('desktop', 'desktop'), dispatchChannel('slack', 'slack'), dispatchChannel('pagerduty', 'pagerduty')],
    graph: stackDependencyGraph({ services, tunnels: [{ name: 'api', expect: [6000] }, { name: 'jobs', expect: [6001] }], fly: { app: 'bench-app' } }),
    evaluationIntervalMs: 1000,
    timeZone: 'Europe/Berlin',
    dashboardUrl: 'http://127.0.0.1:7357/',
  };
}

/** `keys` alert keys as 200 rules over 500 series would produce them: per-service CPU, RSS and
 * latency, machine-wide ones, a few failures; `activeShare` of them in breach, values moving. */
function verdictsAt(tick: number, keys: number, activeShare: number): RuleVerdict[] {
  const verdicts: RuleVerdict[] = [];
  for (let k = 0; k < keys; k++) {
    const rule = `rule-${k % 200}`;
    const service = `svc-${k % SERVICES}`;
    const active = (k * 7919) % 1000 < activeShare * 1000;
    const value = 50 + ((k * 31 + tick * 7) % 50);
    verdicts.push({
      rule,
      labels: { service, series: `series_${k}` },
      active,
      severity: k % 10 === 0 ? 'critical' : 'warning',
      forMs: k % 3 === 0 ? 0 : 60_000,
      summary: `${service}: ${rule} at ${value}`,
      details: { value, threshold: 80, series: `series_${k}`, service },
      channels: k % 5 === 0 ? ['desktop', 'slack'] : [],
    });
  }
  return verdicts;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const round = (n: number, digits = 3) => +n.toFixed(digits);

export interface FlowStepCost {
  keys: number;
  activeShare: number;
  ticks: number;
  openAlerts: number;
  /** CPU time of one step (process.cpuUsage around it): what the step costs the engine,
   * whatever else the machine runs. */
  cpuMeanMs: number;
  cpuP50Ms: number;
  cpuP95Ms: number;
  /** Wall time of one step (performance.now around it): includes time the process waited
   * for a core, so it grows with the machine's load. */
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  stateBytes: number;
  serializeMs: number;
}

/** Steps the flow `ticks` times, a tick a second of flow time, after 300 ticks of warm-up
 * (which take the alerts past their `for`); times each step. */
export function measureFlowStep(keys = 500, ticks = 2000, activeShare = 1): FlowStepCost {
  const context = benchContext({ quiet_hours: { from: '22:00', to: '08:00' }, route: { escalation: { after: '15m', to: ['pagerduty'] } } });
  let state = initialFlowState();
  const start = Date.UTC(2026, 2, 2, 10, 0, 0);
  const silences = [{ op: 'add' as const, matcher: { service: 'svc-3' }, durationMs: 86_400_000, createdBy: 'bench' }, { op: 'add' as const, matcher: { rule: 'rule-7' }, durationMs: 86_400_000, createdBy: 'bench' }];
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let tick = 0; tick < ticks + 300; tick++) {
    const verdicts = verdictsAt(tick, keys, activeShare);
    const cpu = process.cpuUsage();
    const began = performance.now();
    const out = stepAlertFlow(state, { now: start + tick * 1000, monotonicNow: tick * 1000, verdicts, silenceOps: tick === 0 ? silences : [] }, context);
    const took = performance.now() - began;
    const used = process.cpuUsage(cpu);
    state = out.state;
    if (tick >= 300) {
      times.push(took);
      cpuTimes.push((used.user + used.system) / 1000);
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const cpuSorted = [...cpuTimes].sort((a, b) => a - b);
  const serializeStart = performance.now();
  const text = serializeFlowState(state);
  const serializeMs = performance.now() - serializeStart;
  return {
    keys,
    activeShare,
    ticks,
    openAlerts: Object.keys(state.lifecycle.open).length,
    cpuMeanMs: round(cpuTimes.reduce((a, b) => a + b, 0) / cpuTimes.length),
    cpuP50Ms: round(percentile(cpuSorted, 50)),
    cpuP95Ms: round(percentile(cpuSorted, 95)),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1)!),
    stateBytes: Buffer.byteLength(text),
    serializeMs: round(serializeMs),
  };
}

/** The storm through the flow with the default route (group_by alertname, 5 s, 1 m),
 * stepped at every storm event, then a second at a time for 15 min: notifications per channel. */
export function countStormNotifications(spec: unknown = {}): { perChannel: Record<string, number>; total: number } {
  const context = benchContext({ route: { channels: ['desktop', 'slack'] }, ...(spec as object) });
  const events = stormEvents();
  const start = Date.UTC(2026, 2, 2, 10, 0, 0);
  let state = initialFlowState();
  const perChannel: Record<string, number> = {};
  const offsets = [...new Set(events.map((e) => e.atMs))];
  for (let t = offsets.at(-1)! + 1000; t <= 15 * 60_000; t += 1000) offsets.push(t);
  for (const offset of offsets) {
    const out = stepAlertFlow(state, { now: start + offset, monotonicNow: offset, verdicts: stormVerdicts(events, offset) }, context);
    state = out.state;
    for (const n of out.notifications) perChannel[n.channel] = (perChannel[n.channel] ?? 0) + 1;
  }
  return { perChannel, total: Object.values(perChannel).reduce((a, b) => a + b, 0) };
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const keys = option(args, 'keys', 500);
  const ticks = option(args, 'ticks', 2000);
  const rows = [measureFlowStep(keys, ticks, 1), measureFlowStep(keys, ticks, 0.5), measureFlowStep(keys, ticks, 0)];
  const storm = countStormNotifications();
  const ungrouped = countStormNotifications({ route: { channels: ['desktop', 'slack'], group_by: ['...'], group_wait: 0 } });
  console.log(`\nAlert flow step (lifecycle -> silences -> inhibit -> dispatch), ${keys} alert keys, ${ticks} ticks each\n`);
  const cells = (values: Array<string | number>, widths: number[]) => values.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]!) : String(v).padStart(widths[i]!))).join(' ');
  const widths = [16, 5, 9, 9, 9, 9, 9, 9, 9, 9];
  console.log(cells(['keys in breach', 'open', 'cpu mean', 'cpu p50', 'cpu p95', 'wall p50', 'wall p95', 'wall max', 'state KB', 'save ms'], widths));
  for (const r of rows) {
    console.log(cells([`${r.activeShare * 100} %`, r.openAlerts, r.cpuMeanMs, r.cpuP50Ms, r.cpuP95Ms, r.p50Ms, r.p95Ms, r.maxMs, Math.round(r.stateBytes / 1024), r.serializeMs], widths));
  }
  console.log('(milliseconds per step; load average now', os.loadavg()[0]!.toFixed(1), 'on', os.availableParallelism(), 'cores)');
  console.log(`\nStorm (500 breaches, 20 series, 10 s; then 15 min): ${JSON.stringify(storm.perChannel)} with the default grouping; ${JSON.stringify(ungrouped.perChannel)} with group_by ['...'] and no group_wait`);
  if (args.includes('--json')) {
    const full = rows[0]!;
    console.log(JSON.stringify({ flow_keys: keys, flow_step_cpu_ms_mean: full.cpuMeanMs, flow_step_cpu_ms_p95: full.cpuP95Ms, flow_step_ms_mean: full.meanMs, flow_step_ms_p50: full.p50Ms, flow_step_ms_p95: full.p95Ms, flow_state_bytes: full.stateBytes, flow_state_save_ms: full.serializeMs, storm_notifications: storm.perChannel.desktop ?? 0, rows }));
  }
}
