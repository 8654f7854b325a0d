// The alert rules' section of vigil.yml: defaults, and every broken rule reported with the file,
// line, column and field, through the stack file loader's own path (parseStackFile, its YAML
// positions and its zod issue handling). Until the integrator adds `alerts:` to schema.ts, this
// file composes it there for its own run, as the integrator will: the stack file schema,
// extended with the rules' keys under `alerts:`.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { formatIssue, loadStack, parseStackFile, StackFileError } from '../../../src/core/config/load-stack.ts';
import {
  alertRulesSchema,
  checkAlertRulesAgainstStack,
  defaultAlertRules,
  resolveAlertRules,
} from '../../../src/core/alerts/config/rules-config.ts';
import { tempDir, writeIn, yaml } from '../../helpers/temp-files.ts';

vi.mock('../../../src/core/config/schema.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/core/config/schema.ts')>();
  const { alertRulesSchema: alerts } = await import('../../../src/core/alerts/config/rules-config.ts');
  return { ...original, stackFileSchema: original.stackFileSchema.extend({ alerts: alerts.optional() }) };
});

const web = ['services:', '  - name: server', '    command: [node, server.js]'];

interface BrokenRule {
  name: string;
  lines: string[];
  line: number;
  column: number;
  field: string;
  words: string[];
}

