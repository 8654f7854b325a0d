// `vigil start|stop|restart <service|all>`.
import type { Command } from 'commander';
import type { EngineClient } from '../engine-client.ts';

export function addServiceActionCommands(program: Command, client: () => EngineClient): void {
  for (const action of ['start', 'stop', 'restart'] as const) {
    program
      .command(`${action} <service>`)
      .description(`${action} a service, or "all"`)
      .action(async (service: string) => {
        const result = await client().request<{ services: string[] }>('POST', `/api/services/${encodeURIComponent(service)}/${action}`);
        const verb = { start: 'starting', stop: 'stopped', restart: 'restarted' }[action];
        console.log(`${verb}: ${result.services.join(', ')}`);
      });
  }
}
