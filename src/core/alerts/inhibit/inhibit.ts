// The stack's root cause mutes its consequences: with the server down, the runner that
// depends on it and the tunnel that points at it are down too, and saying so three times
// tells the user nothing more. Muted alerts stay listed, with `inhibitedBy` naming the root
// cause's fingerprint; they send no notification while it fires (as Alertmanager's inhibit
// rules: a firing source mutes its targets, and a silenced source still does).
//
// Among several failures that explain each other, the root is the one nothing else explains
// (the server, not the runner); in a cycle of failures (A explains B explains A) the one that
// fired first is taken as the root, so a cycle never mutes every alert in it.
import type { Alert } from '../../../shared/alerts.ts';
import { type DependencyGraph, type NodeId, nodeMatches } from './dependency-graph.ts';

interface PreparedGraph {
  /** "label=value" -> nodes whose matcher requires exactly that (an index: an alert only
   * checks the nodes its own labels point at). */
  byLabel: Map<string, NodeId[]>;
  /** Nodes whose matcher requires no concrete value (checked for every alert). */
  unanchored: NodeId[];
  /** Node -> every node its failure explains, transitively. */
  reach: Map<NodeId, Set<NodeId>>;
  failureRules: Set<string>;
}

const prepared = new WeakMap<DependencyGraph, PreparedGraph>();

function prepare(graph: DependencyGraph): PreparedGraph {
  let ready = prepared.get(graph);
  if (ready) return ready;
  const byLabel = new Map<string, NodeId[]>();
  const unanchored: NodeId[] = [];
  for (const [id, matcher] of Object.entries(graph.nodes)) {
    const anchor = Object.entries(matcher).find(([, value]) => value !== '' && value !== '*');
    if (!anchor) unanchored.push(id);
    else {
      const key = `${anchor[0]}=${anchor[1]}`;
      byLabel.set(key, [...(byLabel.get(key) ?? []), id]);
    }
  }
  const reach = new Map<NodeId, Set<NodeId>>();
  for (const start of Object.keys(graph.explains)) {
    const seen = new Set<NodeId>();
    const queue = [...(graph.explains[start] ?? [])];
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      queue.push(...(graph.explains[node] ?? []));
    }
    reach.set(start, seen);
  }
  ready = { byLabel, unanchored, reach, failureRules: new Set(graph.failureRules) };
  prepared.set(graph, ready);
  return ready;
}

function nodesOfAlert(graph: DependencyGraph, ready: PreparedGraph, alert: Alert): NodeId[] {
  const nodes: NodeId[] = [];
  const consider = (id: NodeId) => {
    if (nodeMatches(graph.nodes[id]!, alert.labels)) nodes.push(id);
  };
  for (const [name, value] of Object.entries(alert.labels)) ready.byLabel.get(`${name}=${value}`)?.forEach(consider);
  ready.unanchored.forEach(consider);
  return nodes;
}

/**
 * For each open alert that a root cause explains, that root cause's fingerprint, by alert id.
 * `sleeping`: the fingerprint of the "computer slept" alert while it fires, which mutes
 * everything else.
 */
export function inhibitions(alerts: readonly Alert[], graph: DependencyGraph, sleeping: string | null = null): Map<string, string> {
  const muted = new Map<string, string>();
  if (sleeping !== null) {
    for (const alert of alerts) if (alert.fingerprint !== sleeping && alert.state !== 'resolved') muted.set(alert.id, sleeping);
    return muted;
  }
  const ready = prepare(graph);
  if (ready.reach.size === 0) return muted;
  // Failures, oldest first: the order that decides a cycle. Most evaluations have none, and
  // then nothing else needs looking at.
  const failures = alerts
    .filter((a) => a.state === 'firing' && ready.failureRules.has(a.rule))
    .sort((a, b) => (a.firingSince ?? '').localeCompare(b.firingSince ?? '') || a.fingerprint.localeCompare(b.fingerprint));
  if (failures.length === 0) return muted;
  const open = alerts.filter((a) => a.state !== 'resolved');
  const nodes = new Map(open.map((a) => [a.id, nodesOfAlert(graph, ready, a)]));
  const sources = failures.map((alert) => ({ alert, reaches: reachOf(ready, nodes.get(alert.id)!) }));
  const explains = (source: (typeof sources)[number], alert: Alert) =>
    source.alert.id !== alert.id && nodes.get(alert.id)!.some((node) => source.reaches.has(node));

  // Roots: failures no other failure explains; then, while failures remain that only a cycle
  // explains, the oldest of them.
  const roots: typeof sources = sources.filter((s) => !sources.some((other) => explains(other, s.alert)));
  const rootOf = new Map<string, string>();
  const markExplained = () => {
    for (const source of sources) {
      if (roots.includes(source) || rootOf.has(source.alert.id)) continue;
      const root = roots.find((r) => explains(r, source.alert));
      if (root) rootOf.set(source.alert.id, root.alert.fingerprint);
    }
  };
  markExplained();
  for (let left = sources.find((s) => !roots.includes(s) && !rootOf.has(s.alert.id)); left; left = sources.find((s) => !roots.includes(s) && !rootOf.has(s.alert.id))) {
    roots.push(left);
    markExplained();
  }

  const rootIds = new Set(roots.map((r) => r.alert.id));
  for (const alert of open) {
    if (rootIds.has(alert.id)) continue;
    const root = roots.find((r) => explains(r, alert));
    if (root) muted.set(alert.id, root.alert.fingerprint);
    else {
      // Explained only through a failure that is itself muted: by that failure's root.
      const via = sources.find((s) => rootOf.has(s.alert.id) && explains(s, alert));
      if (via) muted.set(alert.id, rootOf.get(via.alert.id)!);
    }
  }
  return muted;
}

function reachOf(ready: PreparedGraph, nodes: readonly NodeId[]): Set<NodeId> {
  const all = new Set<NodeId>();
  for (const node of nodes) ready.reach.get(node)?.forEach((n) => all.add(n));
  return all;
}
