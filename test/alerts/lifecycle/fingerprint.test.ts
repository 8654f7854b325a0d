// The alert's identity: stable across label order, processes and versions; different for
// different problems.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertFingerprint } from '../../../src/core/alerts/lifecycle/fingerprint.ts';

describe('alertFingerprint', () => {
  it('ignores the order of labels', () => {
    expect(alertFingerprint('cpu-high', { service: 'server', alertname: 'cpu-high' })).toBe(alertFingerprint('cpu-high', { alertname: 'cpu-high', service: 'server' }));
  });

  it('tells apart rules, label values, and labels that only concatenate alike', () => {
    const fingerprints = [
      alertFingerprint('cpu-high', { service: 'server' }),
      alertFingerprint('cpu-high', { service: 'runner' }),
      alertFingerprint('rss-high', { service: 'server' }),
      alertFingerprint('cpu-high', { service: 'server', mount: '/' }),
      alertFingerprint('cpu-high', { servic: 'eserver' }),
      alertFingerprint('cpu-highservice', { '': 'server' }),
    ];
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    for (const f of fingerprints) expect(f).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not change between versions: saved alerts, PagerDuty incidents and Alertmanager keep their identity', () => {
    // A change here re-opens every open incident under a new key after an upgrade.
    expect(alertFingerprint('service-crashed', { alertname: 'service-crashed', service: 'server' })).toBe('625bb78253948007');
  });

  it('is the same in another process (a restart keeps the identity)', () => {
    const node = path.resolve('node_modules/node/bin/node');
    const script = `import('${path.resolve('src/core/alerts/lifecycle/fingerprint.ts')}').then((m) => console.log(m.alertFingerprint('service-crashed', { service: 'server', alertname: 'service-crashed' })))`;
    const out = spawnSync(node, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe(alertFingerprint('service-crashed', { alertname: 'service-crashed', service: 'server' }));
  });
});
