// service-crashed, service-crash-looping, service-unhealthy and service-port-taken: what the
// supervisor's events say about each service. A crash (and a crash loop) stays open until the
// service has run for `clear_after` without failing again, so a service that crashes and is
// restarted at once still gets one alert, and its resolve says it recovered.
import type { AlertDetails, RuleVerdict } from '../../../shared/alerts.ts';
import type { EngineEvent } from '../../../shared/events.ts';
import type { ServiceSnapshot } from '../../../shared/services.ts';
import type { BuiltinRulesConfig, ClearingRuleSettings, EventRuleSettings } from '../config/rules-config.ts';
import type { RuleContext } from './rule-context.ts';
import { makeVerdict, VerdictBook } from './verdict-book.ts';
import { spokenDuration } from './verdict-format.ts';

/** Output lines a crash alert carries: enough to see the stack trace's head, few enough for a
 * chat message. */
export const CRASH_LINES = 20;

type Settings = Pick<BuiltinRulesConfig, 'service-crashed' | 'service-crash-looping' | 'service-unhealthy' | 'service-port-taken'>;

const key = (rule: string, service: string) => `${rule}|${service}`;

export class ServiceEventRules {
  private readonly settings: Settings;
  private readonly book = new VerdictBook();
  /** When each service last became running (and has stayed so), for clearing crashes. */
  private readonly runningSince = new Map<string, number>();

  constructor(settings: Settings) {
    this.settings = settings;
  }

  onEvent(event: EngineEvent, context: RuleContext, t: number, out: RuleVerdict[]): void {
    const name = event.service;
    if (name === null) return;
    if (event.type === 'service.exit') {
      this.runningSince.delete(name);
      this.raiseCrash(name, `${name} crashed: ${event.message}`, event.exitCode ?? null, event.signal ?? null, event.uptimeMs ?? null, context, out);
      return;
    }
    if (event.type !== 'service.state' || event.to === undefined) return;
    const to = event.to;
    if (to === 'running') this.runningSince.set(name, t);
    else this.runningSince.delete(name);
    if (to !== 'unhealthy') this.book.drop(key('service-unhealthy', name), out, `${name} is ${to} again`);
    if (!(to === 'stopped' && event.reason === 'port-in-use')) this.book.drop(key('service-port-taken', name), out, `${name}: its port is free again`);
    if (to === 'stopped' && (event.reason === 'user' || event.reason === 'removed')) {
      const why = event.reason === 'user' ? 'was stopped on request' : 'left the stack';
      this.book.dropWhere((_, k) => k.endsWith(`|${name}`), out, (v) => `${name} ${why}: ${v.summary}`);
      return;
    }
    if (to === 'unhealthy') this.raise('service-unhealthy', this.settings['service-unhealthy'], name, `${name} is unhealthy: ${event.message}`, { service: name }, out);
    if (to === 'crash-looping') this.raiseCrashLoop(name, event.message, context, out);
    if (to === 'stopped' && event.reason === 'port-in-use') {
      this.raise('service-port-taken', this.settings['service-port-taken'], name, `${name} cannot start: ${event.message}`, { service: name }, out);
    }
    // A program that cannot be started at all is down as surely as one that crashed.
    if (to === 'stopped' && event.reason === 'spawn-failed') this.raiseCrash(name, `${name} ${event.message}`, null, null, null, context, out);
  }

  /** Crashes that have stayed fixed for clear_after resolve; time passes only with ticks. */
  onTick(t: number, out: RuleVerdict[]): void {
    for (const [name, since] of this.runningSince) {
      for (const rule of ['service-crashed', 'service-crash-looping'] as const) {
        const settings = this.settings[rule];
        if (t - since >= settings.clearAfterMs) this.book.drop(key(rule, name), out, `${name} has run for ${spokenDuration(t - since)} without failing again`);
      }
    }
  }

