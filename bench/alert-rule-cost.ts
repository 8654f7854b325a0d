// What the rules stage costs per metrics tick: 200 rules over 500 series (the target:
// under 2 ms a tick), as a stack of 50 services would have them, plus a worst case where every
// rule reads every series of its name; and what a log line costs with 20 log rules.
// Runs on the project's Node 24 (TypeScript as is):
//   node_modules/node/bin/node bench/alert-rule-cost.ts [--json] [--ticks 3000]
// The alerts benchmark (`npm run bench -- alerts`) takes eval_ms_per_tick from measureRuleCost().
import { alertRulesSchema, resolveAlertRules } from '../src/core/alerts/config/rules-config.ts';
import { RuleSet } from '../src/core/alerts/rules/rule-set.ts';
import { seriesKey } from '../src/shared/metrics.ts';

const SERVICES = 50;
const SERVICE_SERIES = ['service_cpu_percent', 'service_rss_bytes', 'service_threads', 'service_processes', 'service_restarts_total', 'service_uptime_seconds', 'service_health_latency_ms', 'http_requests_per_second', 'http_errors_per_second'];
const STEP_MS = 10_000;

/** A deterministic random source, so every run measures the same work. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const services = Array.from({ length: SERVICES }, (_, i) => `svc-${i}`);

/** 500 series: 450 per service, 50 of the machine. */
function seriesKeys(): string[] {
  const keys: string[] = [];
  for (const service of services) for (const name of SERVICE_SERIES) keys.push(seriesKey(name, { service }));
  keys.push('system_cpu_percent', 'system_memory_percent', 'system_memory_total_bytes', 'system_swap_percent', 'system_load1', 'system_load5', 'system_load15');
  for (const mount of ['/', '/home', '/boot', '/var']) keys.push(seriesKey('system_disk_used_percent', { mount }), seriesKey('system_disk_used_bytes', { mount }));
  for (let core = 0; core < 16; core++) keys.push(seriesKey('system_cpu_core_percent', { core: String(core) }));
  for (const iface of ['eth0', 'wlan0', 'lo']) keys.push(seriesKey('system_network_rx_bytes_per_second', { interface: iface }), seriesKey('system_network_tx_bytes_per_second', { interface: iface }));
  for (let s = 0; keys.length < 500; s++) keys.push(seriesKey('system_temperature_celsius', { sensor: `t${s}` }));
  return keys;
}

/** The 17 built-in rules (limits for every service), 3 anomaly series and the leak forecast,
 * plus user rules up to 200: most pin one service, some match a few by regex, a few read every
 * service. With `everyRuleReadsAll`, every user rule reads all 50 series of its name. */
function config(everyRuleReadsAll: boolean) {
  const limits = Object.fromEntries(services.map((s) => [s, { cpu: 150, rss: '2GB' }]));
  const rules = [];
  for (let i = 0; i < 200 - 17; i++) {
    const name = SERVICE_SERIES[i % SERVICE_SERIES.length]!;
    const selector = everyRuleReadsAll
      ? name
      : i % 6 === 0
        ? name
        : i % 6 === 1
          ? `${name}{service=~"svc-${i % 5}[0-9]?"}`
          : `${name}{service="svc-${i % SERVICES}"}`;
    const threshold = name === 'service_rss_bytes' ? `${3 + (i % 3)}GB` : 90 + (i % 10);
    rules.push({ name: `rule-${i}`, series: selector, threshold, for: '1m', message: '{{service}}: {{value}} > {{threshold}}' });
  }
  return resolveAlertRules(alertRulesSchema.parse({ limits, rules }));
}

export interface RuleCost {
  series: number;
  rules: number;
  ticks: number;
  /** CPU time per tick (user + system), the figure least disturbed by other processes. */
  cpuMs: number;
  /** Wall time per tick. */
  medianMs: number;
  meanMs: number;
  p99Ms: number;
  verdictsPerTick: number;
  /** Verdicts per tick by rule (user rules together). */
  verdictsByRule: Record<string, number>;
}

/** The time RuleSet.onTick takes over `ticks` ticks (CPU per tick, and wall median, mean, p99),
 * after the bindings are made and the anomaly baselines warmed up. */
