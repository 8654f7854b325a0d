// What counts as a change of a service's definition when a recorded process is judged, and
// that the fingerprint kept in the (plain) process records gives no value away.
import { describe, expect, test } from 'vitest';
import type { ServiceConfig } from '../../src/core/config/service-config.ts';
import { compareWithFingerprint, fingerprintOf } from '../../src/core/supervisor/definition-fingerprint.ts';
import { changedSettings, editNeedsRestart, spawnDefinition } from '../../src/core/supervisor/service-definition.ts';

const base: ServiceConfig = {
  name: 'web',
  file: '/stack/vigil.yml',
  command: { program: 'node', args: ['server.js', '--port', '5555'], shell: false },
  cwd: '/stack/web',
  env: { NODE_ENV: 'development', API_KEY: 'sk-live-4242' },
  passSecrets: ['FLY_API_TOKEN', 'SLACK_WEBHOOK_URL'],
  port: 5555,
  health: { type: 'http', url: 'http://127.0.0.1:5555/health', status: null },
  healthTiming: { timeoutMs: 1000, intervalMs: 1000, failures: 3, startTimeoutMs: 60_000 },
  restart: { policy: 'always', initialMs: 100, factor: 2, capMs: 30_000, jitter: 0.2, resetAfterMs: 10_000 },
  crashLoop: { failures: 5, windowMs: 60_000, coolOffMs: 30_000 },
  stop: { signal: 'SIGTERM', timeoutMs: 5000 },
  dependsOn: [],
  logs: { maxSizeBytes: 10_000_000, files: 5 },
  metrics: null,
};

/** One edit of every key a service has, and the fields that edit changes in the process (none
 * for what Vigil applies itself). Typed over every key: a new key must be placed here too. */
const edits: Record<keyof ServiceConfig, { edit: (c: ServiceConfig) => ServiceConfig; fields: string[] }> = {
  name: { edit: (c) => ({ ...c, name: 'api' }), fields: [] }, // records are filed under the name
  file: { edit: (c) => ({ ...c, file: '/stack/other.yml' }), fields: [] }, // cwd is what the process sees
  command: { edit: (c) => ({ ...c, command: { ...c.command!, args: ['server.js', '--port', '6000'] } }), fields: ['command'] },
  cwd: { edit: (c) => ({ ...c, cwd: '/stack/api' }), fields: ['cwd'] },
  env: { edit: (c) => ({ ...c, env: { ...c.env, API_KEY: 'sk-live-9999' } }), fields: ['env.API_KEY'] },
  passSecrets: { edit: (c) => ({ ...c, passSecrets: ['FLY_API_TOKEN'] }), fields: ['pass_secrets'] }, // which engine secrets join env
  port: { edit: (c) => ({ ...c, port: 6000 }), fields: ['port'] },
  health: { edit: (c) => ({ ...c, health: { type: 'tcp', port: 5555 } }), fields: [] },
  healthTiming: { edit: (c) => ({ ...c, healthTiming: { ...c.healthTiming, intervalMs: 200 } }), fields: [] },
  restart: { edit: (c) => ({ ...c, restart: { ...c.restart, policy: 'never' } }), fields: [] },
  crashLoop: { edit: (c) => ({ ...c, crashLoop: { ...c.crashLoop, failures: 2 } }), fields: [] },
  stop: { edit: (c) => ({ ...c, stop: { signal: 'SIGINT', timeoutMs: 100 } }), fields: [] },
  dependsOn: { edit: (c) => ({ ...c, dependsOn: ['db'] }), fields: [] },
  logs: { edit: (c) => ({ ...c, logs: { maxSizeBytes: 1000, files: 1 } }), fields: [] },
  metrics: { edit: (c) => ({ ...c, metrics: { url: 'http://127.0.0.1:5555/metrics', intervalMs: 10_000 } }), fields: [] },
};

const changedAfter = (edit: (c: ServiceConfig) => ServiceConfig) =>
  compareWithFingerprint(fingerprintOf(spawnDefinition(base)), spawnDefinition(edit(base)));

