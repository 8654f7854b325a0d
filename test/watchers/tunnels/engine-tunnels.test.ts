// Tunnels from the stack file, watched by a real engine and seen through its snapshot and API.
import { writeFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { startFakeNgrokAgent } from '../../fixtures/fake-ngrok-agent.mjs';
import { FIXTURE, freePort, NODE, startEngine, waitFor } from '../../helpers/stack.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

test('an ngrok tunnel in vigil.yml shows up in the snapshot, its URL change is an event, and restarting it restarts its agent service', async () => {
  const agent = await startFakeNgrokAgent();
  cleanups.push(() => agent.close());
  agent.addTunnel({ name: 'web', publicUrl: 'https://first.ngrok.app', addr: 'http://localhost:5051' });
  const yaml = (interval: string) => `
services:
  - name: ngrok
    command: ["${NODE}", "${FIXTURE}", "--tag", "agent"]
tunnels:
  - name: public
    kind: ngrok
    api: ${agent.url}
    expect: [web]
    service: ngrok
    interval: ${interval}
`;
  const run = await startEngine(yaml('100ms'));
  cleanups.push(run.cleanup);
  const up = await waitFor('tunnel up', () => run.engine.snapshot().tunnels.find((t) => t.state === 'up'));
  expect(up).toMatchObject({ name: 'public', kind: 'ngrok', service: 'ngrok', publicUrls: ['https://first.ngrok.app'] });

  agent.setPublicUrl('web', 'https://second.ngrok.app');
  const changed = await waitFor('url event', () => run.engine.events.list().find((e) => e.type === 'tunnel.url'));
  expect(changed).toMatchObject({ tunnel: 'public', oldUrl: 'https://first.ngrok.app', newUrl: 'https://second.ngrok.app' });

  const before = await waitFor('agent service running', () => run.state('ngrok').state === 'running' && run.state('ngrok'));
  await run.engine.restartTunnel('public');
  await waitFor('agent service restarted', () => run.state('ngrok').state === 'running' && run.state('ngrok').pid !== before.pid);
  await expect(run.engine.restartTunnel('nope')).rejects.toThrow('no tunnel named "nope"');

  // Editing the tunnel in the stack file starts it over; removing it stops watching it.
  writeFileSync(run.file, yaml('200ms'));
  await waitFor('edit applied', () => run.engine.events.list().some((e) => e.type === 'config.applied' && e.message.includes('change applied')));
  writeFileSync(run.file, `services:\n  - name: ngrok\n    command: ["${NODE}", "${FIXTURE}", "--tag", "agent"]\n`);
  await waitFor('tunnel gone', () => run.engine.snapshot().tunnels.length === 0);
});

test('a tunnel naming a service the stack does not have is a stack file error at its line', async () => {
  const port = await freePort();
  const { parseStackFile, checkStack } = await import('../../../src/core/config/load-stack.ts');
  const parsed = parseStackFile(
    `services:\n  - name: web\n    command: [node]\ntunnels:\n  - name: t\n    kind: cloudflared\n    metrics: 127.0.0.1:${port}\n    service: wbe\n`,
    'vigil.yml',
  );
  const [issue] = checkStack([parsed]);
  expect(issue).toMatchObject({ line: 8, field: 'tunnels[0].service' });
  expect(issue!.message).toContain('did you mean "web"');
});

test('an agent that Vigil runs is found at the address it announces in its output', async () => {
  const agent = await startFakeNgrokAgent();
  cleanups.push(() => agent.close());
  agent.addTunnel({ name: 'web', publicUrl: 'https://announced.ngrok.app' });
  const announcement = `lvl=info msg=\\"starting web service\\" obj=web addr=127.0.0.1:${agent.port} allow_hosts=[]`;
  const run = await startEngine(`
services:
  - name: ngrok
    command: ["${NODE}", "${FIXTURE}", "--say", "${announcement}"]
tunnels:
  - name: public
    kind: ngrok
    service: ngrok
    interval: 100ms
`);
  cleanups.push(run.cleanup);
  const up = await waitFor('tunnel up', () => run.engine.snapshot().tunnels.find((t) => t.state === 'up'));
  expect(up).toMatchObject({ address: `http://127.0.0.1:${agent.port}`, publicUrls: ['https://announced.ngrok.app'] });
});
