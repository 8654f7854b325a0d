// The active alert keys of the rules that react to events and log lines, with their latest
// verdicts: raising or updating one reports it, letting go of one reports it once as inactive,
// and a tick lists every active one for the lifecycle.
import type { AlertDetails, AlertLabels, AlertSeverity, RuleVerdict } from '../../../shared/alerts.ts';
import { dashboardLink } from './verdict-format.ts';

export interface VerdictSettings {
  severity: AlertSeverity;
  forMs: number;
  channels: string[];
}

/** A verdict with the rule's labels (alertname first) and the dashboard link filled in. */
export function makeVerdict(
  rule: string,
  labels: AlertLabels,
  settings: VerdictSettings,
  active: boolean,
  summary: string,
  details: AlertDetails,
): RuleVerdict {
  const all = { ...labels, alertname: rule };
  return { rule, labels: all, active, severity: settings.severity, forMs: settings.forMs, summary, details, channels: settings.channels, link: dashboardLink(all) };
}

/** Active verdicts by a key the rule chooses (its name and subject: "service-crashed|server"),
 * so that a rule can let go of one without rebuilding its labels. */
export class VerdictBook {
  private readonly active = new Map<string, RuleVerdict>();

  /** Raises or updates a key; the verdict goes out. */
  raise(key: string, verdict: RuleVerdict, out: RuleVerdict[]): void {
    this.active.set(key, verdict);
    out.push(verdict);
  }

  /** Replaces an active key's verdict without reporting it (fresher numbers for the next tick's list). */
  update(key: string, verdict: RuleVerdict): void {
    if (this.active.has(key)) this.active.set(key, verdict);
  }

  /** Lets go of a key, reporting it once as inactive (with a summary of why, if given). */
  drop(key: string, out: RuleVerdict[], summary?: string): void {
    const verdict = this.active.get(key);
    if (!verdict) return;
    this.active.delete(key);
    out.push({ ...verdict, active: false, summary: summary ?? verdict.summary });
  }

  /** Lets go of every key a test picks (a service or tunnel left the stack). */
  dropWhere(test: (verdict: RuleVerdict, key: string) => boolean, out: RuleVerdict[], summary?: (verdict: RuleVerdict) => string): void {
    for (const [key, verdict] of [...this.active]) {
      if (test(verdict, key)) this.drop(key, out, summary?.(verdict));
    }
  }

  get(key: string): RuleVerdict | undefined {
    return this.active.get(key);
  }

  has(key: string): boolean {
    return this.active.has(key);
  }

  /** Every active verdict, for a tick. */
  list(out: RuleVerdict[]): void {
    for (const verdict of this.active.values()) out.push(verdict);
  }
}
