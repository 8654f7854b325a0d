// Taking over a service's process that an earlier engine started and left running (it crashed,
// or the app restarted it): the process records say which pid runs which command line, and
// from which definition. Only a process that is still the recorded one, was started from the
// definition the stack file has now, and holds the service's port, is adopted.
import { isDeepStrictEqual } from 'node:util';
import type { ServiceConfig } from '../config/service-config.ts';
import type { Clock } from '../kit/clock.ts';
import { compareWithFingerprint } from './definition-fingerprint.ts';
import { commandLineOf, findPortHolder, processGroupOf } from './port-holder.ts';
import type { ProcessRecord } from './process-records.ts';
import { isAlive } from './process-tree.ts';
import { spawnDefinition } from './service-definition.ts';

const ADOPTED_POLL_MS = 500;

export type AdoptionVerdict =
  /** No record, or its process is gone, runs something else, or does not hold the port. */
  | { kind: 'none' }
  /** Ours, but started from a definition the stack file no longer has (edited while no engine
   * ran): to be ended, and the service started as it is defined now. `changed` names the
   * fields that differ, never their values. */
  | { kind: 'outdated'; record: ProcessRecord; changed: string[] }
  /** `caveat`: what could not be compared, for the user to hear (null when everything was). */
  | { kind: 'adopt'; record: ProcessRecord; caveat: string | null };

interface DefinitionCheck {
  changed: string[];
  caveat: string | null;
}

/** An older Vigil's record has no fingerprint: what it does record is compared. */
function checkByCommandLine(record: ProcessRecord, config: ServiceConfig): DefinitionCheck {
  const command = config.command;
  const argv = command ? [command.program, ...command.args] : [];
  const changed = [
    ...(isDeepStrictEqual(record.argv, argv) ? [] : ['command']),
    ...(record.cwd === config.cwd ? [] : ['cwd']),
    ...(record.port === config.port ? [] : ['port']),
  ];
  const caveat =
    'its record is from an older Vigil, so only its command line, cwd and port were compared: restart it if you edited its env while Vigil was not running';
  return { changed, caveat };
}

function checkDefinition(record: ProcessRecord, config: ServiceConfig): DefinitionCheck {
  if (!record.definition) return checkByCommandLine(record, config);
  const { changed, uncompared } = compareWithFingerprint(record.definition, spawnDefinition(config));
  const caveat = uncompared.length > 0 ? `its record is from an older Vigil, which did not compare ${uncompared.join(', ')}` : null;
  return { changed, caveat };
}

export async function judgeRecordedProcess(record: ProcessRecord | undefined, config: ServiceConfig): Promise<AdoptionVerdict> {
  if (!record || !isAlive(record.pid)) return { kind: 'none' };
  const commandLine = await commandLineOf(record.pid);
  if (commandLine === null || !commandLine.includes(record.argv.join(' '))) return { kind: 'none' };
  // Ours: an outdated one is ended whatever its port, or it would linger beside its successor.
  const { changed, caveat } = checkDefinition(record, config);
  if (changed.length > 0) return { kind: 'outdated', record, changed };
  if (config.port !== null) {
    const holder = await findPortHolder(config.port);
    if (holder && holder.pid !== record.pid && (await processGroupOf(holder.pid)) !== record.pid) return { kind: 'none' };
  }
  return { kind: 'adopt', record, caveat };
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
