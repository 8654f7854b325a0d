// Every family forgets its series at each scrape before setting the ones that exist now, so a
// service, tunnel or machine that left leaves nothing behind. prom-client's reset() puts a
// label-less metric back at 0, which would claim a value Vigil does not have (no history kept,
// no sampling tick yet): that one is removed as well, and such a family stays empty.
import type { Counter, Gauge } from 'prom-client';

export function forgetSeries(metric: Gauge<string> | Counter<string>): void {
  metric.reset();
  metric.remove({});
}
