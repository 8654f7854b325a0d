import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/shared/events.ts';
import { eventsSince } from '../../src/renderer/metrics/event-pages.ts';

const T0 = Date.UTC(2026, 0, 1);

/** An event log as GET /api/events answers it: the newest `limit` with id < before, oldest first. */
function log(count: number, everyMs: number) {
  const events: EngineEvent[] = Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    time: new Date(T0 + i * everyMs).toISOString(),
    type: 'service.exit',
    service: i % 2 === 0 ? 'api' : 'db',
    message: `exit ${i + 1}`,
  }));
  const asked: { before?: number; limit?: number }[] = [];
  return {
    asked,
    getEvents: async (options: { before?: number; limit?: number } = {}) => {
      asked.push(options);
      const older = events.filter((e) => options.before === undefined || e.id < options.before);
      return older.slice(-(options.limit ?? 1000));
    },
  };
}

describe('events back to a time', () => {
  it('pages back until a page reaches past the start, keeping what is asked for, oldest first', async () => {
    const reader = log(2500, 1000);
    const from = T0 + 600 * 1000;
    const events = await eventsSince(reader, from, (e) => e.service === 'api');
    expect(reader.asked.map((a) => a.before)).toEqual([undefined, 1501]);
    expect(events[0]!.id).toBe(601);
    expect(events.at(-1)!.id).toBe(2499);
    expect(events.every((e) => e.service === 'api' && Date.parse(e.time) >= from)).toBe(true);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
  });

  it('stops at the first page when the log is short', async () => {
    const reader = log(10, 1000);
    expect(await eventsSince(reader, 0, () => true)).toHaveLength(10);
    expect(reader.asked).toHaveLength(1);
  });

  it('has nothing to say about an empty log', async () => {
    expect(await eventsSince(log(0, 1000), 0, () => true)).toEqual([]);
  });
});
