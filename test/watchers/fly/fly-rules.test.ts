// The pure parts of the Fly watcher: config, parsing, health rules, deploy detection, backoff,
// redaction. No servers.
import { describe, expect, it } from 'vitest';
import { redactToken } from '../../../src/core/watchers/fly/fly-api-error.ts';
import { flySchema, resolveFlyConfig } from '../../../src/core/watchers/fly/fly-config.ts';
import { appHealth, deployBlame, detectDeploy, machineHealth } from '../../../src/core/watchers/fly/fly-health.ts';
import { parseMachineList } from '../../../src/core/watchers/fly/fly-machine.ts';
import { authorizationHeader, parseRetryAfter } from '../../../src/core/watchers/fly/machines-client.ts';
import { nextPollDelay } from '../../../src/core/watchers/fly/poll-backoff.ts';

describe('fly: config', () => {
  it('fills in the defaults', () => {
    expect(resolveFlyConfig({ app: 'my-app' })).toEqual({
      app: 'my-app',
      health_url: 'https://my-app.fly.dev/health',
      api: 'https://api.machines.dev/v1',
      interval: 30_000,
      timeout: 10_000,
      restart: { after: 120_000, min_interval: 600_000 },
      stuck_after: 300_000,
    });
    expect(resolveFlyConfig({ app: 'a', api: 'http://127.0.0.1:9/v1/', interval: '5s', restart: { after: '30s' } })).toMatchObject({
      api: 'http://127.0.0.1:9/v1',
      interval: 5000,
      restart: { after: 30_000, min_interval: 600_000 },
    });
  });

  it('refuses a token key, bad names and bad durations with clear messages', () => {
    const issues = (input: unknown) => flySchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];
    expect(issues({ app: 'my-app', token: 'x' })).toEqual([expect.stringMatching(/unknown key "token"/)]);
    expect(issues({ app: 'My App' })).toEqual([expect.stringMatching(/lowercase letters, digits and "-"/)]);
    expect(issues({})).toEqual([expect.stringMatching(/fly needs the app name/)]);
    expect(issues({ app: 'a', interval: 'soon' })).toEqual([expect.stringMatching(/expected a duration .* got "soon"/)]);
    expect(issues({ app: 'a', restart: { aftr: '1m' } })).toEqual([expect.stringMatching(/unknown key "aftr" \(did you mean "after"\?\)/)]);
  });
});

describe('machine list parsing', () => {
  it('reads the documented shape and survives odd items', () => {
    const machines = parseMachineList([
      {
        id: 'a5c5de9ce64ca12',
        name: 'aged-wind-2649',
        state: 'started',
        region: 'ord',
        instance_id: '1RREBN3T5K95DK9IVP4XHTTPEY2',
        image_ref: { registry: 'registry-1.docker.io', repository: 'org/app', tag: 'latest', digest: 'sha256:abc' },
        checks: [{ name: 'servicecheck-00-tcp-8080', status: 'passing', output: 'Success', updated_at: '2023-10-12T21:23:26.014Z' }, 'junk'],
      },
      { name: 'no id' },
      null,
      { id: 'bare' },
    ]);
    expect(machines).toEqual([
      {
        id: 'a5c5de9ce64ca12',
        name: 'aged-wind-2649',
        state: 'started',
        region: 'ord',
        instanceId: '1RREBN3T5K95DK9IVP4XHTTPEY2',
        image: { repository: 'org/app', tag: 'latest', digest: 'sha256:abc' },
        checks: [{ name: 'servicecheck-00-tcp-8080', status: 'passing', output: 'Success', updatedAt: '2023-10-12T21:23:26.014Z' }],
        updatedAt: null,
      },
      { id: 'bare', name: 'bare', state: 'unknown', region: '', instanceId: null, image: null, checks: [], updatedAt: null },
    ]);
    expect(parseMachineList({ machines: [] })).toBeNull();
  });
});

describe('health rules', () => {
  const base = { stateSince: 0, now: 1000, stuckAfterMs: 5000 };
  const checks = (...statuses: string[]) => statuses.map((status) => ({ status }));

  it('judges a machine by its state, then its checks', () => {
    expect(machineHealth({ ...base, state: 'started', checks: checks('passing', 'passing') })).toBe('healthy');
    expect(machineHealth({ ...base, state: 'started', checks: [] })).toBe('healthy');
    expect(machineHealth({ ...base, state: 'started', checks: checks('passing', 'warning') })).toBe('degraded');
    expect(machineHealth({ ...base, state: 'started', checks: checks('passing', 'critical') })).toBe('degraded');
    expect(machineHealth({ ...base, state: 'started', checks: checks('critical', 'critical') })).toBe('down');
    for (const state of ['stopped', 'failed', 'suspended', 'launch_failed']) expect(machineHealth({ ...base, state, checks: [] })).toBe('down');
    for (const state of ['updating', 'replacing', 'creating']) expect(machineHealth({ ...base, state, checks: [] })).toBe('deploying');
    expect(machineHealth({ ...base, state: 'starting', checks: [] })).toBe('degraded');
    expect(machineHealth({ ...base, state: 'restarting', checks: [], now: 5001 })).toBe('stuck');
    expect(machineHealth({ ...base, state: 'something-new', checks: [] })).toBe('unknown');
  });

  it('judges the app by its machines', () => {
    expect(appHealth(['healthy', 'healthy'])).toBe('healthy');
    expect(appHealth(['healthy', 'down'])).toBe('degraded');
    expect(appHealth(['down', 'down'])).toBe('down');
    expect(appHealth(['healthy', 'deploying'])).toBe('deploying');
    expect(appHealth(['healthy', 'stuck'])).toBe('stuck');
    expect(appHealth([])).toBe('down');
    expect(appHealth(['unknown'])).toBe('unknown');
  });
});

