// tunnel-down, tunnel-degraded and tunnel-url-changed. A tunnel.state event announces a change;
// the tunnel's state itself is read from the context (the watcher sets it before it emits).
// A URL change has no end of its own: its info alert stays open for `hold`, then resolves, so
// that it is notified (a group wait would swallow an alert that resolved at once).
import type { AlertLabels, RuleVerdict } from '../../../shared/alerts.ts';
import type { EngineEvent } from '../../../shared/events.ts';
import type { TunnelSnapshot } from '../../../shared/tunnels.ts';
import type { BuiltinRulesConfig } from '../config/rules-config.ts';
import type { RuleContext } from './rule-context.ts';
import { makeVerdict, VerdictBook } from './verdict-book.ts';

type Settings = Pick<BuiltinRulesConfig, 'tunnel-down' | 'tunnel-degraded' | 'tunnel-url-changed'>;

const key = (rule: string, tunnel: string) => `${rule}|${tunnel}`;

export class TunnelRules {
  private readonly settings: Settings;
  private readonly book = new VerdictBook();
  /** When each open URL-change alert resolves. */
  private readonly urlHeldUntil = new Map<string, number>();

  constructor(settings: Settings) {
    this.settings = settings;
  }

  onEvent(event: EngineEvent, context: RuleContext, t: number, out: RuleVerdict[]): void {
    if (!event.tunnel) return;
    const tunnel = context.tunnels().find((x) => x.name === event.tunnel);
    if (event.type === 'tunnel.state') this.judge(event.tunnel, tunnel ?? null, event.message, context, out);
    if (event.type === 'tunnel.url') this.urlChanged(event, tunnel ?? null, context, t, out);
  }

  onTick(t: number, out: RuleVerdict[]): void {
    for (const [name, until] of this.urlHeldUntil) {
      if (t < until) continue;
      this.urlHeldUntil.delete(name);
      this.book.drop(key('tunnel-url-changed', name), out);
    }
  }

  prime(context: RuleContext, out: RuleVerdict[]): void {
    for (const tunnel of context.tunnels()) {
      const what = tunnel.state === 'up' ? tunnel.publicUrls.join(', ') : (tunnel.error ?? '');
      this.judge(tunnel.name, tunnel, `${tunnel.kind} tunnel "${tunnel.name}" is ${tunnel.state}: ${what}`, context, out);
    }
  }

  /** Lets go of the alerts of tunnels that left the stack. */
  sync(context: RuleContext, out: RuleVerdict[]): void {
    const names = new Set(context.tunnels().map((x) => x.name));
    this.book.dropWhere((v) => !names.has(v.labels.tunnel ?? ''), out, (v) => `tunnel "${v.labels.tunnel}" left the stack`);
    for (const name of [...this.urlHeldUntil.keys()]) if (!names.has(name)) this.urlHeldUntil.delete(name);
  }

  list(out: RuleVerdict[]): void {
    this.book.list(out);
  }

  private judge(name: string, tunnel: TunnelSnapshot | null, message: string, context: RuleContext, out: RuleVerdict[]): void {
    const state = tunnel?.state ?? 'unknown';
    const labels = tunnelLabels(name, tunnel, context);
    for (const [rule, when] of [
      ['tunnel-down', 'down'],
      ['tunnel-degraded', 'degraded'],
    ] as const) {
      const settings = this.settings[rule];
      if (state === when && settings.enabled) {
        const facts: Record<string, string> = {};
        if (tunnel?.address) facts.agent = tunnel.address;
        if (tunnel?.readyConnections !== null && tunnel?.readyConnections !== undefined) facts.connections = `${tunnel.readyConnections} of ${tunnel.expectedConnections ?? '?'}`;
        if (tunnel?.probe && !tunnel.probe.ok) facts.probe = tunnel.probe.detail;
        this.book.raise(key(rule, name), makeVerdict(rule, labels, settings, true, message, { facts, ...(labels.service ? { service: labels.service } : {}) }), out);
      } else {
        this.book.drop(key(rule, name), out, message);
      }
    }
  }

  private urlChanged(event: EngineEvent, tunnel: TunnelSnapshot | null, context: RuleContext, t: number, out: RuleVerdict[]): void {
    const settings = this.settings['tunnel-url-changed'];
    if (!settings.enabled) return;
    const name = event.tunnel!;
    const facts: Record<string, string> = { 'new URL': event.newUrl ?? '(none)', 'old URL': event.oldUrl ?? '(none)' };
    const labels = tunnelLabels(name, tunnel, context);
    this.book.raise(key('tunnel-url-changed', name), makeVerdict('tunnel-url-changed', labels, settings, true, event.message, { facts }), out);
    this.urlHeldUntil.set(name, t + settings.holdMs);
  }
}

/** The tunnel, the service that runs its agent, and (when known) the services it forwards to. */
function tunnelLabels(name: string, tunnel: TunnelSnapshot | null, context: RuleContext): AlertLabels {
  const labels: AlertLabels = { tunnel: name };
  if (tunnel?.service) labels.service = tunnel.service;
  const targets = context.tunnelTargets?.(name) ?? [];
  if (targets.length > 0) labels.target = targets.join(',');
  return labels;
}
