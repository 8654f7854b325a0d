// The rules part of the stack file's `alerts:` section, and the resolved config a RuleSet is
// built from. The integrator puts these keys into the `alerts:` object of the stack file schema
// (with the channels' and the lifecycle's keys beside them); the pieces come from schema-kit.ts,
// as the tunnels' and Fly's sections do. The resolved config is plain data (it crosses the
// stack loader's process boundary): patterns, selectors and templates are checked here and
// compiled again by the RuleSet.
//
//   alerts:
//     builtin:                       # every built-in rule is on; each can be tuned or switched off
//       system-cpu: { warning: 70, critical: 90, for: 5m }
//       tunnel-url-changed: { enabled: false }
//     limits:                        # per service; service-cpu, service-rss and the leak forecast read them
//       server: { cpu: 150, rss: 2GB, restart_before_oom: true }
//     logs:
//       - { name: errors, service: server, pattern: ERROR, more_than: 5, window: 1m }
//     rules:
//       - name: slow-server
//         series: service_health_latency_ms{service="server"}
//         op: ">"
//         threshold: 200
//         clear: 150
//         for: 1m
//         message: "{{service}} latency {{value}} ms > {{threshold}}"
import { z } from 'zod';
import type { AlertSeverity } from '../../../shared/alerts.ts';
import { duration, nearestName, SERVICE_NAME, show, strictObject } from '../../kit/schema-kit.ts';
import { parseSize } from '../../kit/units.ts';
import { BUILTIN_RULE_NAMES, type BuiltinRuleName, isBuiltinRuleName, LOG_RULE_PREFIX } from '../rules/builtin-rules.ts';
import { parseTemplate } from '../rules/message-template.ts';
import { patternProblem } from '../rules/safe-pattern.ts';
import { parseSelector, type SeriesSelector } from '../rules/series-selector.ts';
import { logRuleFields, userRuleFields } from '../rules/template-fields.ts';
import type { ThresholdOp } from '../rules/threshold-tracker.ts';

// ---- pieces ----

const SEVERITIES = ['info', 'warning', 'critical'] as const;

const severity = (fallback: AlertSeverity) =>
  z
    .enum(SEVERITIES, { error: (i) => `expected "info", "warning" or "critical", got ${show(i.input)}` })
    .default(fallback)
    .meta({ description: `How bad it is: info, warning or critical. Default ${fallback}.` });

const enabled = z
  .boolean({ error: (i) => `expected true or false, got ${show(i.input)}` })
  .default(true)
  .meta({ description: 'false switches the rule off. Default true.' });

const channels = z
  .array(z.string({ error: (i) => `expected a channel name, got ${show(i.input)}` }).min(1, { error: 'a channel name cannot be empty' }), {
    error: (i) => `expected a list of channel names such as [slack], got ${show(i.input)}`,
  })
  .default([])
  .meta({ description: 'The channels to notify (by name). Default: the default route.' });

const labels = z
  .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: (i) => `a label name uses letters, digits and "_", got ${show(i.input)}` }), z.string({ error: (i) => `expected a label value (text), got ${show(i.input)}` }), {
    error: (i) => `expected a mapping of label names to values such as { team: web }, got ${show(i.input)}`,
  })
  .refine((map) => !Object.hasOwn(map, 'alertname'), { error: 'the label "alertname" is the rule\'s name and cannot be set' })
  .default({})
  .meta({ description: 'Labels added to the alert (for silences and routing).' });

const number = (what: string, min: number, max = Number.MAX_SAFE_INTEGER, minExclusive = false) => {
  const range = max === Number.MAX_SAFE_INTEGER ? (minExclusive ? `above ${min}` : `at least ${min}`) : `from ${min} to ${max}`;
  const message = (i: { input?: unknown }) => `expected ${what} (a number ${range}), got ${show(i.input)}`;
  return z
    .number({ error: message })
    .refine((n) => (minExclusive ? n > min : n >= min) && n <= max, { error: message });
};

const percent = (what: string) => number(what, 0, 100);

const SIZE_HINT = 'a size such as "2GB", "512MB" or a number of bytes';

