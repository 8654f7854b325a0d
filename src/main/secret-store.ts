// Secrets the app keeps for the engine (the Fly.io API token): encrypted with the system's key
// store through Electron's safeStorage, and only the ciphertext is written to the settings
// file. Pure apart from the two objects passed in, so it is tested with fakes.

/** Electron's safeStorage fits this. */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
}

/** Where the ciphertext lives (the app's electron-store fits). */
export interface CipherStore {
  get(key: 'secrets'): Record<string, string> | undefined;
  set(key: 'secrets', value: Record<string, string>): void;
}

export type SecretName = 'flyApiToken';

/** The environment variable each secret is handed to the engine as. */
export const SECRET_ENV: Record<SecretName, string> = { flyApiToken: 'FLY_API_TOKEN' };

export class SecretStore {
  private readonly crypto: Encryptor;
  private readonly store: CipherStore;

  constructor(crypto: Encryptor, store: CipherStore) {
    this.crypto = crypto;
    this.store = store;
  }

  get available(): boolean {
    return this.crypto.isEncryptionAvailable();
  }

  /** Stores `value` encrypted; an empty value removes the secret. Refuses to store it in plain
   * text when the system offers no encryption. */
  set(name: SecretName, value: string): void {
    const secrets = { ...(this.store.get('secrets') ?? {}) };
    if (value === '') {
      delete secrets[name];
    } else {
      if (!this.available) throw new Error('this system offers no encryption for secrets; set the environment variable instead');
      secrets[name] = this.crypto.encryptString(value).toString('base64');
    }
    this.store.set('secrets', secrets);
  }

  has(name: SecretName): boolean {
    return Boolean(this.store.get('secrets')?.[name]);
  }

  /** The secret, or null when it is not set or cannot be decrypted (another user's keychain). */
  get(name: SecretName): string | null {
    const cipher = this.store.get('secrets')?.[name];
    if (!cipher || !this.available) return null;
    try {
      return this.crypto.decryptString(Buffer.from(cipher, 'base64'));
    } catch {
      return null;
    }
  }

  /** Environment for the engine: each stored secret under its variable, unless the environment
   * the app was started with sets that variable already (it wins, as in headless mode). */
  engineEnv(base: NodeJS.ProcessEnv): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, variable] of Object.entries(SECRET_ENV) as [SecretName, string][]) {
      const value = base[variable] ? null : this.get(name);
      if (value) env[variable] = value;
    }
    return env;
  }
}
