// How rules word values, durations and places for the people who read an alert: one line
// a person can act on ("server: memory 2.1 GB > 2 GB for 3 min"), and the dashboard view to open.
import type { AlertLabels } from '../../../shared/alerts.ts';
import { serviceViewFragment } from '../../../shared/dashboard-routes.ts';
import { seriesKey } from '../../../shared/metrics.ts';

/** "93", "12.5", "0.25": enough digits to compare with a threshold, no more. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

const BYTE_UNITS: [number, string][] = [
  [1024 ** 4, 'TB'],
  [1024 ** 3, 'GB'],
  [1024 ** 2, 'MB'],
  [1024, 'KB'],
];

/** Binary multiples written as the stack file reads them ("2GB" is 2 × 1024³ there too). */
export function formatBytes(bytes: number): string {
  for (const [size, unit] of BYTE_UNITS) {
    if (Math.abs(bytes) >= size) return `${Number((bytes / size).toFixed(bytes / size >= 10 ? 0 : 1))} ${unit}`;
  }
  return `${Math.round(bytes)} B`;
}

/** "40 s", "12 min", "2 h 5 min": for summaries, rounded the way people say it. */
export function spokenDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The unit a series' name says its values are in (Prometheus naming: _bytes, _percent...). */
export function unitOfSeries(name: string): string | undefined {
  if (name.endsWith('_bytes')) return 'bytes';
  if (name.endsWith('_percent')) return '%';
  if (name.endsWith('_ms')) return 'ms';
  if (name.endsWith('_seconds')) return 's';
  if (name.endsWith('_celsius')) return '°C';
  return undefined;
}

/** A value with its unit: "2.1 GB", "93 %", "230 ms", "7". */
export function formatValue(value: number, unit: string | undefined): string {
  if (unit === 'bytes') return formatBytes(value);
  if (unit === undefined) return formatNumber(value);
  return `${formatNumber(value)} ${unit}`;
}

/** The alert's identity within the rules: its rule and labels, canonical. */
export function verdictKey(rule: string, labels: AlertLabels): string {
  return `${rule}|${seriesKey('', labels)}`;
}

/** The dashboard view that shows what an alert is about, as a hash route. */
export function dashboardLink(labels: AlertLabels): string {
  // A tunnel alert may name the service that runs its agent; the tunnel's own view says more.
  if (labels.tunnel) return `#/tunnel/${encodeURIComponent(labels.tunnel)}`;
  if (labels.service) return serviceViewFragment(labels.service);
  if (labels.app) return '#/fly';
  if (labels.alertname?.startsWith('system-')) return '#/system';
  return '#/alerts';
}
