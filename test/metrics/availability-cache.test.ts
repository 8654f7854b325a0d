// The snapshot's availability figures: computed from the store now and then, and carried on
// between computations by how the service stood.
import { expect, test } from 'vitest';
import { AvailabilityCache, type AvailabilitySource } from '../../src/core/metrics/availability-cache.ts';

test('a service that just came up gains up time between computations, not 0 % for 30 s', () => {
  let now = 1_000_000;
  let calls = 0;
  // Down 10 s while it started, up since this instant.
  const source: AvailabilitySource = () => {
    calls++;
    return { upMs: 0, downMs: 10_000, standing: 'up' };
  };
  const cache = new AvailabilityCache(source, () => now);
  expect(cache.get('web')).toEqual({ day: 0, week: 0 });
  now += 10_000;
  expect(cache.get('web')).toEqual({ day: 50, week: 50 });
  expect(calls).toBe(2); // day and week once: the second get() used the cache
  now += 30_000; // past the cache's age: asked again
  cache.get('web');
  expect(calls).toBe(4);
});

test('down time grows while down, excluded time counts neither way, and no history is null', () => {
  let now = 0;
  const stand = { current: 'down' as 'up' | 'down' | 'excluded' };
  const cache = new AvailabilityCache((service) => (service === 'gone' ? null : { upMs: 30_000, downMs: 10_000, standing: stand.current }), () => now);
  expect(cache.get('web').day).toBe(75);
  now += 20_000;
  expect(cache.get('web').day).toBe(50);
  stand.current = 'excluded';
  cache.invalidate('web');
  expect(cache.get('web').day).toBe(75);
  now += 20_000;
  expect(cache.get('web').day).toBe(75);
  expect(cache.get('gone')).toEqual({ day: null, week: null });
});