describe('deploy detection', () => {
  const prev = new Map([
    ['a', { digest: 'd1', instanceId: 'i1' }],
    ['b', { digest: 'd1', instanceId: 'i2' }],
  ]);

  it('sees a new digest or instance id, not a first poll or an unchanged one', () => {
    expect(detectDeploy(null, [{ id: 'a', digest: 'd1', instanceId: 'i1' }], null, 0)).toBeNull();
    expect(detectDeploy(prev, [{ id: 'a', digest: 'd1', instanceId: 'i1' }, { id: 'b', digest: 'd1', instanceId: 'i2' }], null, 0)).toBeNull();
    expect(detectDeploy(prev, [{ id: 'a', digest: 'd2', instanceId: 'i9' }, { id: 'b', digest: 'd1', instanceId: 'i2' }], null, 0)).toEqual({ digest: 'd2', machines: ['a'] });
    expect(detectDeploy(prev, [{ id: 'a', digest: 'd1', instanceId: 'i7' }], null, 0)).toEqual({ digest: 'd1', machines: ['a'] });
    expect(detectDeploy(prev, [{ id: 'c', digest: 'd3', instanceId: 'i3' }], null, 0)).toEqual({ digest: 'd3', machines: ['c'] });
    // A machine Vigil just restarted: a new instance id alone is not a deploy, a new digest is.
    const restarted = new Set(['a']);
    expect(detectDeploy(prev, [{ id: 'a', digest: 'd1', instanceId: 'i7' }], null, 0, undefined, restarted)).toBeNull();
    expect(detectDeploy(prev, [{ id: 'a', digest: 'd2', instanceId: 'i7' }], null, 0, undefined, restarted)).toEqual({ digest: 'd2', machines: ['a'] });
  });

  it('folds the rest of a rolling deploy into the one already reported', () => {
    const last = { at: 1000, digest: 'd2', machines: ['a'] };
    const rolled = new Map([...prev, ['a', { digest: 'd2', instanceId: 'i9' }]]);
    expect(detectDeploy(rolled, [{ id: 'a', digest: 'd2', instanceId: 'i9' }, { id: 'b', digest: 'd2', instanceId: 'i8' }], last, 2000)).toBeNull();
    expect(detectDeploy(rolled, [{ id: 'a', digest: 'd2', instanceId: 'i9' }, { id: 'b', digest: 'd2', instanceId: 'i8' }], last, 1000 + 11 * 60_000)).toEqual({ digest: 'd2', machines: ['b'] });
  });

  it('blames failing checks on a recent deploy', () => {
    const at = Date.UTC(2024, 0, 1, 12, 0, 0);
    expect(deployBlame('degraded', { at, healthySince: false }, at + 3_600_000)).toBe('checks failing since the deploy at 2024-01-01T12:00:00.000Z');
    expect(deployBlame('down', { at, healthySince: true }, at + 180_000)).toBe('checks failing 3m after the deploy at 2024-01-01T12:00:00.000Z');
    expect(deployBlame('down', { at, healthySince: true }, at + 3_600_000)).toBeNull();
    expect(deployBlame('healthy', { at, healthySince: false }, at)).toBeNull();
    expect(deployBlame('down', null, at)).toBeNull();
  });
});

describe('polling and requests', () => {
  it('doubles the wait per failure up to the cap, and honours Retry-After', () => {
    expect([0, 1, 2, 3].map((n) => nextPollDelay(30_000, n))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(nextPollDelay(30_000, 4)).toBe(300_000);
    expect(nextPollDelay(30_000, 50)).toBe(300_000);
    expect(nextPollDelay(30_000, 0, 90_000)).toBe(90_000);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });

  it('redacts the token and any bearer credential', () => {
    const token = 'fo1_supersecretvalue';
    expect(redactToken(`got fo1_supersecretvalue back; Authorization: Bearer fo1_supersecretvalue`, token)).toBe('got [redacted] back; Authorization: Bearer [redacted]');
    expect(redactToken('Authorization: Bearer someoneelse', null)).toBe('Authorization: Bearer [redacted]');
    expect(authorizationHeader('fo1_x')).toBe('Bearer fo1_x');
    expect(authorizationHeader('FlyV1 fm2_x')).toBe('FlyV1 fm2_x');
  });
});