// Line numbers count the three service lines first: the alerts section starts at line 4.
const cases: BrokenRule[] = [
  {
    name: 'a misspelt key of a built-in rule',
    lines: ['alerts:', '  builtin:', '    system-cpu: { warnng: 60 }'],
    line: 6,
    column: 19,
    field: 'alerts.builtin.system-cpu.warnng',
    words: ['unknown key "warnng"', 'did you mean "warning"?'],
  },
  {
    name: 'a misspelt built-in rule',
    lines: ['alerts:', '  builtin:', '    sytem-cpu: { enabled: false }'],
    line: 6,
    column: 5,
    field: 'alerts.builtin.sytem-cpu',
    words: ['did you mean "system-cpu"?'],
  },
  {
    name: 'a critical level below the warning level',
    lines: ['alerts:', '  builtin:', '    system-memory:', '      warning: 90', '      critical: 85'],
    line: 8,
    column: 17,
    field: 'alerts.builtin.system-memory.critical',
    words: ['critical (85) must be above warning (90)'],
  },
  {
    name: 'a percentage above 100',
    lines: ['alerts:', '  builtin:', '    system-disk: { critical: 120 }'],
    line: 6,
    column: 30,
    field: 'alerts.builtin.system-disk.critical',
    words: ['from 0 to 100', 'got 120'],
  },
  {
    name: 'a `for` that is not a duration',
    lines: ['alerts:', '  builtin:', '    tunnel-down:', '      for: 5 parsecs'],
    line: 7,
    column: 12,
    field: 'alerts.builtin.tunnel-down.for',
    words: ['duration', '"5 parsecs"'],
  },
  {
    name: 'a severity that does not exist',
    lines: ['alerts:', '  rules:', '    - name: slow', '      series: service_health_latency_ms', '      threshold: 200', '      severity: fatal'],
    line: 9,
    column: 17,
    field: 'alerts.rules[0].severity',
    words: ['"info", "warning" or "critical"', '"fatal"'],
  },
  {
    name: 'a log pattern with a back-reference',
    lines: ['alerts:', '  logs:', '    - name: repeats', '      pattern: (a)\\1'],
    line: 7,
    column: 16,
    field: 'alerts.logs[0].pattern',
    words: ['RE2 syntax', 'back-references', '\\\\1'],
  },
  {
    name: 'a log pattern with a look-ahead',
    lines: ['alerts:', '  logs:', '    - name: ahead', '      pattern: "foo(?=bar)"'],
    line: 7,
    column: 16,
    field: 'alerts.logs[0].pattern',
    words: ['unsupported Perl syntax', 'RE2 syntax'],
  },
  {
    name: 'a log pattern that does not parse',
    lines: ['alerts:', '  logs:', '    - name: open', '      pattern: "[ERROR"'],
    line: 7,
    column: 16,
    field: 'alerts.logs[0].pattern',
    words: ['missing closing ]'],
  },
  {
    name: 'a log rule without a pattern',
    lines: ['alerts:', '  logs:', '    - name: errors', '      more_than: 5'],
    line: 6,
    column: 7,
    field: 'alerts.logs[0].pattern',
    words: ['missing required key "pattern"'],
  },
  {
    name: 'a log rule counting half a line',
    lines: ['alerts:', '  logs:', '    - { name: errors, pattern: ERROR, more_than: 2.5 }'],
    line: 6,
    column: 50,
    field: 'alerts.logs[0].more_than',
    words: ['whole number', '2.5'],
  },
  {
    name: 'a series selector that is never closed',
    lines: ['alerts:', '  rules:', '    - name: slow', '      series: service_health_latency_ms{service="server"', '      threshold: 200'],
    line: 7,
    column: 15,
    field: 'alerts.rules[0].series',
    words: ['never closed', 'service_cpu_percent{service="server"}'],
  },
  {
    name: 'a label matcher with a catastrophic-looking pattern RE2 refuses',
    lines: ['alerts:', '  rules:', '    - name: slow', '      series: service_cpu_percent{service=~"(a)\\\\1"}', '      threshold: 200'],
    line: 7,
    column: 15,
    field: 'alerts.rules[0].series',
    words: ['label service', 'RE2 syntax'],
  },
  {
    name: 'a message naming a field no rule fills',
    lines: ['alerts:', '  rules:', '    - name: slow', '      series: service_health_latency_ms{service="server"}', '      threshold: 200', '      message: "{{servce}} is slow: {{value}} ms"'],
    line: 9,
    column: 16,
    field: 'alerts.rules[0].message',
    words: ['unknown field {{servce}}', 'did you mean {{service}}?'],
  },
  {
    name: 'a message with an unclosed field',
    lines: ['alerts:', '  rules:', '    - name: slow', '      series: service_health_latency_ms', '      threshold: 200', '      message: "{{value ms"'],
    line: 9,
    column: 16,
    field: 'alerts.rules[0].message',
    words: ['never closed'],
  },
  {
    name: 'a clear value on the wrong side of the threshold',
    lines: ['alerts:', '  rules:', '    - name: slow', '      series: service_health_latency_ms', '      threshold: 200', '      clear: 250'],
    line: 9,
    column: 14,
    field: 'alerts.rules[0].clear',
    words: ['at most the threshold (200)', '250'],
  },
  {
    name: 'a comparison that is not one',
    lines: ['alerts:', '  rules:', '    - name: slow', '      series: service_health_latency_ms', '      op: "=>"', '      threshold: 200'],
    line: 8,
    column: 11,
    field: 'alerts.rules[0].op',
    words: ['">"', '">="', '(in quotes)', '"=>"'],
  },
  {
    name: 'a user rule named as a built-in one',
    lines: ['alerts:', '  rules:', '    - name: system-cpu', '      series: system_cpu_percent', '      threshold: 50'],
    line: 6,
    column: 13,
    field: 'alerts.rules[0].name',
    words: ['built-in rule', 'alerts.builtin.system-cpu'],
  },
  {
    name: 'two user rules of one name',
    lines: ['alerts:', '  rules:', '    - { name: hot, series: system_cpu_percent, threshold: 50 }', '    - { name: hot, series: system_memory_percent, threshold: 50 }'],
    line: 7,
    column: 15,
    field: 'alerts.rules[1].name',
    words: ['already named "hot"', 'unique'],
  },
  {
    name: 'a threshold in words',
    lines: ['alerts:', '  rules:', '    - { name: big, series: service_rss_bytes, threshold: lots }'],
    line: 6,
    column: 58,
    field: 'alerts.rules[0].threshold',
    words: ['number', '"2GB"', '"lots"'],
  },
  {
    name: 'an RSS limit that is not a size',
    lines: ['alerts:', '  limits:', '    server: { rss: huge }'],
    line: 6,
    column: 20,
    field: 'alerts.limits.server.rss',
    words: ['size', '"2GB"', '"huge"'],
  },
  {
    name: 'a misspelt limit',
    lines: ['alerts:', '  limits:', '    server: { rsss: 2GB }'],
    line: 6,
    column: 15,
    field: 'alerts.limits.server.rsss',
    words: ['did you mean "rss"?'],
  },
  {
    name: 'a label that would rename the alert',
    lines: ['alerts:', '  rules:', '    - { name: hot, series: system_cpu_percent, threshold: 50, labels: { alertname: other } }'],
    line: 6,
    column: 71,
    field: 'alerts.rules[0].labels',
    words: ['"alertname" is the rule\'s name'],
  },
  {
    name: 'an anomaly sensitivity of 1',
    lines: ['alerts:', '  builtin:', '    service-anomaly: { sensitivity: 1 }'],
    line: 6,
    column: 37,
    field: 'alerts.builtin.service-anomaly.sensitivity',
    words: ['from 2 to 20', 'got 1'],
  },
];

