// Taking over a service's process that an earlier engine started and left running (it crashed,
// or the app restarted it): the process records say which pid runs which command line, and
// only a process that still matches its record, and holds the service's port, is adopted.
import { isDeepStrictEqual } from 'node:util';
import type { ServiceConfig } from '../config/service-config.ts';
import type { Clock } from '../kit/clock.ts';
import { commandLineOf, findPortHolder, processGroupOf } from './port-holder.ts';
import type { ProcessRecord } from './process-records.ts';
import { isAlive } from './process-tree.ts';

const ADOPTED_POLL_MS = 500;

export type AdoptionVerdict =
  /** No record, or its process is gone, runs something else, or does not hold the port. */
  | { kind: 'none' }
  /** Ours, but started from a definition the stack file no longer has (edited while no engine
   * ran): to be ended, and the service started as it is defined now. */
  | { kind: 'outdated'; record: ProcessRecord }
  | { kind: 'adopt'; record: ProcessRecord };

export async function judgeRecordedProcess(record: ProcessRecord | undefined, config: ServiceConfig): Promise<AdoptionVerdict> {
  if (!record || !isAlive(record.pid)) return { kind: 'none' };
  const commandLine = await commandLineOf(record.pid);
  if (commandLine === null || !commandLine.includes(record.argv.join(' '))) return { kind: 'none' };
  if (config.port !== null) {
    const holder = await findPortHolder(config.port);
    if (holder && holder.pid !== record.pid && (await processGroupOf(holder.pid)) !== record.pid) return { kind: 'none' };
  }
  const command = config.command;
  const current = command ? [command.program, ...command.args] : [];
  if (!isDeepStrictEqual(record.argv, current) || record.cwd !== config.cwd) return { kind: 'outdated', record };
  return { kind: 'adopt', record };
}

/** An adopted process is not our child, so no exit event comes: polls until it is gone, or
 * until `stillAdopted` says the runner let go of it. */
export function watchAdoptedExit(pid: number, clock: Clock, stillAdopted: () => boolean, gone: () => void): void {
  const check = () => {
    if (!stillAdopted()) return;
    if (isAlive(pid)) {
      clock.setTimeout(check, ADOPTED_POLL_MS);
    } else {
      gone();
    }
  };
  clock.setTimeout(check, ADOPTED_POLL_MS);
}