describe('the definition fingerprint', () => {
  test.each(Object.entries(edits))('an edit of %s', (_key, { edit, fields }) => {
    expect(changedAfter(edit)).toEqual({ changed: fields, uncompared: [] });
  });

  test('the shell switch, the program, and env names added or removed are named; values never', () => {
    expect(changedAfter((c) => ({ ...c, command: { ...c.command!, shell: true } })).changed).toEqual(['shell']);
    expect(changedAfter((c) => ({ ...c, command: { ...c.command!, program: 'bun' } })).changed).toEqual(['command']);
    expect(changedAfter((c) => ({ ...c, env: { NODE_ENV: 'development', DEBUG: '1' } })).changed).toEqual(['env.API_KEY', 'env.DEBUG']);
    expect(changedAfter((c) => ({ ...c, port: null })).changed).toEqual(['port']);
  });

  test('an unchanged definition compares equal, though every fingerprint has a salt of its own', () => {
    const [a, b] = [fingerprintOf(spawnDefinition(base)), fingerprintOf(spawnDefinition(base))];
    expect(a.salt).not.toBe(b.salt);
    expect(a.digests).not.toEqual(b.digests);
    expect(compareWithFingerprint(a, spawnDefinition(base))).toEqual({ changed: [], uncompared: [] });
    expect(compareWithFingerprint(b, spawnDefinition({ ...base, env: { API_KEY: 'sk-live-4242', NODE_ENV: 'development' } }))).toEqual({ changed: [], uncompared: [] });
    expect(compareWithFingerprint(b, spawnDefinition({ ...base, passSecrets: ['SLACK_WEBHOOK_URL', 'FLY_API_TOKEN'] }))).toEqual({ changed: [], uncompared: [] });
  });

  test('it holds digests and names, no value of the definition', () => {
    const fingerprint = fingerprintOf(spawnDefinition(base));
    const text = JSON.stringify(fingerprint);
    for (const value of ['sk-live-4242', 'development', 'server.js', '/stack/web']) expect(text).not.toContain(value);
    // Every leaf is a SHA-256 digest; the names are kept (not secrets: the event needs them).
    expect(Object.fromEntries(Object.entries(fingerprint.digests).map(([setting, fields]) => [setting, Object.keys(fields).sort()]))).toEqual({
      command: ['command', 'shell'],
      cwd: ['cwd'],
      env: ['env.API_KEY', 'env.NODE_ENV'],
      passSecrets: ['pass_secrets'],
      port: ['port'],
    });
    for (const fields of Object.values(fingerprint.digests)) for (const d of Object.values(fields)) expect(d).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a part of the definition an older fingerprint did not cover is reported as not compared, not as changed', () => {
    const older = fingerprintOf(spawnDefinition(base));
    delete (older.digests as Record<string, unknown>).port;
    expect(compareWithFingerprint(older, spawnDefinition({ ...base, port: 7000 }))).toEqual({ changed: [], uncompared: ['port'] });
  });
});

describe('changedSettings (a live edit)', () => {
  test('names the process fields as the fingerprint does, and the other settings by their stack-file keys', () => {
    const after = { ...base, env: { NODE_ENV: 'production', API_KEY: 'sk-live-4242' }, healthTiming: { ...base.healthTiming, intervalMs: 5 }, crashLoop: { ...base.crashLoop, failures: 9 } };
    expect(changedSettings(base, after)).toEqual(['crash_loop', 'env.NODE_ENV', 'health']);
    expect(changedSettings(base, base)).toEqual([]);
  });

  test('restarts the service for an edit of any setting but metrics:, which the sampler reads as it goes', () => {
    const restarts = Object.entries(edits).map(([key, { edit }]) => [key, editNeedsRestart(base, edit(base))]);
    expect(restarts).toEqual(Object.keys(edits).map((key) => [key, key !== 'metrics']));
    expect(editNeedsRestart(base, base)).toBe(false);
  });
});
