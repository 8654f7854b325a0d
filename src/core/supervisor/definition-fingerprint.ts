// What a process record keeps of the definition a process was started from: a salted digest
// of each field, never a value. The records are a plain file and env often holds secrets;
// the salt (one per record) keeps equal values from showing as equal digests across records,
// and rules out precomputed tables. Field names stay readable: they are what the event names.
import { createHash, randomBytes } from 'node:crypto';
import { definitionFields, differingFields, type SpawnDefinition } from './service-definition.ts';

export interface DefinitionFingerprint {
  salt: string;
  /** Per shaping setting ("env"), each of its fields ("env.NAME") to its digest. */
  digests: Record<string, Record<string, string>>;
}

export interface FingerprintComparison {
  /** Fields whose value differs from the recorded one, sorted. */
  changed: string[];
  /** Settings the record's Vigil did not fingerprint (it was older than they are), sorted. */
  uncompared: string[];
}

function digest(salt: string, field: string, value: unknown): string {
  return createHash('sha256').update(`${salt}\0${field}\0${JSON.stringify(value)}`).digest('hex');
}

function digestsOf(definition: SpawnDefinition, salt: string): DefinitionFingerprint['digests'] {
  return Object.fromEntries(
    Object.entries(definitionFields(definition)).map(([setting, fields]) => [
      setting,
      Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, digest(salt, field, value)])),
    ]),
  );
}

export function fingerprintOf(definition: SpawnDefinition, salt = randomBytes(16).toString('hex')): DefinitionFingerprint {
  return { salt, digests: digestsOf(definition, salt) };
}

export function compareWithFingerprint(recorded: DefinitionFingerprint, definition: SpawnDefinition): FingerprintComparison {
  const now = digestsOf(definition, recorded.salt);
  const changed: string[] = [];
  const uncompared: string[] = [];
  for (const [setting, fields] of Object.entries(now)) {
    const then = recorded.digests[setting];
    if (then === undefined) uncompared.push(setting);
    else changed.push(...differingFields(then, fields));
  }
  // Settings recorded but no longer shaping the process are Vigil's change, not the user's: ignored.
  return { changed: changed.sort(), uncompared: uncompared.sort() };
}
