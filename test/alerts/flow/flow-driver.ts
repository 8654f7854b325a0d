// Drives the alert flow as the subsystem will: one step per evaluation interval, time as
// input. Keeps everything the steps returned, so tests can count and read notifications.
import type { AlertNotification, AlertSeverity, RuleVerdict } from '../../../src/shared/alerts.ts';
import { type AlertFlowConfig, alertFlowSchema, type AlertFlowSpecInput, resolveAlertFlowConfig } from '../../../src/core/alerts/config/route-config.ts';
import { type DispatchChannel, dispatchChannel } from '../../../src/core/alerts/dispatch/dispatch-channel.ts';
import { EMPTY_GRAPH, type DependencyGraph } from '../../../src/core/alerts/inhibit/dependency-graph.ts';
import { type AlertFlowContext, type AlertFlowInput, type FlowChange, stepAlertFlow } from '../../../src/core/alerts/flow/alert-flow.ts';
import { type AlertFlowState, initialFlowState } from '../../../src/core/alerts/flow/flow-state.ts';

/** 2026-03-02 10:00:00 UTC, a Monday. */
export const T0 = Date.UTC(2026, 2, 2, 10, 0, 0);

export function verdict(
  rule: string,
  labels: Record<string, string>,
  active: boolean,
  options: { severity?: AlertSeverity; forMs?: number; channels?: string[]; value?: number } = {},
): RuleVerdict {
  const what = Object.values(labels).join(' ');
  return {
    rule,
    labels,
    active,
    severity: options.severity ?? 'warning',
    forMs: options.forMs ?? 0,
    summary: `${what}: ${rule} ${active ? 'holds' : 'clear'}`,
    details: options.value === undefined ? {} : { value: options.value },
    channels: options.channels ?? [],
  };
}

export const CHANNELS: DispatchChannel[] = [dispatchChannel('desktop', 'desktop'), dispatchChannel('slack', 'slack'), dispatchChannel('pagerduty', 'pagerduty')];

export function flowConfig(spec: AlertFlowSpecInput = {}): AlertFlowConfig {
  return resolveAlertFlowConfig(alertFlowSchema.parse(spec));
}

export function flowContext(overrides: Partial<AlertFlowContext> & { spec?: AlertFlowSpecInput } = {}): AlertFlowContext {
  const { spec, ...rest } = overrides;
  return {
    config: flowConfig(spec ?? {}),
    channels: CHANNELS,
    graph: EMPTY_GRAPH,
    evaluationIntervalMs: 1000,
    timeZone: 'UTC',
    dashboardUrl: 'http://127.0.0.1:7357/',
    ...rest,
  };
}

export type Verdicts = RuleVerdict[] | ((wallMs: number) => RuleVerdict[]);

export class FlowDriver {
  state: AlertFlowState;
  now: number;
  mono = 1_000;
  readonly notifications: AlertNotification[] = [];
  readonly changes: FlowChange[] = [];
  lastRejected: { what: string; reason: string }[] = [];
  lastNextDueAt: number | null = null;

  context: AlertFlowContext;

  constructor(context: AlertFlowContext = flowContext(), start = T0, state: AlertFlowState = initialFlowState()) {
    this.context = context;
    this.now = start;
    this.state = state;
  }

  /** One evaluation at the current time. */
  step(input: Partial<Omit<AlertFlowInput, 'now' | 'monotonicNow'>> = {}): AlertNotification[] {
    const out = stepAlertFlow(this.state, { verdicts: [], ...input, now: this.now, monotonicNow: this.mono }, this.context);
    this.state = out.state;
    this.notifications.push(...out.notifications);
    this.changes.push(...out.changes);
    this.lastRejected = out.rejected;
    this.lastNextDueAt = out.nextDueAt;
    return out.notifications;
  }

  /** Moves both clocks on (as an awake machine does). */
  tick(ms: number): void {
    this.now += ms;
    this.mono += ms;
  }

  /** Evaluates every `everyMs` for `ms`, with these verdicts (or a function of the time). */
  run(ms: number, verdicts: Verdicts = [], everyMs = this.context.evaluationIntervalMs): AlertNotification[] {
    const before = this.notifications.length;
    const end = this.now + ms;
    while (this.now + everyMs <= end) {
      this.tick(everyMs);
      this.step({ verdicts: typeof verdicts === 'function' ? verdicts(this.now) : verdicts });
    }
    return this.notifications.slice(before);
  }

  /** The machine sleeps: the wall clock moves on, the monotonic one (Linux, macOS) does not. */
  sleep(ms: number): void {
    this.now += ms;
  }

  alerts() {
    return Object.values(this.state.lifecycle.alerts).map((r) => r.alert);
  }

  alert(rule: string, labels: Record<string, string> = {}) {
    const matches = this.alerts().filter((a) => a.rule === rule && Object.entries(labels).every(([k, v]) => a.labels[k] === v));
    return matches.at(-1);
  }

  sentTo(channel: string): AlertNotification[] {
    return this.notifications.filter((n) => n.channel === channel);
  }
}

export const graphOf = (graph: Partial<DependencyGraph>): DependencyGraph => ({ ...EMPTY_GRAPH, ...graph });
