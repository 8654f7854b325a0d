// Enum-style gauges, the Prometheus way of exposing a state (kube-state-metrics does the same):
// one series per possible value, 1 for the value now and 0 for the others, so that
// `x{state="backoff"} == 1` finds them and a change shows as one series going 0 -> 1.
import type { Gauge, LabelValues } from 'prom-client';

/** Sets `gauge` for every value of `known` (and `current` when it is not one of them). */
export function setEnum<L extends string>(gauge: Gauge<L>, labels: LabelValues<L>, label: L, known: readonly string[], current: string): void {
  for (const value of known.includes(current) ? known : [...known, current]) {
    gauge.set({ ...labels, [label]: value } as LabelValues<L>, value === current ? 1 : 0);
  }
}
