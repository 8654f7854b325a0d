// How vigil_service_cpu_seconds_total adds up the sampler's CPU shares: each share times the
// interval it covers (since the tick that last read the service's tree), whatever the spacing
// of the ticks, and nothing across a restart, a tick that only carries scraped values, or a
// service that left.
import { expect, test } from 'vitest';
import { ServiceCpuTime } from '../../src/core/server/prometheus/service-cpu-time.ts';
import { type MetricsTick, seriesKey } from '../../src/shared/contract.ts';

const cpu = (service: string) => seriesKey('service_cpu_percent', { service });
const rss = (service: string) => seriesKey('service_rss_bytes', { service });

/** A sampler tick at `t` ms: each service read (its memory), with its CPU share when given. */
function tick(t: number, services: Record<string, number | null>, extra: Record<string, number> = {}): MetricsTick {
  const values: Record<string, number> = { ...extra };
  for (const [service, percent] of Object.entries(services)) {
    values[rss(service)] = 1_000_000;
    if (percent !== null) values[cpu(service)] = percent;
  }
  return { t, values };
}

test('shares times their intervals, at 1 s and 10 s ticks alike', () => {
  const time = new ServiceCpuTime();
  time.add(tick(1000, { web: null })); // the first reading of a tree has no share
  expect(time.totals().get('web')).toBeUndefined();
  time.add(tick(2000, { web: 50 })); // half a core for 1 s
  time.add(tick(12_000, { web: 10 })); // a tenth of a core for 10 s
  time.add(tick(13_000, { web: 250 })); // two and a half cores for 1 s
  expect(time.totals().get('web')).toBeCloseTo(0.5 + 1 + 2.5, 9);
});

test('a tick with scraped values only, or observations, changes nothing', () => {
  const time = new ServiceCpuTime();
  time.add(tick(1000, { web: null }));
  time.add({ t: 1500, values: { 'http_requests_total{service="web"}': 7, 'tunnel_ngrok_conns_gauge{endpoint="x",kind="ngrok",tunnel="t"}': 1 } });
  time.add(tick(2000, { web: 100 }));
  expect(time.totals().get('web')).toBeCloseTo(1, 9);
});

test('a restart: the new process is counted from its own first reading, not from the old one', () => {
  const time = new ServiceCpuTime();
  time.add(tick(1000, { web: null, db: null }));
  time.add(tick(2000, { web: 100, db: 100 }));
  // web is down from 3 s to 20 s: its ticks carry db alone.
  time.add(tick(3000, { db: 100 }));
  time.add(tick(13_000, { db: 100 }));
  time.add(tick(20_000, { web: null, db: 100 })); // web's new root, first reading
  time.add(tick(21_000, { web: 100, db: 100 }));
  expect(time.totals().get('web')).toBeCloseTo(1 + 1, 9);
  expect(time.totals().get('db')).toBeCloseTo(20, 9);
});

test('a share the counter cannot place (counting began after the reading before it) is skipped; bad values too', () => {
  const time = new ServiceCpuTime();
  time.add(tick(5000, { web: 80 }));
  time.add({ t: 6000, values: { [rss('web')]: 1, [cpu('web')]: Number.NaN } });
  time.add({ t: 7000, values: { [rss('web')]: 1, [cpu('web')]: -5 } });
  time.add({ t: 8000, values: { [rss('web')]: 1, [cpu('web')]: 100, 'service_cpu_percent{broken': 1 } });
  expect(time.totals().get('web')).toBeCloseTo(1, 9);
});

test('services that left are forgotten; one that comes back starts from 0', () => {
  const time = new ServiceCpuTime();
  time.add(tick(1000, { web: null, db: null }));
  time.add(tick(2000, { web: 100, db: 100 }));
  time.keepOnly(new Set(['db']));
  expect([...time.totals().keys()]).toEqual(['db']);
  time.add(tick(3000, { web: 100, db: 100 }));
  expect(time.totals().get('web')).toBeUndefined();
  time.add(tick(4000, { web: 100, db: 100 }));
  expect(time.totals().get('web')).toBeCloseTo(1, 9);
});
