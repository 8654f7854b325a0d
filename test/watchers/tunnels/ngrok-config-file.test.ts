// ngrok's own config file tells where its agent API listens (or that it is off).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { defaultNgrokConfigFiles, ngrokWebAddr } from '../../../src/core/watchers/tunnels/ngrok-config-file.ts';
import { resolveTunnelConfig, tunnelSchema } from '../../../src/core/watchers/tunnels/tunnel-config.ts';
import { startFakeNgrokAgent } from '../../fixtures/fake-ngrok-agent.mjs';
import { recordingHooks, waitFor } from './helpers.ts';
import { TunnelWatcher } from '../../../src/core/watchers/tunnels/tunnel-watcher.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-ngrok-config-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

test('version 3 keeps web_addr under agent:, version 2 at the top; false turns the API off', () => {
  const v3 = write('v3.yml', 'version: "3"\nagent:\n  authtoken: x\n  web_addr: 127.0.0.1:4055\n');
  const v2 = write('v2.yml', 'version: "2"\nweb_addr: localhost:4099\n');
  const off = write('off.yml', 'version: "3"\nagent:\n  web_addr: false\n');
  expect(ngrokWebAddr([v3])).toEqual({ file: v3, address: '127.0.0.1:4055' });
  expect(ngrokWebAddr([path.join(dir, 'missing.yml'), v2])).toEqual({ file: v2, address: 'localhost:4099' });
  expect(ngrokWebAddr([off])).toEqual({ file: off, disabled: true });
  expect(ngrokWebAddr([write('none.yml', 'version: "3"\nagent:\n  authtoken: x\n')])).toBeNull();
  expect(defaultNgrokConfigFiles('/home/me', 'darwin')[0]).toBe('/home/me/Library/Application Support/ngrok/ngrok.yml');
});

test('a watcher finds the agent at the web_addr of ngrok\'s config file', async () => {
  const agent = await startFakeNgrokAgent();
  try {
    agent.addTunnel({ name: 'web', publicUrl: 'https://from-config.ngrok.app' });
    const file = write('agent.yml', `version: "3"\nagent:\n  web_addr: 127.0.0.1:${agent.port}\n`);
    const config = resolveTunnelConfig(tunnelSchema.parse({ name: 'public', kind: 'ngrok', config_file: file, interval: 50 }));
    const watcher = new TunnelWatcher({ ...config, discoveryPorts: [] }, recordingHooks());
    watcher.start();
    const up = await waitFor('up', () => watcher.snapshot().state === 'up' && watcher.snapshot());
    expect(up.publicUrls).toEqual(['https://from-config.ngrok.app']);
    watcher.stop();

    const off = resolveTunnelConfig(tunnelSchema.parse({ name: 'public', kind: 'ngrok', config_file: write('off2.yml', 'agent:\n  web_addr: false\n'), interval: 50 }));
    const disabled = new TunnelWatcher(off, recordingHooks());
    disabled.start();
    const down = await waitFor('down', () => disabled.snapshot().state === 'down' && disabled.snapshot());
    expect(down.error).toContain('web_addr: false');
    disabled.stop();
  } finally {
    await agent.close();
  }
});
