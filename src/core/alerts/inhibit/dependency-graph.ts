// What explains what in a stack: "the server's failure explains the runner's (it depends on
// the server) and the tunnel's (it points at the server's port)". The subsystem builds this
// from the stack (stackDependencyGraph below) and rebuilds it when the stack file changes;
// inhibit.ts reads it. Nodes are things alerts are about, picked by their labels, as
// Alertmanager's inhibit rules pick alerts by matchers.
import type { AlertLabels } from '../../../shared/alerts.ts';

/** A node's id, by convention "label=value": "service=server", "tunnel=public". */
export type NodeId = string;

/** An alert is about a node when its labels match all of these: a value must be equal, except
 * "*", any value present, and "", the label absent (as in Prometheus, where `label=""` matches
 * alerts without the label). */
export type NodeMatcher = AlertLabels;

export interface DependencyGraph {
  nodes: Record<NodeId, NodeMatcher>;
  /** Cause -> effects: a failure of the cause explains the alerts about each effect. Followed
   * transitively (the server explains the runner, which explains the runner's tunnel). */
  explains: Record<NodeId, NodeId[]>;
  /** Rules whose firing alert means its node has failed (a CPU alert explains nothing). */
  failureRules: string[];
}

/** The built-in rules (rules/) that say a thing is down, not merely busy. */
export const FAILURE_RULES = [
  'service-crashed',
  'service-crash-looping',
  'service-unhealthy',
  'service-port-taken',
  'tunnel-down',
  'fly-app-down',
  'fly-app-unreachable',
];

export const EMPTY_GRAPH: DependencyGraph = { nodes: {}, explains: {}, failureRules: FAILURE_RULES };

/** What the graph is built from: the stack file's services, tunnels and Fly app, plus what the
 * watchers have seen (the ports a tunnel actually forwards to). */
export interface StackTopology {
  services: ReadonlyArray<{ name: string; port?: number | null; dependsOn?: readonly string[] }>;
  tunnels?: ReadonlyArray<{
    name: string;
    /** The stack service that runs the tunnel's agent (`service:` in the stack file). */
    service?: string | null;
    /** The tunnel's `expect:` entries (ports, "localhost:5051", tunnel names). */
    expect?: ReadonlyArray<string | number>;
    /** Local addresses the agent reports forwarding to ("http://localhost:5051"). */
    upstreams?: readonly string[];
  }>;
  fly?: { app: string } | null;
  failureRules?: string[];
}

export const serviceNode = (name: string): NodeId => `service=${name}`;
export const tunnelNode = (name: string): NodeId => `tunnel=${name}`;
export const flyAppNode = (app: string): NodeId => `app=${app}`;
export const flyMachinesNode = (app: string): NodeId => `app=${app},machine=*`;

export function stackDependencyGraph(stack: StackTopology): DependencyGraph {
  const nodes: Record<NodeId, NodeMatcher> = {};
  const explains: Record<NodeId, NodeId[]> = {};
  const link = (cause: NodeId, effect: NodeId) => {
    const effects = explains[cause] ?? [];
    if (!effects.includes(effect)) explains[cause] = [...effects, effect];
  };
  const byPort = new Map<number, string>();
  for (const service of stack.services) {
    nodes[serviceNode(service.name)] = { service: service.name };
    if (service.port) byPort.set(service.port, service.name);
  }
  for (const service of stack.services) {
    for (const dependency of service.dependsOn ?? []) if (nodes[serviceNode(dependency)]) link(serviceNode(dependency), serviceNode(service.name));
  }
  for (const tunnel of stack.tunnels ?? []) {
    const node = tunnelNode(tunnel.name);
    nodes[node] = { tunnel: tunnel.name };
    if (tunnel.service && nodes[serviceNode(tunnel.service)]) link(serviceNode(tunnel.service), node);
    for (const address of [...(tunnel.expect ?? []), ...(tunnel.upstreams ?? [])]) {
      const target = byPort.get(localPort(address) ?? -1);
      if (target) link(serviceNode(target), node);
    }
  }
  if (stack.fly) {
    // The app's own alerts (down, unreachable) carry no machine label; its machines' do.
    nodes[flyAppNode(stack.fly.app)] = { app: stack.fly.app, machine: '' };
    nodes[flyMachinesNode(stack.fly.app)] = { app: stack.fly.app, machine: '*' };
    link(flyAppNode(stack.fly.app), flyMachinesNode(stack.fly.app));
  }
  return { nodes, explains, failureRules: stack.failureRules ?? FAILURE_RULES };
}

/** The port of 5051, "5051", "localhost:5051", "http://127.0.0.1:5051/"; null for a name. */
function localPort(address: string | number): number | null {
  if (typeof address === 'number') return address;
  const match = /^(?:[a-z]+:\/\/)?(?:[^/:\s]+:)?(\d{1,5})\/?$/i.exec(address.trim());
  return match ? Number(match[1]) : null;
}

export function nodeMatches(matcher: NodeMatcher, labels: AlertLabels): boolean {
  for (const [name, wanted] of Object.entries(matcher)) {
    const value = labels[name];
    if (wanted === '' ? value !== undefined && value !== '' : wanted === '*' ? !value : value !== wanted) return false;
  }
  return true;
}
