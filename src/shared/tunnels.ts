// The tunnels part of the contract: what the engine tells about each tunnel of the stack
// (ngrok, cloudflared). Types only.

export type TunnelState = 'up' | 'degraded' | 'down' | 'unknown';

export interface TunnelSnapshot {
  /** As named in the stack file's `tunnels:` list. */
  name: string;
  kind: 'ngrok' | 'cloudflared';
  state: TunnelState;
  /** What is wrong, for the user, when not up. */
  error: string | null;
  /** The public URLs now (ngrok: one per expected tunnel; cloudflared quick tunnels: one). */
  publicUrls: string[];
  /** The service that runs this tunnel's agent, if the stack file names one. */
  service: string | null;
  /** The agent API or metrics address in use (discovered or configured). */
  address: string | null;
  /** cloudflared: ready edge connections now and expected. */
  readyConnections: number | null;
  expectedConnections: number | null;
  /** The optional end-to-end probe through the public URL. */
  probe: { ok: boolean; detail: string; time: string } | null;
  lastSeenAt: string | null;
}
