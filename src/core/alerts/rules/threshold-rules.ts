// The threshold rules a config asks for: the built-in system and per-service ones, and the
// user's own, each as a ThresholdRule over the series it reads.
import type { AlertRulesConfig, LevelRuleSettings, LimitRuleSettings, ServiceLimits, UserRuleConfig } from '../config/rules-config.ts';
import type { SeriesLabels } from '../../../shared/metrics.ts';
import { parseTemplate, renderTemplate } from './message-template.ts';
import { compileMatchers } from './series-selector.ts';
import type { RuleMemory } from './rule-memory.ts';
import { userRuleFields } from './template-fields.ts';
import { type ThresholdFacts, ThresholdRule } from './threshold-rule.ts';
import type { ThresholdLevel, ThresholdTracker } from './threshold-tracker.ts';
import { formatNumber, formatValue, spokenDuration, unitOfSeries } from './verdict-format.ts';

const held = (f: ThresholdFacts) => (f.heldMs > 0 ? ` for ${spokenDuration(f.heldMs)}` : '');

function levels(s: LevelRuleSettings): ThresholdLevel[] {
  return [
    { severity: 'warning', threshold: s.warning, clear: s.warning - s.hysteresis },
    { severity: 'critical', threshold: s.critical, clear: s.critical - s.hysteresis },
  ];
}

/** system-cpu, system-memory, system-disk: a percentage against a warning and a critical level. */
function systemRule(
  rule: 'system-cpu' | 'system-memory' | 'system-disk',
  seriesName: string,
  s: LevelRuleSettings,
  memory: RuleMemory,
  what: (f: ThresholdFacts) => string,
): ThresholdRule {
  return new ThresholdRule({
    rule,
    trackers: memory.store<ThresholdTracker>(rule, s),
    seriesName,
    op: '>',
    levelsFor: () => levels(s),
    forMs: s.forMs,
    channels: s.channels,
    unit: '%',
    summary: (f) =>
      f.active ? `${what(f)} ${formatNumber(f.value)} % > ${formatNumber(f.level.threshold)} %${held(f)}` : `${what(f)} back to ${formatNumber(f.value)} %`,
  });
}

/** service-cpu, service-rss: a service's usage against the limit set for it (none: no rule). */
function limitRule(
  rule: 'service-cpu' | 'service-rss',
  seriesName: string,
  s: LimitRuleSettings,
  limits: Record<string, ServiceLimits>,
  memory: RuleMemory,
  limitOf: (l: ServiceLimits) => number | null,
  what: string,
  unit: string,
): ThresholdRule {
  const perService = Object.fromEntries(Object.entries(limits).map(([service, l]) => [service, limitOf(l)]));
  return new ThresholdRule({
    rule,
    trackers: memory.store<ThresholdTracker>(rule, { s, perService }),
    seriesName,
    op: '>',
    levelsFor: (labels: SeriesLabels) => {
      const limit = labels.service && Object.hasOwn(limits, labels.service) ? limitOf(limits[labels.service]!) : null;
      return limit === null ? null : [{ severity: s.severity, threshold: limit, clear: limit * (1 - s.hysteresisPercent / 100) }];
    },
    forMs: s.forMs,
    channels: s.channels,
    unit,
    summary: (f) =>
      f.active
        ? `${f.labels.service}: ${what} ${formatValue(f.value, unit)} > ${formatValue(f.level.threshold, unit)}${held(f)}`
        : `${f.labels.service}: ${what} back to ${formatValue(f.value, unit)}`,
  });
}

function userRule(config: UserRuleConfig, memory: RuleMemory): ThresholdRule {
  const unit = unitOfSeries(config.series.name);
  const template = config.message === null ? null : parseTemplate(config.message, userRuleFields(config.series, config.labels));
  const summary = (f: ThresholdFacts) => {
    if (template) {
      const fields: Record<string, string> = {
        ...config.labels,
        ...f.labels,
        rule: config.name,
        series: f.key,
        value: formatNumber(f.value),
        threshold: formatNumber(config.threshold),
        clear: formatNumber(config.clear),
        op: config.op,
        for: spokenDuration(config.forMs),
        severity: config.severity,
      };
      return renderTemplate(template, fields, f.labels);
    }
    const value = formatValue(f.value, unit);
    return f.active ? `${config.name}: ${f.key} ${value} ${config.op} ${formatValue(config.threshold, unit)}${held(f)}` : `${config.name}: ${f.key} back to ${value}`;
  };
  return new ThresholdRule({
    rule: config.name,
    trackers: memory.store<ThresholdTracker>(config.name, config),
    seriesName: config.series.name,
    ...(config.series.matchers.length > 0 ? { matches: compileMatchers(config.series.matchers) } : {}),
    op: config.op,
    levelsFor: () => [{ severity: config.severity, threshold: config.threshold, clear: config.clear }],
    forMs: config.forMs,
    channels: config.channels,
    extraLabels: config.labels,
    ...(unit ? { unit } : {}),
    summary,
  });
}

export function thresholdRules(config: AlertRulesConfig, memory: RuleMemory): ThresholdRule[] {
  const b = config.builtin;
  const rules: ThresholdRule[] = [];
  if (b['system-cpu'].enabled) rules.push(systemRule('system-cpu', 'system_cpu_percent', b['system-cpu'], memory, () => 'CPU'));
  if (b['system-memory'].enabled) rules.push(systemRule('system-memory', 'system_memory_percent', b['system-memory'], memory, () => 'memory'));
  if (b['system-disk'].enabled) rules.push(systemRule('system-disk', 'system_disk_used_percent', b['system-disk'], memory, (f) => (f.labels.mount ? `disk ${f.labels.mount} used` : 'disk used')));
  const limits = config.limits;
  if (b['service-cpu'].enabled) rules.push(limitRule('service-cpu', 'service_cpu_percent', b['service-cpu'], limits, memory, (l) => l.cpuPercent, 'CPU', '%'));
  if (b['service-rss'].enabled) rules.push(limitRule('service-rss', 'service_rss_bytes', b['service-rss'], limits, memory, (l) => l.rssBytes, 'memory', 'bytes'));
  for (const rule of config.rules) if (rule.enabled) rules.push(userRule(rule, memory));
  return rules;
}
