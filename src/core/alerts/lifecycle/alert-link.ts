// The dashboard view an alert opens: the thing it is about, else the alert itself.
import type { AlertLabels } from '../../../shared/alerts.ts';

export function alertLink(labels: AlertLabels, id: string): string {
  if (labels.service) return `#/service/${encodeURIComponent(labels.service)}`;
  if (labels.tunnel) return `#/tunnel/${encodeURIComponent(labels.tunnel)}`;
  if (labels.app || labels.machine) return '#/fly';
  return `#/alerts/${encodeURIComponent(id)}`;
}
