// Ports on request: who holds one, and stopping a foreign holder so that the service waiting
// for the port can start. Vigil never kills a port's holder on its own.
import type { FreePortResult } from '../../shared/contract.ts';
import type { NewEvent } from '../event-log.ts';
import { refusalToFree } from './free-port-guard.ts';
import { findPortHolder, processGroupOf } from './port-holder.ts';
import { terminateProcess } from './process-tree.ts';
import type { ServiceRunner } from './service-runner.ts';

export async function portHolder(port: number): Promise<FreePortResult> {
  return { port, holder: await findPortHolder(port), killed: false };
}

/** Kills whatever holds `port`, then starts the services waiting for it. Refuses when the
 * holder is Vigil itself or one of the stack's own services (free-port-guard.ts). */
export async function freePort(port: number, services: ServiceRunner[], emit: (event: NewEvent) => void): Promise<FreePortResult> {
  const holder = await findPortHolder(port);
  if (!holder) return { port, holder: null, killed: false };
  const supervised = services.map((r) => r.snapshot(false, null));
  const refusal = refusalToFree(port, holder, await processGroupOf(holder.pid), supervised);
  if (refusal) throw new Error(refusal);
  await terminateProcess(holder.pid);
  emit({ type: 'port.freed', service: null, message: `freed port ${port}: stopped pid ${holder.pid} (${holder.command})` });
  for (const runner of services) {
    if (runner.config.port === port && runner.currentReason === 'port-in-use' && runner.isWanted) runner.start();
  }
  return { port, holder, killed: true };
}