  /** Takes over the state of a stack that was already running (an engine restart, a reload). */
  prime(context: RuleContext, t: number, out: RuleVerdict[]): void {
    for (const s of context.services()) {
      if (s.state === 'running') this.runningSince.set(s.name, s.startedAt ? Date.parse(s.startedAt) : t);
      if (s.state === 'unhealthy') this.raise('service-unhealthy', this.settings['service-unhealthy'], s.name, `${s.name} is unhealthy: ${s.error ?? 'its health check fails'}`, { service: s.name }, out);
      if (s.state === 'crash-looping') this.raiseCrashLoop(s.name, s.error ?? 'it keeps crashing', context, out);
      if (s.state === 'stopped' && s.reason === 'port-in-use') {
        this.raise('service-port-taken', this.settings['service-port-taken'], s.name, `${s.name} cannot start: ${s.error ?? 'its port is taken'}`, { service: s.name }, out);
      }
      // Down after a crash, with nobody restarting it: still a problem after the restart of Vigil.
      if (s.state === 'stopped' && s.reason === 'exit' && s.lastExit) {
        const how = s.lastExit.signal ? `was killed by ${s.lastExit.signal}` : `exited with code ${s.lastExit.code}`;
        this.raiseCrash(s.name, `${s.name} crashed: ${how}`, s.lastExit.code, s.lastExit.signal, null, context, out);
      }
    }
  }

  /** Lets go of the alerts of services that left the stack. */
  sync(context: RuleContext, out: RuleVerdict[]): void {
    const names = new Set(context.services().map((s) => s.name));
    this.book.dropWhere((_, k) => !names.has(k.slice(k.indexOf('|') + 1)), out, (v) => `${v.labels.service} left the stack`);
    for (const name of [...this.runningSince.keys()]) if (!names.has(name)) this.runningSince.delete(name);
  }

  list(out: RuleVerdict[]): void {
    this.book.list(out);
  }

  private raise(rule: string, settings: EventRuleSettings, service: string, summary: string, details: AlertDetails, out: RuleVerdict[]): void {
    if (!settings.enabled) return;
    this.book.raise(key(rule, service), makeVerdict(rule, { service }, settings, true, summary, details), out);
  }

  private raiseCrash(name: string, what: string, exitCode: number | null, signal: string | null, uptimeMs: number | null, context: RuleContext, out: RuleVerdict[]): void {
    const settings: ClearingRuleSettings = this.settings['service-crashed'];
    if (!settings.enabled) return;
    const service = findService(context, name);
    // Only an exit is restarted; a program that cannot start stays down until somebody acts.
    const exited = exitCode !== null || signal !== null;
    const next = service === null || !exited ? '' : service.autoRestart ? '; Vigil is restarting it' : '; auto-restart is off';
    const facts: Record<string, string> = {};
    if (uptimeMs !== null) facts.uptime = spokenDuration(uptimeMs);
    if (service) facts['auto-restart'] = service.autoRestart ? 'on' : 'off';
    const details: AlertDetails = {
      service: name,
      exitCode,
      signal,
      restarts: service?.restarts ?? 0,
      lastLines: context.serviceOutput(name, CRASH_LINES),
      facts,
    };
    this.raise('service-crashed', settings, name, `${what}${next}`, details, out);
  }

  private raiseCrashLoop(name: string, message: string, context: RuleContext, out: RuleVerdict[]): void {
    const service = findService(context, name);
    const facts: Record<string, string> = {};
    if (service?.nextStartAt) facts['next try'] = service.nextStartAt;
    const details: AlertDetails = {
      service: name,
      exitCode: service?.lastExit?.code ?? null,
      signal: service?.lastExit?.signal ?? null,
      restarts: service?.restarts ?? 0,
      lastLines: context.serviceOutput(name, CRASH_LINES),
      facts,
    };
    this.raise('service-crash-looping', this.settings['service-crash-looping'], name, `${name} keeps crashing: ${message}`, details, out);
  }
}

function findService(context: RuleContext, name: string): ServiceSnapshot | null {
  return context.services().find((s) => s.name === name) ?? null;
}
