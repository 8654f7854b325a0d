// The stack file's `tunnels:` entries, and the resolved config a TunnelWatcher runs with.
// The stack file schema holds `tunnels: tunnelsSchema`; the pieces come from schema-kit.ts.
import { z } from 'zod';
import { positiveDuration as duration, SERVICE_NAME, show, strictObject } from '../../kit/schema-kit.ts';
import { baseUrl } from '../../kit/http-get.ts';
import { defaultNgrokConfigFiles, type NgrokWebAddr, ngrokWebAddr } from './ngrok-config-file.ts';

export const DEFAULT_INTERVAL_MS = 5000;
export const DEFAULT_TIMEOUT_MS = 2000;
/** ngrok moves its API to the next port when 4040 is taken. */
export const NGROK_DISCOVERY_PORTS = [4040, 4041, 4042, 4043, 4044, 4045];
/** cloudflared 2024.12.1+ binds the first free of these when no --metrics is given. */
export const CLOUDFLARED_DISCOVERY_PORTS = [20241, 20242, 20243, 20244, 20245];

const tunnelName = z
  .string({ error: (i) => (i.input === undefined ? 'every tunnel needs a name' : `expected a name, got ${show(i.input)}`) })
  .regex(SERVICE_NAME, { error: (i) => `a name uses letters, digits, "-", "_" and "." and starts with a letter or digit; got ${show(i.input)}` })
  .meta({ description: 'Unique among the stack\'s tunnels.', examples: ['public'] });

const serviceRef = z
  .string({ error: (i) => `expected the name of a service of the stack, got ${show(i.input)}` })
  .regex(SERVICE_NAME, { error: (i) => `expected the name of a service of the stack, got ${show(i.input)}` })
  .optional()
  .meta({ description: 'The stack service that runs this tunnel\'s agent (e.g. one whose command is `ngrok http 5051`): restarting the tunnel restarts it.' });

const address = (what: string, example: string) =>
  z
    .string({ error: (i) => `expected ${what} such as "${example}", got ${show(i.input)}` })
    .regex(/^(https?:\/\/)?[^\s/:]+:\d{1,5}\/?$/, { error: (i) => `expected ${what} such as "${example}" (host:port or http://host:port), got ${show(i.input)}` });

