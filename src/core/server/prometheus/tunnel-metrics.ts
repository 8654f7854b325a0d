// The stack's tunnels: up and state from the snapshot; cloudflared's connections to
// Cloudflare's edge from the snapshot too; ngrok's client connections per endpoint from the
// watcher's observations (tunnel_ngrok_conns_* in the sampled series). The two kinds of
// connection are different things, so they are different series: a sum over both would mean
// nothing.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { TunnelState } from '../../../shared/contract.ts';
import { setEnum } from './enum-gauge.ts';
import type { ScrapeView } from './exporter-sources.ts';
import { forgetSeries } from './forget-series.ts';

const TUNNEL_STATES: readonly TunnelState[] = ['up', 'degraded', 'down', 'unknown'];

/** An ngrok observation of a tunnel of the stack, with its endpoint. */
function ngrokValues(view: ScrapeView, series: string): { labels: { tunnel: string; kind: string; endpoint: string }; value: number }[] {
  const tunnels = new Set(view.state.tunnels.map((t) => t.name));
  return (view.sampled.get(series) ?? [])
    .filter(({ labels }) => labels.tunnel !== undefined && tunnels.has(labels.tunnel) && labels.endpoint !== undefined)
    .map(({ labels, value }) => ({ labels: { tunnel: labels.tunnel!, kind: labels.kind ?? 'ngrok', endpoint: labels.endpoint! }, value }));
}

export function registerTunnelMetrics(registry: Registry, view: () => ScrapeView): void {
  new Gauge({
    name: 'vigil_tunnel_up',
    help: 'Whether the tunnel is up (1) or not (0: degraded, down, or not known yet), as Vigil reads its agent.',
    labelNames: ['tunnel', 'kind'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const t of view().state.tunnels) this.set({ tunnel: t.name, kind: t.kind }, t.state === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_tunnel_state',
    help: `The tunnel's state: 1 for the one it is in, 0 for the others (${TUNNEL_STATES.join(', ')}).`,
    labelNames: ['tunnel', 'kind', 'state'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const t of view().state.tunnels) setEnum(this, { tunnel: t.name, kind: t.kind }, 'state', TUNNEL_STATES, t.state);
    },
  });
  new Gauge({
    name: 'vigil_tunnel_edge_connections',
    help: "cloudflared: connections to Cloudflare's edge that are ready now (absent for ngrok, and while the agent cannot be read).",
    labelNames: ['tunnel', 'kind'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const t of view().state.tunnels) if (t.readyConnections !== null) this.set({ tunnel: t.name, kind: t.kind }, t.readyConnections);
    },
  });
  new Gauge({
    name: 'vigil_tunnel_expected_edge_connections',
    help: "cloudflared: edge connections the stack file expects (the tunnel is degraded below this).",
    labelNames: ['tunnel', 'kind'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const t of view().state.tunnels) if (t.expectedConnections !== null) this.set({ tunnel: t.name, kind: t.kind }, t.expectedConnections);
    },
  });
  new Gauge({
    name: 'vigil_tunnel_open_connections',
    help: "ngrok: client connections open now through the endpoint, as the agent counts them (its conns.gauge).",
    labelNames: ['tunnel', 'kind', 'endpoint'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const { labels, value } of ngrokValues(view(), 'tunnel_ngrok_conns_gauge')) this.set(labels, value);
    },
  });
  new Counter({
    name: 'vigil_tunnel_connections_total',
    help: "ngrok: client connections through the endpoint since its agent started (its conns.count).",
    labelNames: ['tunnel', 'kind', 'endpoint'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const { labels, value } of ngrokValues(view(), 'tunnel_ngrok_conns_count')) this.inc(labels, value);
    },
  });
}