describe('a broken alert rule', () => {
  it.each(cases)('$name: one message at line $line, column $column', async ({ lines, line, column, field, words }) => {
    const file = writeIn(tempDir(), 'vigil.yml', yaml(...web, ...lines));
    const error = await loadStack([file]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackFileError);
    const issues = (error as StackFileError).issues;
    expect(issues.map(formatIssue)).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file, line, column, field });
    for (const word of words) expect(issues[0]!.message).toContain(word);
  });
});

describe('the rules section', () => {
  it('is all defaults when absent, with the issue\'s levels and quiet durations', () => {
    const config = defaultAlertRules();
    expect(config.builtin['system-cpu']).toEqual({ enabled: true, warning: 70, critical: 90, hysteresis: 5, forMs: 300_000, channels: [] });
    expect(config.builtin['system-memory']).toMatchObject({ warning: 80, critical: 95, forMs: 300_000 });
    expect(config.builtin['system-disk']).toMatchObject({ warning: 85, critical: 95, forMs: 60_000 });
    expect(config.builtin['tunnel-url-changed']).toMatchObject({ enabled: true, severity: 'info' });
    expect(config.limits).toEqual({});
    expect(config.logs).toEqual([]);
    expect(config.rules).toEqual([]);
  });

  it('parses a whole section from a stack file, sizes and durations resolved', () => {
    const text = yaml(
      ...web,
      'alerts:',
      '  builtin:',
      '    system-cpu: { warning: 60, for: 2m }',
      '    tunnel-url-changed: { enabled: false }',
      '  limits:',
      '    server: { cpu: 150, rss: 2GB, restart_before_oom: true }',
      '  logs:',
      '    - { name: errors, service: server, pattern: ERROR, more_than: 5, window: 1m }',
      '  rules:',
      '    - name: slow-server',
      '      series: service_health_latency_ms{service="server"}',
      '      op: ">"',
      '      threshold: 200',
      '      clear: 150',
      '      for: 1m',
      '      severity: critical',
      '      channels: [slack]',
      '      labels: { team: web }',
      '      message: "{{service}} latency {{value}} ms > {{threshold}}"',
    );
    // The loader accepts the file as a whole (services and the alerts section together)...
    expect(parseStackFile(text, 'vigil.yml').services.map((x) => x.name)).toEqual(['server']);
    // ...and the section resolves to the RuleSet's terms.
    const data = alertRulesSchema.parse((parseYaml(text) as { alerts: unknown }).alerts);
    const config = resolveAlertRules(data);
    expect(config.builtin['system-cpu']).toMatchObject({ warning: 60, critical: 90, forMs: 120_000 });
    expect(config.limits.server).toEqual({ cpuPercent: 150, rssBytes: 2 * 1024 ** 3, restartBeforeOom: true });
    expect(config.logs[0]).toMatchObject({ name: 'errors', service: 'server', moreThan: 5, windowMs: 60_000, forMs: 0, ignoreCase: false });
    expect(config.builtin['tunnel-url-changed'].enabled).toBe(false);
    expect(config.rules[0]).toMatchObject({
      name: 'slow-server',
      severity: 'critical',
      channels: ['slack'],
      labels: { team: 'web' },
      series: { name: 'service_health_latency_ms', matchers: [{ label: 'service', op: '=', value: 'server' }] },
      op: '>',
      threshold: 200,
      clear: 150,
      forMs: 60_000,
    });
    // Plain data: the stack loader sends it across a process boundary as JSON.
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  it('describes itself as JSON Schema for editors (what a user writes, not what it resolves to)', () => {
    const schema = z.toJSONSchema(alertRulesSchema, { io: 'input' }) as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(schema.properties)).toEqual(['builtin', 'limits', 'logs', 'rules']);
    expect(Object.keys(schema.properties.builtin!.properties!)).toContain('service-leak');
  });

  it('points at limits and log rules that name services no stack file declares', () => {
    const text = yaml(
      ...web,
      'alerts:',
      '  limits:',
      '    sever: { rss: 1GB }',
      '  logs:',
      '    - { name: errors, service: servre, pattern: ERROR }',
    );
    const parsed = parseStackFile(text, 'vigil.yml');
    const config = resolveAlertRules(alertRulesSchema.parse({ limits: { sever: { rss: '1GB' } }, logs: [{ name: 'errors', service: 'servre', pattern: 'ERROR' }] }));
    const problems = checkAlertRulesAgainstStack(config, ['server']);
    const issues = problems.map((p) => parsed.issueAtPath(['alerts', ...p.path], p.message));
    expect(issues.map((i) => [i.line, i.column, i.field])).toEqual([
      [6, 12, 'alerts.limits.sever'],
      [8, 32, 'alerts.logs[0].service'],
    ]);
    expect(issues[0]!.message).toContain('did you mean "server"?');
    expect(issues[1]!.message).toContain('"servre"');
  });
});
