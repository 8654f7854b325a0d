// fly-app-down, fly-unreachable and fly-deploy-failing, judged at each fly.* event from the
// app's health in the context (the watcher sets it before it emits). While Vigil cannot reach
// Fly, the app's own alerts stay as they were: not knowing is not "resolved".
import type { AlertDetails, AlertSeverity, RuleVerdict } from '../../../shared/alerts.ts';
import type { EngineEvent } from '../../../shared/events.ts';
import type { FlySnapshot } from '../../../shared/fly.ts';
import { deployBlame } from '../../watchers/fly/fly-health.ts';
import type { BuiltinRulesConfig } from '../config/rules-config.ts';
import type { RuleContext } from './rule-context.ts';
import { makeVerdict, VerdictBook } from './verdict-book.ts';

type Settings = Pick<BuiltinRulesConfig, 'fly-app-down' | 'fly-unreachable' | 'fly-deploy-failing'>;

const LOWER: Record<AlertSeverity, AlertSeverity> = { critical: 'warning', warning: 'info', info: 'info' };

export class FlyRules {
  private readonly settings: Settings;
  private readonly book = new VerdictBook();
  private deploy: { at: number; healthySince: boolean } | null = null;

  constructor(settings: Settings) {
    this.settings = settings;
  }

  onEvent(event: EngineEvent, context: RuleContext, t: number, out: RuleVerdict[]): void {
    if (!event.type.startsWith('fly.')) return;
    if (event.type === 'fly.deploy') this.deploy = { at: t, healthySince: false };
    const fly = context.fly();
    if (fly) this.judge(fly, t, out);
  }

  prime(context: RuleContext, t: number, out: RuleVerdict[]): void {
    const fly = context.fly();
    if (!fly) return;
    const deployedAt = fly.lastDeployAt ? Date.parse(fly.lastDeployAt) : Number.NaN;
    // Whether it was healthy in between is unknown: only a deploy inside the window is blamed.
    if (Number.isFinite(deployedAt)) this.deploy = { at: deployedAt, healthySince: t - deployedAt > this.settings['fly-deploy-failing'].windowMs };
    this.judge(fly, t, out);
  }

  /** Lets go of everything when the stack no longer has a `fly:` section (or another app). */
  sync(context: RuleContext, out: RuleVerdict[]): void {
    const app = context.fly()?.app;
    this.book.dropWhere((v) => v.labels.app !== app, out, (v) => `Fly app ${v.labels.app} is no longer watched`);
    if (!app) this.deploy = null;
  }

  list(out: RuleVerdict[]): void {
    this.book.list(out);
  }

  private judge(fly: FlySnapshot, t: number, out: RuleVerdict[]): void {
    const health = fly.health;
    const labels = { app: fly.app };
    const unwell = fly.machines.filter((m) => m.health !== 'healthy').map((m) => `${m.name} ${m.health}`);
    const facts: Record<string, string> = {};
    if (unwell.length > 0) facts.machines = unwell.join(', ');
    if (fly.error) facts.error = fly.error;
    const details: AlertDetails = { facts };
    const detail = unwell.length > 0 ? unwell.join(', ') : (fly.error ?? '');
    const summary = `Fly app ${fly.app} is ${health}${detail ? ` (${detail})` : ''}`;

    const unreachable = this.settings['fly-unreachable'];
    if (health === 'unreachable' && unreachable.enabled) {
      this.book.raise('fly-unreachable', makeVerdict('fly-unreachable', labels, unreachable, true, `Vigil cannot reach Fly.io to watch ${fly.app}${fly.error ? `: ${fly.error}` : ''}`, details), out);
    } else if (health !== 'unreachable') {
      this.book.drop('fly-unreachable', out, `Vigil reaches Fly.io again (${fly.app} is ${health})`);
    }
    if (health === 'unreachable' || health === 'unknown') return;

    if (health === 'healthy' && this.deploy) this.deploy.healthySince = true;
    const down = this.settings['fly-app-down'];
    const failing = health === 'down' || health === 'degraded' || health === 'stuck';
    if (failing && down.enabled) {
      const severity = health === 'down' ? down.severity : LOWER[down.severity];
      this.book.raise('fly-app-down', makeVerdict('fly-app-down', labels, { ...down, severity }, true, summary, details), out);
    } else {
      this.book.drop('fly-app-down', out, summary);
    }

    const deploySettings = this.settings['fly-deploy-failing'];
    const blame = deployBlame(health, this.deploy, t, deploySettings.windowMs);
    if (blame && deploySettings.enabled) {
      this.book.raise('fly-deploy-failing', makeVerdict('fly-deploy-failing', labels, deploySettings, true, `Fly app ${fly.app}: ${blame} (${detail || health})`, details), out);
    } else if (!failing) {
      this.book.drop('fly-deploy-failing', out, summary);
    }
  }
}
