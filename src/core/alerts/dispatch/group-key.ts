// Which group an alert joins: the values of the route's group_by labels, as in Alertmanager.
// The key is readable ("alertname=service-crashed") and stable while the group lives.
import type { AlertLabels } from '../../../shared/alerts.ts';
import { GROUP_BY_ALL } from '../config/route-config.ts';

export function groupKey(labels: AlertLabels, groupBy: readonly string[]): string {
  const names = groupBy.includes(GROUP_BY_ALL) ? Object.keys(labels).sort() : groupBy;
  // A label the alert lacks groups as empty, as Alertmanager does.
  return names.map((name) => `${name}=${labels[name] ?? ''}`).join(',');
}
