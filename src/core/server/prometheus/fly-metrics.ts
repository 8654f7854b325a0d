// The watched Fly.io app: its health as Vigil judges it, and per machine its Fly state, Vigil's
// verdict and each check's status, all enum-style (enum-gauge.ts). Machines are labelled by id
// (stable across renames); vigil_fly_machine_info carries the name and image for joins.
import { Gauge, type Registry } from 'prom-client';
import type { FlyHealth } from '../../../shared/contract.ts';
import { setEnum } from './enum-gauge.ts';
import type { ScrapeView } from './exporter-sources.ts';
import { forgetSeries } from './forget-series.ts';

const FLY_HEALTH: readonly FlyHealth[] = ['healthy', 'degraded', 'down', 'unreachable', 'stuck', 'deploying', 'unknown'];

/** Fly's machine states (fly.io/docs/machines/machine-states): persistent, transient and
 * terminal. A state Fly adds later still shows, as one more value. */
export const FLY_MACHINE_STATES = [
  'created',
  'started',
  'stopped',
  'suspended',
  'failed',
  'creating',
  'starting',
  'stopping',
  'restarting',
  'suspending',
  'destroying',
  'launch_failed',
  'updating',
  'replacing',
  'destroyed',
  'replaced',
  'migrated',
] as const;

const CHECK_STATUSES = ['passing', 'warning', 'critical'] as const;

export function registerFlyMetrics(registry: Registry, view: () => ScrapeView): void {
  new Gauge({
    name: 'vigil_fly_app_health',
    help: `The Fly.io app's health as Vigil judges it from its machines and health URL: 1 for the value now, 0 for the others (${FLY_HEALTH.join(', ')}; unreachable means Vigil could not reach Fly).`,
    labelNames: ['app', 'health'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      const fly = view().state.fly;
      if (fly) setEnum(this, { app: fly.app }, 'health', FLY_HEALTH, fly.health);
    },
  });
  new Gauge({
    name: 'vigil_fly_machine_info',
    help: 'A Fly.io machine of the app (always 1), with its name and image.',
    labelNames: ['app', 'machine', 'region', 'name', 'image'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      const fly = view().state.fly;
      for (const m of fly?.machines ?? []) this.set({ app: fly!.app, machine: m.id, region: m.region, name: m.name, image: m.image ?? '' }, 1);
    },
  });
  new Gauge({
    name: 'vigil_fly_machine_state',
    help: "The machine's state as Fly reports it: 1 for the state now, 0 for Fly's other states.",
    labelNames: ['app', 'machine', 'region', 'state'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      const fly = view().state.fly;
      for (const m of fly?.machines ?? []) setEnum(this, { app: fly!.app, machine: m.id, region: m.region }, 'state', FLY_MACHINE_STATES, m.machineState);
    },
  });
  new Gauge({
    name: 'vigil_fly_machine_health',
    help: `The machine's health as Vigil judges it from its state and checks: 1 for the value now, 0 for the others (${FLY_HEALTH.join(', ')}).`,
    labelNames: ['app', 'machine', 'region', 'health'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      const fly = view().state.fly;
      for (const m of fly?.machines ?? []) setEnum(this, { app: fly!.app, machine: m.id, region: m.region }, 'health', FLY_HEALTH, m.health);
    },
  });
  new Gauge({
    name: 'vigil_fly_check_status',
    help: "Each of the machine's Fly checks: 1 for its status now, 0 for the others (passing, warning, critical).",
    labelNames: ['app', 'machine', 'region', 'check', 'status'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      const fly = view().state.fly;
      for (const m of fly?.machines ?? []) {
        for (const c of m.checks) setEnum(this, { app: fly!.app, machine: m.id, region: m.region, check: c.name }, 'status', CHECK_STATUSES, c.status);
      }
    },
  });
}