const sizeBytes = z.union([z.number(), z.string()], { error: (i) => `expected ${SIZE_HINT}, got ${show(i.input)}` }).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseSize(value);
  if (bytes === null || !(bytes > 0) || !Number.isFinite(bytes)) {
    ctx.addIssue({ code: 'custom', message: `expected ${SIZE_HINT} (more than 0), got ${show(value)}` });
    return z.NEVER;
  }
  return bytes;
});

/** A threshold: a number, or a size ("2GB") for series in bytes. */
const thresholdValue = z.union([z.number(), z.string()], { error: (i) => `expected a number (or a size such as "2GB"), got ${show(i.input)}` }).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const bytes = /b$/i.test(value.trim()) ? parseSize(value) : null;
  if (bytes === null) {
    ctx.addIssue({ code: 'custom', message: `expected a number (or a size such as "2GB"), got ${show(value)}` });
    return z.NEVER;
  }
  return bytes;
});

const ruleName = (what: string) =>
  z
    .string({ error: (i) => (i.input === undefined ? `every ${what} needs a name` : `expected a name, got ${show(i.input)}`) })
    .regex(SERVICE_NAME, { error: (i) => `a name uses letters, digits, "-", "_" and "." and starts with a letter or digit; got ${show(i.input)}` });

const serviceName = z
  .string({ error: (i) => `expected the name of a service of the stack, got ${show(i.input)}` })
  .regex(SERVICE_NAME, { error: (i) => `expected the name of a service of the stack, got ${show(i.input)}` });

const forDuration = (ms: number, written: string, why: string) => duration(ms, written, `How long the condition must hold before the alert fires (${why}).`);

// ---- built-in rules ----

/** Keys every built-in rule has. */
const common = (sev: AlertSeverity, forMs: number, forWritten: string, forWhy: string) => ({
  enabled,
  severity: severity(sev),
  for: forDuration(forMs, forWritten, forWhy),
  channels,
});

const builtin = <Shape extends z.ZodRawShape>(name: BuiltinRuleName, shape: Shape, description: string) =>
  strictObject(shape, `settings of the ${name} rule`)
    // Every key has a default; the cast only spares the generic its proof of that.
    .prefault({} as never)
    .meta({ description });

const clearAfter = duration(60_000, '1m', 'The alert resolves once the service has run this long without failing again.');

/** Warning and critical levels of a system percentage, with hysteresis in percentage points. */
const levelsRule = (name: BuiltinRuleName, what: string, warning: number, critical: number, hysteresis: number, forMs: number, forWritten: string, forWhy: string) =>
  builtin(
    name,
    {
      enabled,
      warning: percent(`a ${what} percentage`).default(warning).meta({ description: `Warning above this ${what} percentage. Default ${warning}.` }),
      critical: percent(`a ${what} percentage`).default(critical).meta({ description: `Critical above this ${what} percentage. Default ${critical}.` }),
      hysteresis: percent('a number of percentage points')
        .default(hysteresis)
        .meta({ description: `A firing level resolves only once the value is this many points below it. Default ${hysteresis}.` }),
      for: forDuration(forMs, forWritten, forWhy),
      channels,
    },
    `System ${what} above a warning / critical level for a while.`,
  ).superRefine((spec, ctx) => {
    if (spec.warning >= spec.critical) ctx.addIssue({ code: 'custom', path: ['critical'], message: `critical (${spec.critical}) must be above warning (${spec.warning})` });
  });