const probeSchema = strictObject(
  {
    path: z
      .string({ error: (i) => `expected a path such as "/health", got ${show(i.input)}` })
      .regex(/^\//, { error: (i) => `expected a path starting with "/", such as "/health", got ${show(i.input)}` })
      .default('/')
      .meta({ description: 'Requested through the tunnel\'s public URL. Default "/".', examples: ['/health'] }),
    url: z
      .url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL, got ${show(i.input)}` })
      .optional()
      .meta({ description: 'The full URL to request instead of public URL + path (for a named cloudflared tunnel, whose hostname its metrics do not tell).' }),
    interval: duration(30_000, '30s', 'Time between probes.'),
    timeout: duration(5000, '5s', 'How long one probe may take.'),
  },
  'probe settings',
);

const common = {
  name: tunnelName,
  service: serviceRef,
  probe: probeSchema.optional().meta({ description: 'An HTTP request through the public URL, which tells "tunnel up but the origin behind it broken" apart from "tunnel down". Off unless given.' }),
  interval: duration(DEFAULT_INTERVAL_MS, '5s', 'Time between polls of the agent (doubled on each error in a row, up to 1m).'),
  timeout: duration(DEFAULT_TIMEOUT_MS, '2s', 'How long one request to the agent may take.'),
};

const expectEntry = z.union([z.string().min(1), z.number().int().min(1).max(65535)], {
  error: (i) => `expected a tunnel name or a local address such as 5051 or "localhost:5051", got ${show(i.input)}`,
});

export const ngrokTunnelSchema = strictObject(
  {
    ...common,
    kind: z.literal('ngrok'),
    api: address('the ngrok agent API address', 'http://127.0.0.1:4040')
      .optional()
      .meta({
        description:
          "The agent's web_addr. Default: the address the agent announces in its output (when Vigil runs it), else web_addr in ngrok's config file, else found by probing GET /api/status on 127.0.0.1:4040, 4041, ...",
      }),
    config_file: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "ngrok's config file to read web_addr from. Default: ngrok's own default locations." }),
    expect: z
      .array(expectEntry, { error: (i) => `expected a list of tunnel names or local addresses such as [5051], got ${show(i.input)}` })
      .default([])
      .meta({ description: 'Tunnels that must be there, by name or by the local address they forward to (5051, "localhost:5051"). Default: at least one tunnel.' }),
  },
  'an ngrok tunnel',
);

export const cloudflaredTunnelSchema = strictObject(
  {
    ...common,
    kind: z.literal('cloudflared'),
    metrics: address('the cloudflared metrics address', '127.0.0.1:20241')
      .optional()
      .meta({ description: 'cloudflared\'s --metrics address. Default: found on 127.0.0.1:20241-20245.' }),
    connections: z
      .number({ error: (i) => `expected a number of connections (a whole number), got ${show(i.input)}` })
      .int({ error: (i) => `expected a number of connections (a whole number), got ${show(i.input)}` })
      .min(1, { error: (i) => `expected at least 1 connection, got ${show(i.input)}` })
      .default(4)
      .meta({ description: 'Ready edge connections of a healthy tunnel (cloudflared\'s ha-connections). Fewer is degraded. Default 4.' }),
  },
  'a cloudflared tunnel',
);

export const tunnelSchema = z.discriminatedUnion('kind', [ngrokTunnelSchema, cloudflaredTunnelSchema], {
  error: (i) => {
    const kind = (i.input as { kind?: unknown } | undefined)?.kind;
    if (i.input === null || typeof i.input !== 'object') return `expected a tunnel (a mapping with name and kind), got ${show(i.input)}`;
    return kind === undefined ? 'every tunnel needs a kind: "ngrok" or "cloudflared"' : `expected kind "ngrok" or "cloudflared", got ${show(kind)}`;
  },
});

/** The list, with names checked for uniqueness: events and the CLI address tunnels by name. */
export const tunnelsSchema = z
  .array(tunnelSchema, { error: (i) => `expected a list of tunnels (each "- name: ..."), got ${show(i.input)}` })
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((t, index) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `another tunnel is already named "${t.name}"; names must be unique` });
      seen.add(t.name);
    });
  })
  .meta({ description: 'Tunnels that make the stack reachable (ngrok, cloudflared): Vigil watches each and can restart the service that runs it.' });

export type TunnelSpec = z.output<typeof tunnelSchema>;

export interface ProbeConfig {
  path: string;
  url: string | null;
  intervalMs: number;
  timeoutMs: number;
}

interface CommonConfig {
  name: string;
  service: string | null;
  probe: ProbeConfig | null;
  intervalMs: number;
  timeoutMs: number;
  /** Host probed during discovery. Loopback: agents bind there by default. */
  discoveryHost: string;
  /** Ports tried in order when no address is configured. */
  discoveryPorts: number[];
}

export interface NgrokTunnelConfig extends CommonConfig {
  kind: 'ngrok';
  /** Agent API base such as "http://127.0.0.1:4040", or null to discover. */
  api: string | null;
  expect: string[];
  /** What ngrok's own config file says (web_addr), read when the stack file was loaded. */
  configFile: NgrokWebAddr;
}

export interface CloudflaredTunnelConfig extends CommonConfig {
  kind: 'cloudflared';
  /** Metrics server base such as "http://127.0.0.1:20241", or null to discover. */
  metrics: string | null;
  connections: number;
}

export type TunnelConfig = NgrokTunnelConfig | CloudflaredTunnelConfig;

/** The parsed stack file entry, with every default filled in. */
export function resolveTunnelConfig(spec: TunnelSpec): TunnelConfig {
  const common: CommonConfig = {
    name: spec.name,
    service: spec.service ?? null,
    probe: spec.probe ? { path: spec.probe.path, url: spec.probe.url ?? null, intervalMs: spec.probe.interval, timeoutMs: spec.probe.timeout } : null,
    intervalMs: spec.interval,
    timeoutMs: spec.timeout,
    discoveryHost: '127.0.0.1',
    discoveryPorts: spec.kind === 'ngrok' ? NGROK_DISCOVERY_PORTS : CLOUDFLARED_DISCOVERY_PORTS,
  };
  if (spec.kind === 'ngrok') {
    const configFile = spec.api ? null : ngrokWebAddr(spec.config_file ? [spec.config_file] : defaultNgrokConfigFiles());
    return { ...common, kind: 'ngrok', api: spec.api ? baseUrl(spec.api) : null, expect: spec.expect.map(String), configFile };
  }
  return { ...common, kind: 'cloudflared', metrics: spec.metrics ? baseUrl(spec.metrics) : null, connections: spec.connections };
}
