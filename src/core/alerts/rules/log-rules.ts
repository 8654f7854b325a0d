// Log rules ("log:<name>"): a pattern counted in each service's output within a sliding
// window; more than `more_than` matching lines fire. A line costs one pattern test per rule that
// reads its service; the count and the verdict's numbers are refreshed at each tick, so a flood
// of matching lines builds no verdict per line. Vigil's own notes in a log (stream "vigil")
// are not the service's output and are not counted.
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { LogRuleConfig } from '../config/rules-config.ts';
import { logRuleName } from './builtin-rules.ts';
import { parseTemplate, renderTemplate, type TemplatePart } from './message-template.ts';
import { compileLinePattern, type LinePattern } from './safe-pattern.ts';
import { SlidingWindowCount } from './sliding-window-count.ts';
import { logRuleFields } from './template-fields.ts';
import { makeVerdict, VerdictBook } from './verdict-book.ts';
import { spokenDuration } from './verdict-format.ts';

/** A line of a service's output as it arrives. */
export interface LogLineInput {
  /** ISO 8601 (as the supervisor's LogLine) or ms since the epoch. */
  time: string | number;
  text: string;
  stream?: 'stdout' | 'stderr' | 'vigil';
}

/** Matching lines an alert carries. */
const KEPT_LINES = 5;

interface Counter {
  window: SlidingWindowCount;
  /** The last matching lines, oldest first. */
  lines: string[];
  active: boolean;
}

class LogRule {
  readonly name: string;
  readonly config: LogRuleConfig;
  readonly pattern: LinePattern;
  private readonly template: TemplatePart[] | null;
  readonly counters = new Map<string, Counter>();

  constructor(config: LogRuleConfig) {
    this.config = config;
    this.name = logRuleName(config.name);
    this.pattern = compileLinePattern(config.pattern, config.ignoreCase);
    this.template = config.message === null ? null : parseTemplate(config.message, logRuleFields(config.labels));
  }

  counter(service: string): Counter {
    let counter = this.counters.get(service);
    if (!counter) {
      counter = { window: new SlidingWindowCount(this.config.windowMs), lines: [], active: false };
      this.counters.set(service, counter);
    }
    return counter;
  }

  verdict(service: string, counter: Counter, count: number, active: boolean): RuleVerdict {
    const c = this.config;
    const window = spokenDuration(c.windowMs);
    const last = counter.lines.at(-1) ?? '';
    const summary = this.template
      ? renderTemplate(
          this.template,
          { ...c.labels, rule: this.name, service, value: String(count), threshold: String(c.moreThan), window, pattern: c.pattern, line: last, severity: c.severity },
          { ...c.labels, service },
        )
      : active
        ? `${service}: ${count} lines matching ${JSON.stringify(c.pattern)} in the last ${window} (more than ${c.moreThan})`
        : `${service}: ${count} lines matching ${JSON.stringify(c.pattern)} in the last ${window}, no more than ${c.moreThan}`;
    return makeVerdict(this.name, { ...c.labels, service }, c, active, summary, {
      service,
      value: count,
      threshold: c.moreThan,
      matches: count,
      lastLines: [...counter.lines],
      facts: { pattern: c.pattern, window },
    });
  }
}

export class LogRules {
  private readonly byService = new Map<string, LogRule[]>();
  private readonly everyService: LogRule[] = [];
  private readonly rules: LogRule[];
  private readonly book = new VerdictBook();

  constructor(configs: readonly LogRuleConfig[]) {
    this.rules = configs.map((c) => new LogRule(c));
    for (const rule of this.rules) {
      const service = rule.config.service;
      if (service === null) this.everyService.push(rule);
      else this.byService.set(service, [...(this.byService.get(service) ?? []), rule]);
    }
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  onLine(service: string, line: LogLineInput, out: RuleVerdict[]): void {
    if (line.stream === 'vigil') return;
    const own = this.byService.get(service);
    if (own) for (const rule of own) this.test(rule, service, line, out);
    for (const rule of this.everyService) this.test(rule, service, line, out);
  }

  /** Windows slide with time: counts are refreshed, and bursts that are over let go. */
  onTick(t: number, out: RuleVerdict[]): void {
    for (const rule of this.rules) {
      for (const [service, counter] of rule.counters) {
        if (!counter.active) continue;
        const count = counter.window.count(t);
        const key = `${rule.name}|${service}`;
        if (count > rule.config.moreThan) this.book.update(key, rule.verdict(service, counter, count, true));
        else {
          counter.active = false;
          this.book.drop(key, out, rule.verdict(service, counter, count, false).summary);
        }
      }
    }
  }

  /** Lets go of the counts of services that left the stack. */
  sync(services: ReadonlySet<string>, out: RuleVerdict[]): void {
    for (const rule of this.rules) {
      for (const service of [...rule.counters.keys()]) {
        if (services.has(service)) continue;
        rule.counters.delete(service);
        this.book.drop(`${rule.name}|${service}`, out, `${service} left the stack`);
      }
    }
  }

  list(out: RuleVerdict[]): void {
    this.book.list(out);
  }

  private test(rule: LogRule, service: string, line: LogLineInput, out: RuleVerdict[]): void {
    if (!rule.pattern.test(line.text)) return;
    const t = typeof line.time === 'number' ? line.time : Date.parse(line.time);
    if (!Number.isFinite(t)) return;
    const counter = rule.counter(service);
    counter.window.add(t);
    counter.lines.push(line.text);
    if (counter.lines.length > KEPT_LINES) counter.lines.shift();
    if (counter.active) return;
    const count = counter.window.count(t);
    if (count <= rule.config.moreThan) return;
    counter.active = true;
    this.book.raise(`${rule.name}|${service}`, rule.verdict(service, counter, count, true), out);
  }
}