const builtinSchema = strictObject(
  {
    'service-crashed': builtin('service-crashed', { ...common('warning', 0, '0s', 'a crash is news at once'), clear_after: clearAfter }, 'A service exited without being asked to.'),
    'service-crash-looping': builtin(
      'service-crash-looping',
      { ...common('critical', 0, '0s', 'the supervisor already counted the failures'), clear_after: clearAfter },
      'A service keeps crashing and Vigil pauses before trying again.',
    ),
    'service-unhealthy': builtin(
      'service-unhealthy',
      common('warning', 30_000, '30s', "Vigil restarts a hung service itself: only one that stays unhealthy needs a person"),
      'A service fails its health check.',
    ),
    'service-port-taken': builtin('service-port-taken', common('warning', 0, '0s', 'the service cannot start until somebody frees the port'), 'Another process holds a service\'s port.'),
    'tunnel-down': builtin('tunnel-down', common('critical', 60_000, '1m', 'agents reconnect by themselves within seconds'), 'A tunnel is down.'),
    'tunnel-degraded': builtin('tunnel-degraded', common('warning', 120_000, '2m', 'edge connections come and go'), 'A tunnel runs but not fully.'),
    'tunnel-url-changed': builtin(
      'tunnel-url-changed',
      { ...common('info', 0, '0s', 'a new URL is news at once'), hold: duration(300_000, '5m', 'How long the alert stays open (a URL change has no end of its own).') },
      "A tunnel's public URL changed.",
    ),
    'fly-app-down': builtin('fly-app-down', common('critical', 60_000, '1m', 'one poll with every check critical can be a rolling restart'), 'The Fly app is down (degraded or stuck: one level lower).'),
    'fly-unreachable': builtin('fly-unreachable', common('warning', 300_000, '5m', 'a laptop changing networks loses Fly for a minute'), 'Vigil cannot reach Fly.io.'),
    'fly-deploy-failing': builtin(
      'fly-deploy-failing',
      { ...common('critical', 0, '0s', 'the watcher already saw the checks fail'), window: duration(900_000, '15m', 'Failing checks this soon after a deploy (or never healthy since) are blamed on it.') },
      "The Fly app's checks fail after a deploy.",
    ),
    // CPU: builds and test runs hold a core at 100 % for a minute or three on every dev machine.
    'system-cpu': levelsRule('system-cpu', 'CPU', 70, 90, 5, 300_000, '5m', 'compiles and test runs peak for minutes'),
    // Memory: caches and builds swell for a few minutes and give it back.
    'system-memory': levelsRule('system-memory', 'memory', 80, 95, 5, 300_000, '5m', 'builds swell memory for minutes and give it back'),
    // Disk: used space does not blip, and at 95 % writes start failing soon: one minute only
    // guards against one odd reading.
    'system-disk': levelsRule('system-disk', 'disk', 85, 95, 2, 60_000, '1m', 'used space does not blip; waiting longer costs more than it saves'),
    'service-cpu': builtin(
      'service-cpu',
      {
        ...common('warning', 300_000, '5m', 'a service busy for a burst is doing its job'),
        hysteresis: percent('a percentage of the limit').default(10).meta({ description: 'A firing alert resolves once the value is this percentage of the limit below it. Default 10.' }),
      },
      "A service's CPU above its limit (alerts.limits.<service>.cpu; off for services without one).",
    ),
    'service-rss': builtin(
      'service-rss',
      {
        ...common('warning', 60_000, '1m', 'resident memory moves slowly; one minute above is real'),
        hysteresis: percent('a percentage of the limit').default(5).meta({ description: 'A firing alert resolves once the value is this percentage of the limit below it. Default 5.' }),
      },
      "A service's memory above its limit (alerts.limits.<service>.rss; off for services without one).",
    ),
    'service-anomaly': builtin(
      'service-anomaly',
      {
        ...common('warning', 300_000, '5m', 'a blip is not an anomaly; five minutes far from normal is'),
        series: z
          .array(z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: (i) => `expected a series name such as service_cpu_percent, got ${show(i.input)}` }), {
            error: (i) => `expected a list of series names, got ${show(i.input)}`,
          })
          .default(['service_health_latency_ms', 'service_cpu_percent', 'service_rss_bytes'])
          .meta({ description: 'The series watched, each per service. Default health-check latency, CPU and memory.' }),
        sensitivity: number('a number of deviations', 2, 20)
          .default(5)
          .meta({ description: 'How many deviations from its baseline make a value anomalous. Lower is touchier. Default 5.' }),
        warmup: duration(900_000, '15m', 'How long a series is learned before it is judged.'),
        half_life: duration(1_800_000, '30m', 'How fast the baseline follows the series: the weight of a value halves after this long.'),
      },
      "A service's series far outside its own baseline for a sustained time.",
    ),
    'service-leak': builtin(
      'service-leak',
      {
        enabled,
        severity: severity('warning'),
        channels,
        window: duration(1_800_000, '30m', 'How much of the memory history the trend is fitted to.'),
        horizon: duration(3_600_000, '1h', 'Warn when the trend reaches the limit within this time.'),
        restart_lead: duration(300_000, '5m', 'With restart_before_oom, restart when the limit is this close.'),
      },
      "A service's memory grows steadily and will reach its limit (or the machine's memory) within the horizon.",
    ),
  },
  'the built-in rules (a mapping of rule names such as system-cpu to their settings)',
)
  .prefault({})
  .meta({ description: `Settings of the built-in rules, by name: ${BUILTIN_RULE_NAMES.join(', ')}. Each is on unless enabled: false.` });

