// `vigil auto-restart on|off|default [service]`: the global switch, or one service's override.
import { type Command, InvalidArgumentError } from 'commander';
import type { StateSnapshot } from '../../shared/contract.ts';
import type { EngineClient } from '../engine-client.ts';

export function addAutoRestartCommand(program: Command, client: () => EngineClient): void {
  program
    .command('auto-restart <on|off|default> [service]')
    .description('switch auto-restart for the stack, or override it for one service ("default" clears the override)')
    .action(async (value: string, service: string | undefined) => {
      const enabled = value === 'on' ? true : value === 'off' ? false : value === 'default' && service ? null : undefined;
      if (enabled === undefined) throw new InvalidArgumentError('expected "on" or "off" (or "default" with a service)');
      const state = await client().request<StateSnapshot>('PUT', '/api/auto-restart', { enabled, ...(service ? { service } : {}) });
      const target = service ? state.services.find((s) => s.name === service) : null;
      console.log(target ? `auto-restart for ${service}: ${target.autoRestart ? 'on' : 'off'}` : `auto-restart: ${state.autoRestart ? 'on' : 'off'}`);
    });
}
