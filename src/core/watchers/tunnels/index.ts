// The tunnels watcher's public face, for the engine, the stack file schema and tests.
export { parsePrometheusText, readCloudflared, discoverCloudflared, type CloudflaredReading } from './cloudflared-client.ts';
export { discoverNgrokAgent, readNgrokAgent, type NgrokReading, type NgrokTunnel } from './ngrok-client.ts';
export {
  CLOUDFLARED_DISCOVERY_PORTS,
  NGROK_DISCOVERY_PORTS,
  resolveTunnelConfig,
  tunnelSchema,
  tunnelsSchema,
  type CloudflaredTunnelConfig,
  type NgrokTunnelConfig,
  type ProbeConfig,
  type TunnelConfig,
  type TunnelSpec,
} from './tunnel-config.ts';
export { cloudflaredVerdict, ngrokVerdict, urlChanges, withProbe, type Verdict } from './tunnel-state.ts';
export { TunnelWatcher } from './tunnel-watcher.ts';
