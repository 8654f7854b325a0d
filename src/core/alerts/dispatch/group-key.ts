// Which group an alert joins: the values of the route's group_by labels, as in Alertmanager.
// The key is readable ("alertname=service-crashed") and stable while the group lives.
import type { AlertLabels } from '../../../shared/alerts.ts';
import { GROUP_BY_ALL } from '../config/route-config.ts';

// An alert keeps its labels object for its whole life, and the route changes only with the
// stack file: the key is computed once per alert, not on every evaluation.
const keys = new WeakMap<AlertLabels, { groupBy: readonly string[]; key: string }>();

export function groupKey(labels: AlertLabels, groupBy: readonly string[]): string {
  const known = keys.get(labels);
  if (known?.groupBy === groupBy) return known.key;
  const key = computeGroupKey(labels, groupBy);
  keys.set(labels, { groupBy, key });
  return key;
}

function computeGroupKey(labels: AlertLabels, groupBy: readonly string[]): string {
  const names = groupBy.includes(GROUP_BY_ALL) ? Object.keys(labels).sort() : groupBy;
  // A label the alert lacks groups as empty, as Alertmanager does.
  return names.map((name) => `${name}=${labels[name] ?? ''}`).join(',');
}
