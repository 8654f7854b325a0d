// The fields a rule's message template may name, known when the stack file loads so that a
// misspelt field is an error there and not an empty gap in a notification at 3 a.m.
import { type SeriesSelector, pinnedLabels } from './series-selector.ts';

/** The labels Vigil's own series carry, by name (as src/shared/metrics.ts lists them). */
const LABELS_BY_PREFIX: [prefix: string, labels: string[]][] = [
  ['system_cpu_core_percent', ['core']],
  ['system_disk_used_', ['mount']],
  ['system_disk_size_', ['mount']],
  ['system_network_', ['interface']],
  ['system_temperature_', ['sensor']],
  ['system_', []],
  ['service_', ['service']],
  ['tunnel_', ['tunnel', 'kind', 'endpoint']],
  ['fly_', ['app', 'machine', 'region']],
];

/** Labels a series of this name is known to have. Any other name is a series scraped from a
 * service's own metrics URL, which always gains `service`. */
export function knownLabelsOfSeries(name: string): string[] {
  for (const [prefix, labels] of LABELS_BY_PREFIX) if (name.startsWith(prefix)) return labels;
  return ['service'];
}

export const USER_RULE_FIELDS = ['rule', 'series', 'value', 'threshold', 'clear', 'op', 'for', 'severity'] as const;

/** Every field a user rule's message may name: its own facts, the labels its series has, the
 * labels its matchers pin, and the labels it adds. */
export function userRuleFields(selector: SeriesSelector, extraLabels: Record<string, string>): string[] {
  const labels = new Set([...knownLabelsOfSeries(selector.name), ...Object.keys(pinnedLabels(selector)), ...Object.keys(extraLabels)]);
  return [...USER_RULE_FIELDS, ...[...labels].filter((l) => !(USER_RULE_FIELDS as readonly string[]).includes(l))];
}

export const LOG_RULE_FIELDS = ['rule', 'service', 'value', 'threshold', 'window', 'pattern', 'line', 'severity'] as const;

export function logRuleFields(extraLabels: Record<string, string>): string[] {
  return [...LOG_RULE_FIELDS, ...Object.keys(extraLabels).filter((l) => !(LOG_RULE_FIELDS as readonly string[]).includes(l))];
}
