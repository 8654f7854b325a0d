// The `tunnels:` entries of a stack file: defaults, and errors that say what to write instead.
import { describe, expect, it } from 'vitest';
import { resolveTunnelConfig, tunnelSchema, tunnelsSchema } from '../../../src/core/watchers/tunnels/tunnel-config.ts';

const messages = (input: unknown) => {
  const result = tunnelsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tunnel config', () => {
  it('fills in the defaults of an ngrok entry', () => {
    // (config_file points nowhere, so the machine's own ngrok config cannot leak in.)
    expect(resolveTunnelConfig(tunnelSchema.parse({ name: 'public', kind: 'ngrok', config_file: '/nonexistent/ngrok.yml' }))).toEqual({
      name: 'public',
      kind: 'ngrok',
      api: null,
      expect: [],
      configFile: null,
      service: null,
      probe: null,
      intervalMs: 5000,
      timeoutMs: 2000,
      discoveryHost: '127.0.0.1',
      discoveryPorts: [4040, 4041, 4042, 4043, 4044, 4045],
    });
  });

  it('reads every key of a cloudflared entry', () => {
    const spec = tunnelSchema.parse({ name: 'cf', kind: 'cloudflared', metrics: '127.0.0.1:20241', connections: 2, service: 'tunnel', interval: '10s', probe: { path: '/health' } });
    expect(resolveTunnelConfig(spec)).toMatchObject({
      kind: 'cloudflared',
      metrics: 'http://127.0.0.1:20241',
      connections: 2,
      service: 'tunnel',
      intervalMs: 10_000,
      probe: { path: '/health', url: null, intervalMs: 30_000, timeoutMs: 5000 },
      discoveryPorts: [20241, 20242, 20243, 20244, 20245],
    });
  });

  it('accepts expectations as names, ports and addresses', () => {
    const spec = tunnelSchema.parse({ name: 'n', kind: 'ngrok', api: 'http://127.0.0.1:4041', expect: [5051, 'localhost:5555', 'web'] });
    expect(resolveTunnelConfig(spec)).toMatchObject({ api: 'http://127.0.0.1:4041', expect: ['5051', 'localhost:5555', 'web'] });
  });

  it('says what is wrong', () => {
    expect(messages([{ name: 'x', kind: 'ngork' }])).toEqual(['0.kind: expected kind "ngrok" or "cloudflared", got "ngork"']);
    expect(messages([{ name: 'x' }])).toEqual(['0.kind: every tunnel needs a kind: "ngrok" or "cloudflared"']);
    expect(messages([{ name: 'x', kind: 'ngrok', expct: [1] }])).toEqual(['0: unknown key "expct" (did you mean "expect"?)']);
    expect(messages([{ name: 'x', kind: 'cloudflared', connections: 0 }])).toEqual(['0.connections: expected at least 1 connection, got 0']);
    expect(messages([{ name: 'x', kind: 'ngrok', api: 'not an address' }])[0]).toMatch(/^0\.api: expected the ngrok agent API address such as "http:\/\/127\.0\.0\.1:4040"/);
    expect(messages([{ name: 'x', kind: 'ngrok', interval: 'soon' }])[0]).toMatch(/^0\.interval: expected a duration such as "500ms"/);
    expect(messages([{ name: 'x', kind: 'ngrok' }, { name: 'x', kind: 'cloudflared' }])).toEqual(['1.name: another tunnel is already named "x"; names must be unique']);
    expect(messages(['ngrok'])).toEqual(['0: expected a tunnel (a mapping with name and kind), got "ngrok"']);
    expect(tunnelsSchema.parse(undefined)).toEqual([]);
  });
});
