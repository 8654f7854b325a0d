import { describe, expect, it } from 'vitest';
import { type CipherStore, type Encryptor, SECRET_ENV, SecretStore } from '../../src/main/secret-store.ts';
import { isEngineSecret } from '../../src/shared/engine-secrets.ts';

/** Stands in for safeStorage: reversible, and visibly not the plain text. */
function fakeCrypto(available = true): Encryptor {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
    decryptString: (cipher) => Buffer.from([...cipher].map((b) => b ^ 0x5a)).toString(),
  };
}

function memoryStore(): CipherStore & { data: Record<string, string> | undefined } {
  const store = {
    data: undefined as Record<string, string> | undefined,
    get: () => store.data,
    set: (_key: 'secrets', value: Record<string, string>) => {
      store.data = value;
    },
  };
  return store;
}

describe('SecretStore', () => {
  it('keeps only ciphertext on disk and gives the token back to the engine as FLY_API_TOKEN', () => {
    const disk = memoryStore();
    const secrets = new SecretStore(fakeCrypto(), disk);
    secrets.set('flyApiToken', 'fo1_secret_token');
    expect(JSON.stringify(disk.data)).not.toContain('fo1_secret_token');
    expect(secrets.has('flyApiToken')).toBe(true);
    expect(secrets.engineEnv({})).toEqual({ FLY_API_TOKEN: 'fo1_secret_token' });
    // A token in the app's own environment wins, as it does headless.
    expect(secrets.engineEnv({ FLY_API_TOKEN: 'from-env' })).toEqual({});
    secrets.set('flyApiToken', '');
    expect(secrets.has('flyApiToken')).toBe(false);
    expect(secrets.engineEnv({})).toEqual({});
  });

  it('refuses to store a secret where the system offers no encryption', () => {
    const secrets = new SecretStore(fakeCrypto(false), memoryStore());
    expect(() => secrets.set('flyApiToken', 'x')).toThrow('no encryption');
  });

  it('a ciphertext that does not decrypt (another keychain) reads as no secret', () => {
    const disk = memoryStore();
    disk.data = { flyApiToken: Buffer.from('garbage').toString('base64') };
    const broken: Encryptor = { ...fakeCrypto(), decryptString: () => { throw new Error('bad key'); } };
    expect(new SecretStore(broken, disk).get('flyApiToken')).toBeNull();
  });
});

describe('SECRET_ENV', () => {
  it("hands the engine only variables on the engine's secret list, which services never inherit", () => {
    for (const env of Object.values(SECRET_ENV)) expect(isEngineSecret(env), env).toBe(true);
  });
});
