// The identity of an alert: the same problem (rule + labels) always has the same fingerprint,
// in this process, after a restart, and on another machine, since PagerDuty's dedup_key and
// Alertmanager's identity are derived from it. Labels are sorted, so their order never matters.
import { hash } from 'node:crypto';
import type { AlertLabels } from '../../../shared/alerts.ts';

// Separators that cannot occur in YAML-written names and values without effort, so that
// {a: "b", c: "d"} and {a: "b\u0000c..."} cannot collide by accident.
const FIELD = '\u0000';
const PAIR = '\u0001';

/** Each evaluation fingerprints every verdict: a SHA-256 costs ~5 µs, 500 of them 2.5 ms, more
 * than a whole tick may take. So the hashes are remembered, by the labels as written (in the
 * rule's order, which costs no sort); a label set seen in another order is one more entry
 * with the same fingerprint. Cleared when it grows past a bound (label values such as a
 * tunnel's URL can come and go). */
const cache = new Map<string, string>();
const CACHE_LIMIT = 20_000;

export function canonicalAlertKey(rule: string, labels: AlertLabels): string {
  const names = Object.keys(labels).sort();
  let text = rule;
  for (const name of names) text += FIELD + name + PAIR + labels[name];
  return text;
}

/** 16 hex digits (64 bits) of SHA-256 over the rule and the sorted labels. */
export function alertFingerprint(rule: string, labels: AlertLabels): string {
  let written = rule;
  for (const name in labels) written += FIELD + name + PAIR + labels[name];
  return remembered(written, () => canonicalAlertKey(rule, labels));
}

/** The fingerprint of the alert a verdict is about: its labels plus `alertname` (the rule),
 * without building that label set on every evaluation. (Not remembered by the labels object:
 * a rule may reuse one and change its values.) */
export function verdictFingerprint(rule: string, labels: AlertLabels): string {
  if (labels.alertname === rule) return alertFingerprint(rule, labels);
  let written = rule;
  for (const name in labels) written += FIELD + name + PAIR + labels[name];
  return remembered(written + FIELD + 'alertname' + PAIR + rule, () => canonicalAlertKey(rule, { ...labels, alertname: rule }));
}

function remembered(written: string, canonical: () => string): string {
  let fingerprint = cache.get(written);
  if (fingerprint === undefined) {
    fingerprint = hash('sha256', canonical(), 'hex').slice(0, 16);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(written, fingerprint);
  }
  return fingerprint;
}