// ---- limits ----

const limitsEntry = strictObject(
  {
    cpu: number('a CPU percentage (100 is one core)', 0, Number.MAX_SAFE_INTEGER, true)
      .optional()
      .meta({ description: 'CPU of the service\'s process tree, in percent of one core (200: two cores). Off unless set.' }),
    rss: sizeBytes.optional().meta({ description: 'Resident memory of the service\'s process tree, such as "2GB". Off unless set.' }),
    restart_before_oom: z
      .boolean({ error: (i) => `expected true or false, got ${show(i.input)}` })
      .default(false)
      .meta({ description: 'Restart the service when its memory trend will reach the limit (rss, else the machine\'s memory) within restart_lead. Default false.' }),
  },
  'the limits of a service',
);

const limitsSchema = z
  .record(serviceName, limitsEntry, { error: (i) => `expected a mapping of service names to limits such as { server: { rss: 2GB } }, got ${show(i.input)}` })
  .default({})
  .meta({ description: 'Limits per service, by name: cpu (percent), rss (size), restart_before_oom.' });

// ---- log rules ----

const logRuleSchema = strictObject(
  {
    name: ruleName('log rule').meta({ description: 'The rule is called "log:<name>".', examples: ['errors'] }),
    pattern: z
      .string({ error: (i) => `expected a pattern such as ERROR, got ${show(i.input)}` })
      .meta({ description: 'RE2 syntax (no back-references or look-around). A plain word matches anywhere in the line.', examples: ['ERROR', 'status=5\\d\\d'] }),
    ignore_case: z.boolean({ error: (i) => `expected true or false, got ${show(i.input)}` }).default(false).meta({ description: 'Default false.' }),
    service: serviceName.optional().meta({ description: 'The service whose output is read. Default: every service, each counted apart.' }),
    more_than: number('a number of lines', 0)
      .refine(Number.isInteger, { error: (i) => `expected a whole number of lines, got ${show(i.input)}` })
      .default(5)
      .meta({ description: 'Fires when more than this many lines match within `window`. Default 5.' }),
    window: duration(60_000, '1m', 'The sliding window lines are counted in.'),
    for: forDuration(0, '0s', 'the window already asks for a burst'),
    severity: severity('warning'),
    channels,
    labels,
    message: z.string({ error: (i) => `expected a message template, got ${show(i.input)}` }).optional().meta({
      description: 'The alert\'s summary, with fields such as {{service}}, {{value}} (matching lines), {{threshold}}, {{line}} (the last one).',
    }),
  },
  'a log rule',
).superRefine((spec, ctx) => {
  const problem = patternProblem(spec.pattern, spec.ignore_case);
  if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  if (spec.window < 1000) ctx.addIssue({ code: 'custom', path: ['window'], message: `expected a window of at least 1s, got ${spec.window}ms` });
  if (spec.message !== undefined) checkTemplate(spec.message, logRuleFields(spec.labels), ctx);
});

// ---- user rules ----

const OPS = ['>', '>=', '<', '<='] as const;

