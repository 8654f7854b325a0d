import { expect, test } from 'vitest';
import type { NotificationPayload } from '../../src/main/notification-for-event.ts';
import { throttleNotification } from '../../src/main/notification-throttle.ts';

const payload = (kind: NotificationPayload['kind'], service = 'web'): NotificationPayload => ({
  kind,
  title: kind,
  body: '',
  service,
  urgency: 'normal',
  actions: [],
});

test('repeat crashes of one service within the quiet period are not shown again', () => {
  let memory = new Map<string, number>() as ReadonlyMap<string, number>;
  const shown: boolean[] = [];
  for (const [kind, at, service] of [
    ['crash', 0, 'web'],
    ['crash', 1_000, 'web'],
    ['crash', 2_000, 'api'], // another service: news
    ['crash-loop', 3_000, 'web'], // a change of state always gets through
    ['crash', 30_000, 'web'],
    ['crash', 64_000, 'web'], // after the quiet period: news again
  ] as const) {
    const verdict = throttleNotification(payload(kind, service), memory, at);
    memory = verdict.notifiedAt;
    shown.push(verdict.show);
  }
  expect(shown).toEqual([true, false, true, true, false, true]);
});

test('unhealthy is never throttled', () => {
  const memory = new Map([['web', 0]]);
  expect(throttleNotification(payload('unhealthy'), memory, 10).show).toBe(true);
});
