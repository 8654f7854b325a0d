// The environment a service starts with: Vigil's own, less the engine's secrets (see
// src/shared/engine-secrets.ts) except those the service asks for by name, plus the
// service's `env:` from the stack file, which always wins (its values are the user's).
import { isEngineSecret } from '../../shared/engine-secrets.ts';

export interface ServiceEnvironment {
  env: Record<string, string>;
  /** Names of engine secrets that were set and kept out (never their values). */
  withheld: string[];
}

export function serviceEnvironment(engineEnv: NodeJS.ProcessEnv, config: { env: Record<string, string>; passSecrets: readonly string[] }): ServiceEnvironment {
  const env: Record<string, string> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(engineEnv)) {
    if (value === undefined) continue;
    if (isEngineSecret(name) && !config.passSecrets.includes(name) && !(name in config.env)) withheld.push(name);
    else env[name] = value;
  }
  return { env: { ...env, ...config.env }, withheld: withheld.sort() };
}