const userRuleSchema = strictObject(
  {
    name: ruleName('rule').meta({ description: 'The alert\'s name; unique, and none of the built-in names.', examples: ['slow-server'] }),
    enabled,
    series: z
      .string({ error: (i) => `expected a series such as service_cpu_percent{service="server"}, got ${show(i.input)}` })
      .meta({ description: 'A series key, or a name with label matchers (=, !=, =~, !~).', examples: ['service_health_latency_ms{service="server"}'] }),
    op: z
      .enum(OPS, { error: (i) => `expected one of ${OPS.map((o) => `"${o}"`).join(', ')} (in quotes), got ${show(i.input)}` })
      .default('>')
      .meta({ description: 'How the value compares with the threshold when the alert holds. Default ">".' }),
    threshold: thresholdValue.meta({ description: 'The value beyond which the alert holds (a size such as "2GB" for series in bytes).' }),
    clear: thresholdValue.optional().meta({ description: 'Where a firing alert resolves (hysteresis): below the threshold for > and >=, above it for < and <=. Default: the threshold.' }),
    for: forDuration(60_000, '1m', 'a quiet default: say 0s for at once'),
    severity: severity('warning'),
    channels,
    labels,
    message: z.string({ error: (i) => `expected a message template, got ${show(i.input)}` }).optional().meta({
      description: 'The alert\'s summary, with fields such as {{value}}, {{threshold}}, {{service}}, {{labels.NAME}}.',
      examples: ['{{service}} latency {{value}} ms > {{threshold}}'],
    }),
  },
  'a rule',
).transform((spec, ctx) => {
  let selector: SeriesSelector;
  try {
    selector = parseSelector(spec.series);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['series'], message: (err as Error).message });
    return z.NEVER;
  }
  const clear = spec.clear ?? spec.threshold;
  const above = spec.op === '>' || spec.op === '>=';
  if (above ? clear > spec.threshold : clear < spec.threshold) {
    ctx.addIssue({ code: 'custom', path: ['clear'], message: `with op "${spec.op}" the clear value must be ${above ? 'at most' : 'at least'} the threshold (${spec.threshold}), got ${clear}` });
  }
  if (spec.message !== undefined) checkTemplate(spec.message, userRuleFields(selector, spec.labels), ctx);
  return {
    name: spec.name,
    enabled: spec.enabled,
    series: selector,
    op: spec.op as ThresholdOp,
    threshold: spec.threshold,
    clear,
    forMs: spec.for,
    severity: spec.severity,
    channels: spec.channels,
    labels: spec.labels,
    message: spec.message ?? null,
  };
});

function checkTemplate(template: string, fields: string[], ctx: z.RefinementCtx): void {
  try {
    parseTemplate(template, fields);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['message'], message: (err as Error).message });
  }
}

/** Names unique within a list, and (for user rules) none of the built-in ones. */
function uniqueNames(list: { name: string }[], ctx: z.RefinementCtx, what: string, reserved: (name: string) => string | null) {
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const clash = reserved(entry.name);
    if (clash) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: clash });
    const first = seen.get(entry.name);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `another ${what} (number ${first + 1}) is already named "${entry.name}"; names must be unique` });
    else seen.set(entry.name, index);
  });
}

const logsSchema = z
  .array(logRuleSchema, { error: (i) => `expected a list of log rules (each "- name: ..."), got ${show(i.input)}` })
  .default([])
  .superRefine((list, ctx) => uniqueNames(list, ctx, 'log rule', () => null))
  .meta({ description: 'Patterns counted in services\' output: more than `more_than` matching lines within `window` fire "log:<name>".' });

const rulesSchema = z
  .array(userRuleSchema, { error: (i) => `expected a list of rules (each "- name: ..."), got ${show(i.input)}` })
  .default([])
  .superRefine((list, ctx) =>
    uniqueNames(list, ctx, 'rule', (name) =>
      isBuiltinRuleName(name) ? `"${name}" is a built-in rule; tune it under alerts.builtin.${name}, or give this rule another name` : name.startsWith(LOG_RULE_PREFIX) ? `names starting with "${LOG_RULE_PREFIX}" belong to log rules` : null,
    ),
  )
  .meta({ description: 'Thresholds on any series: series, op, threshold, clear, for, severity, channels, labels, message.' });

// ---- the section ----

