// Who counts as looking, on the engine's clock: clients while connected, a scrape for 5 minutes.
import { expect, test } from 'vitest';
import { SCRAPE_COUNTS_FOR_MS, SamplingDemand } from '../../src/core/metrics/sampling-demand.ts';
import { manualClock } from '../helpers/manual-clock.ts';

test('a scrape keeps sampling active for five minutes after the last one, then lets it go idle', () => {
  const clock = manualClock(1_000_000);
  const changes: boolean[] = [];
  const demand = new SamplingDemand(clock, (active) => changes.push(active));
  demand.watch('scrape');
  expect(changes).toEqual([true]);
  clock.advance(SCRAPE_COUNTS_FOR_MS - 60_000);
  demand.watch('scrape'); // the next scrape: the window starts over
  clock.advance(SCRAPE_COUNTS_FOR_MS - 1);
  expect(demand.active).toBe(true);
  clock.advance(1);
  expect(demand.active).toBe(false);
  expect(changes).toEqual([true, false]);
});

test('a client held across a scrape window keeps it active; only the change is told', () => {
  const clock = manualClock(0);
  const changes: boolean[] = [];
  const demand = new SamplingDemand(clock, (active) => changes.push(active));
  const release = demand.watch('client');
  demand.watch('scrape');
  clock.advance(SCRAPE_COUNTS_FOR_MS);
  expect(demand.active).toBe(true);
  release();
  expect(changes).toEqual([true, false]);
  demand.stop();
  expect(clock.pending).toBe(0);
});