export function measureRuleCost(ticks = 3000, everyRuleReadsAll = false): RuleCost {
  const keys = seriesKeys();
  const random = seeded(42);
  // Each series wanders around a level of its own (mean-reverting), in its own units; one in
  // fifty sits beyond its thresholds, so a few alerts are open at any time, as on a real stack.
  const base = keys.map((key) => {
    if (key.startsWith('service_rss_bytes')) return (100 + 1400 * random()) * 1024 ** 2;
    if (key.startsWith('service_health_latency_ms')) return 2 + 48 * random();
    return 5 + 60 * random();
  });
  const hot = keys.map(() => random() < 0.02);
  const value = base.map((b) => b);
  const rules = new RuleSet(config(everyRuleReadsAll));
  const tick = (t: number) => {
    const values: Record<string, number> = {};
    for (let i = 0; i < keys.length; i++) {
      const target = hot[i] ? Math.max(base[i]!, 120) * 2 : base[i]!;
      value[i] = Math.max(0, value[i]! + 0.2 * (target - value[i]!) + (random() - 0.5) * 0.1 * base[i]!);
      values[keys[i]!] = value[i]!;
    }
    return { t, values };
  };
  let t = Date.parse('2025-03-01T00:00:00Z');
  for (let i = 0; i < 200; i++, t += STEP_MS) rules.onTick(tick(t)); // bindings, warm-up, JIT
  const times: number[] = [];
  let verdicts = 0;
  let cpuMicros = 0;
  const byRule = new Map<string, number>();
  // Ticks are made ahead in batches, so that the CPU time counted is the rules' alone. CPU time
  // is the figure to read on a shared machine: wall time includes other processes' turns.
  for (let done = 0; done < ticks; ) {
    const batch = [];
    for (let i = 0; i < 100 && done + i < ticks; i++, t += STEP_MS) batch.push(tick(t));
    const cpuBefore = process.cpuUsage();
    for (const input of batch) {
      const start = performance.now();
      const result = rules.onTick(input);
      times.push(performance.now() - start);
      verdicts += result.verdicts.length;
      for (const v of result.verdicts) {
        const rule = v.rule.startsWith('rule-') ? 'user rules' : v.rule;
        byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
      }
    }
    const cpu = process.cpuUsage(cpuBefore);
    cpuMicros += cpu.user + cpu.system;
    done += batch.length;
  }
  times.sort((a, b) => a - b);
  return {
    series: keys.length,
    rules: 200,
    ticks,
    cpuMs: cpuMicros / 1000 / ticks,
    medianMs: times[Math.floor(times.length / 2)]!,
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    p99Ms: times[Math.floor(times.length * 0.99)]!,
    verdictsPerTick: verdicts / ticks,
    verdictsByRule: Object.fromEntries([...byRule].map(([rule, n]) => [rule, Number((n / ticks).toFixed(1))])),
  };
}

/** Lines a second through 20 log rules (10 on one service, 10 on every service). */
export function measureLogLineCost(lines = 200_000): number {
  const logs = Array.from({ length: 20 }, (_, i) => ({
    name: `log-${i}`,
    pattern: i % 2 ? `ERROR code=${i}\\d+` : `timeout-${i}`,
    ...(i < 10 ? { service: 'svc-0' } : {}),
  }));
  const rules = new RuleSet(resolveAlertRules(alertRulesSchema.parse({ logs })));
  const texts = Array.from({ length: 1000 }, (_, i) => `2025-03-01T00:00:00Z [info] GET /api/items/${i} 200 in ${i % 97}ms user=u${i}`);
  const t0 = Date.parse('2025-03-01T00:00:00Z');
  const start = performance.now();
  for (let i = 0; i < lines; i++) rules.onLogLine('svc-0', { time: t0 + i, text: texts[i % texts.length]! });
  return lines / ((performance.now() - start) / 1000);
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const ticks = option('ticks', 3000);
  const typical = measureRuleCost(ticks, false);
  const worst = measureRuleCost(ticks, true);
  const linesPerSecond = measureLogLineCost();
  const ms = (n: number) => n.toFixed(3).padStart(9);
  const row = (what: string, c: RuleCost) => `${what.padEnd(44)}${ms(c.cpuMs)}${ms(c.medianMs)}${ms(c.meanMs)}${ms(c.p99Ms)} ${c.verdictsPerTick.toFixed(1).padStart(9)}`;
  console.log(`rule evaluation, ${typical.rules} rules over ${typical.series} series, ${ticks} ticks (target < 2 ms a tick)`);
  console.log(`${'case'.padEnd(44)}${'cpu ms'.padStart(9)}${'median'.padStart(9)}${'mean'.padStart(9)}${'p99'.padStart(9)} ${'verdicts'.padStart(9)}`);
  console.log(row('stack of 50 services (most rules pin one)', typical));
  console.log(row('worst: every user rule reads all 50 series', worst));
  console.log(`verdicts per tick by rule, stack of 50 services: ${JSON.stringify(typical.verdictsByRule)}`);
  console.log(`log lines through 20 log rules: ${Math.round(linesPerSecond).toLocaleString('en')} lines/s`);
  if (args.includes('--json')) {
    const round = (n: number) => Number(n.toFixed(4));
    console.log(
      JSON.stringify({
        eval_ms_per_tick: round(typical.cpuMs),
        eval_median_wall_ms_per_tick: round(typical.medianMs),
        eval_p99_wall_ms_per_tick: round(typical.p99Ms),
        eval_worst_ms_per_tick: round(worst.cpuMs),
        log_lines_per_second: Math.round(linesPerSecond),
      }),
    );
  }
}