/** The rules' keys of the `alerts:` section, for the integrator to spread into it. */
export const alertRulesShape = {
  builtin: builtinSchema,
  limits: limitsSchema,
  logs: logsSchema,
  rules: rulesSchema,
};

/** The rules' keys as a section of their own (tests, and a stack without the other keys). */
export const alertRulesSchema = strictObject(alertRulesShape, 'the alert rules');

type BuiltinSpec = z.output<typeof builtinSchema>;

export interface EventRuleSettings {
  enabled: boolean;
  severity: AlertSeverity;
  forMs: number;
  channels: string[];
}
export interface ClearingRuleSettings extends EventRuleSettings {
  clearAfterMs: number;
}
export interface HoldRuleSettings extends EventRuleSettings {
  holdMs: number;
}
export interface DeployRuleSettings extends EventRuleSettings {
  windowMs: number;
}
export interface LevelRuleSettings {
  enabled: boolean;
  warning: number;
  critical: number;
  /** Percentage points below a level at which it lets go. */
  hysteresis: number;
  forMs: number;
  channels: string[];
}
export interface LimitRuleSettings extends EventRuleSettings {
  /** Percent of the limit below it at which a firing alert lets go. */
  hysteresisPercent: number;
}
export interface AnomalySettings extends EventRuleSettings {
  series: string[];
  sensitivity: number;
  warmupMs: number;
  halfLifeMs: number;
}
export interface LeakSettings {
  enabled: boolean;
  severity: AlertSeverity;
  channels: string[];
  windowMs: number;
  horizonMs: number;
  restartLeadMs: number;
}

export interface BuiltinRulesConfig {
  'service-crashed': ClearingRuleSettings;
  'service-crash-looping': ClearingRuleSettings;
  'service-unhealthy': EventRuleSettings;
  'service-port-taken': EventRuleSettings;
  'tunnel-down': EventRuleSettings;
  'tunnel-degraded': EventRuleSettings;
  'tunnel-url-changed': HoldRuleSettings;
  'fly-app-down': EventRuleSettings;
  'fly-unreachable': EventRuleSettings;
  'fly-deploy-failing': DeployRuleSettings;
  'system-cpu': LevelRuleSettings;
  'system-memory': LevelRuleSettings;
  'system-disk': LevelRuleSettings;
  'service-cpu': LimitRuleSettings;
  'service-rss': LimitRuleSettings;
  'service-anomaly': AnomalySettings;
  'service-leak': LeakSettings;
}

export interface ServiceLimits {
  cpuPercent: number | null;
  rssBytes: number | null;
  restartBeforeOom: boolean;
}

export interface LogRuleConfig {
  name: string;
  pattern: string;
  ignoreCase: boolean;
  /** null: every service, each counted apart. */
  service: string | null;
  moreThan: number;
  windowMs: number;
  forMs: number;
  severity: AlertSeverity;
  channels: string[];
  labels: Record<string, string>;
  message: string | null;
}

export interface UserRuleConfig {
  name: string;
  enabled: boolean;
  series: SeriesSelector;
  op: ThresholdOp;
  threshold: number;
  clear: number;
  forMs: number;
  severity: AlertSeverity;
  channels: string[];
  labels: Record<string, string>;
  message: string | null;
}

/** The resolved rules config: every default filled in, durations in ms, sizes in bytes. */
export interface AlertRulesConfig {
  builtin: BuiltinRulesConfig;
  limits: Record<string, ServiceLimits>;
  logs: LogRuleConfig[];
  rules: UserRuleConfig[];
}

/** What the `alerts:` section's rule keys parse to (before resolveAlertRules). */
export type AlertRulesSpec = z.output<typeof alertRulesSchema>;
export type AlertRulesSpecInput = z.input<typeof alertRulesSchema>;

const event = (s: { enabled: boolean; severity: AlertSeverity; for: number; channels: string[] }): EventRuleSettings => ({
  enabled: s.enabled,
  severity: s.severity,
  forMs: s.for,
  channels: s.channels,
});

const levels = (s: BuiltinSpec['system-cpu']): LevelRuleSettings => ({
  enabled: s.enabled,
  warning: s.warning,
  critical: s.critical,
  hysteresis: s.hysteresis,
  forMs: s.for,
  channels: s.channels,
});

/** The parsed section with every default filled in, in the RuleSet's terms. */
export function resolveAlertRules(spec: Pick<AlertRulesSpec, keyof typeof alertRulesShape>): AlertRulesConfig {
  const b = spec.builtin;
  const leak = b['service-leak'];
  const anomaly = b['service-anomaly'];
  return {
    builtin: {
      'service-crashed': { ...event(b['service-crashed']), clearAfterMs: b['service-crashed'].clear_after },
      'service-crash-looping': { ...event(b['service-crash-looping']), clearAfterMs: b['service-crash-looping'].clear_after },
      'service-unhealthy': event(b['service-unhealthy']),
      'service-port-taken': event(b['service-port-taken']),
      'tunnel-down': event(b['tunnel-down']),
      'tunnel-degraded': event(b['tunnel-degraded']),
      'tunnel-url-changed': { ...event(b['tunnel-url-changed']), holdMs: b['tunnel-url-changed'].hold },
      'fly-app-down': event(b['fly-app-down']),
      'fly-unreachable': event(b['fly-unreachable']),
      'fly-deploy-failing': { ...event(b['fly-deploy-failing']), windowMs: b['fly-deploy-failing'].window },
      'system-cpu': levels(b['system-cpu']),
      'system-memory': levels(b['system-memory']),
      'system-disk': levels(b['system-disk']),
      'service-cpu': { ...event(b['service-cpu']), hysteresisPercent: b['service-cpu'].hysteresis },
      'service-rss': { ...event(b['service-rss']), hysteresisPercent: b['service-rss'].hysteresis },
      'service-anomaly': {
        ...event(anomaly),
        series: anomaly.series,
        sensitivity: anomaly.sensitivity,
        warmupMs: anomaly.warmup,
        halfLifeMs: anomaly.half_life,
      },
      'service-leak': {
        enabled: leak.enabled,
        severity: leak.severity,
        channels: leak.channels,
        windowMs: leak.window,
        horizonMs: leak.horizon,
        restartLeadMs: leak.restart_lead,
      },
    },
    limits: Object.fromEntries(
      Object.entries(spec.limits).map(([service, l]) => [service, { cpuPercent: l.cpu ?? null, rssBytes: l.rss ?? null, restartBeforeOom: l.restart_before_oom }]),
    ),
    logs: spec.logs.map((l) => ({
      name: l.name,
      pattern: l.pattern,
      ignoreCase: l.ignore_case,
      service: l.service ?? null,
      moreThan: l.more_than,
      windowMs: l.window,
      forMs: l.for,
      severity: l.severity,
      channels: l.channels,
      labels: l.labels,
      message: l.message ?? null,
    })),
    rules: spec.rules,
  };
}

/** Every default: the rules of a stack file without an `alerts:` section. */
export function defaultAlertRules(): AlertRulesConfig {
  return resolveAlertRules(alertRulesSchema.parse({}));
}

/** A problem that needs the whole stack to see, at a path inside the `alerts:` section. */
export interface AlertRulesProblem {
  path: (string | number)[];
  message: string;
}

/** Checks that need the stack's service names: limits and log rules name services that exist.
 * The integrator turns each problem into a file:line issue with issueAtPath(['alerts', ...path]). */
export function checkAlertRulesAgainstStack(config: AlertRulesConfig, services: readonly string[]): AlertRulesProblem[] {
  const problems: AlertRulesProblem[] = [];
  const unknown = (name: string) => {
    const near = nearestName(name, [...services]);
    return `names the service "${name}", which no stack file declares${near ? ` (did you mean "${near}"?)` : services.length > 0 ? ` (services: ${services.join(', ')})` : ''}`;
  };
  for (const service of Object.keys(config.limits)) {
    if (!services.includes(service)) problems.push({ path: ['limits', service], message: unknown(service) });
  }
  config.logs.forEach((rule, index) => {
    if (rule.service !== null && !services.includes(rule.service)) problems.push({ path: ['logs', index, 'service'], message: unknown(rule.service) });
  });
  return problems;
}
