import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { backoffDelay, decideAfterFailure, type FailureHistory, NO_FAILURES, type PolicyInput } from '../../src/core/supervisor/restart-policy.ts';
import { ROOT } from '../helpers/stack.ts';

const input = (over: Partial<PolicyInput['restart']> = {}, autoRestart = true): PolicyInput => ({
  restart: { policy: 'always', initialMs: 100, factor: 2, capMs: 1000, jitter: 0, resetAfterMs: 10_000, ...over },
  crashLoop: { failures: 5, windowMs: 60_000, coolOffMs: 30_000 },
  autoRestart,
});
const crash = (uptimeMs = 50) => ({ kind: 'exit' as const, code: 1, signal: null, uptimeMs });

describe('backoff', () => {
  test('the first restart after a stable run is immediate, later ones double up to the cap', () => {
    const r = input().restart;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(r, n, () => 0.5))).toEqual([0, 100, 200, 400, 800, 1000, 1000]);
  });

  test('what the stack file says of backoff is what it does: the first restart at once, `initial` before the second', () => {
    const r = input({ initialMs: 250, factor: 3 }).restart;
    expect([1, 2, 3].map((n) => backoffDelay(r, n, () => 0.5))).toEqual([0, 250, 750]);
    // The words users read: the JSON Schema (editors show it) and the README's example.
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/vigil.schema.json'), 'utf8'));
    const initial: string = schema.properties.services.items.properties.restart.properties.backoff.properties.initial.description;
    expect(initial).toMatch(/first restart .*immediate/i);
    expect(initial).toMatch(/before the second/i);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
    const backoffLine = readme.find((line) => line.includes('backoff: { initial:'))!;
    expect(backoffLine).toMatch(/#.*first restart .*immediate/i);
  });

  test('jitter spreads each delay by at most the configured fraction', () => {
    const r = input({ jitter: 0.2 }).restart;
    expect(backoffDelay(r, 3, () => 0)).toBe(160);
    expect(backoffDelay(r, 3, () => 1)).toBe(240);
  });
});

describe('decideAfterFailure', () => {
  test('fast failures escalate the backoff and then make a crash loop with a cool-off', () => {
    let history: FailureHistory = NO_FAILURES;
    const actions: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = decideAfterFailure(input(), history, crash(), 1000 + i * 10, () => 0.5);
      history = d.history;
      actions.push(d.action === 'restart' ? `restart ${d.delayMs}` : d.action === 'crash-loop' ? `loop ${d.retryInMs}` : d.action);
    }
    expect(actions).toEqual(['restart 0', 'restart 100', 'restart 200', 'restart 400', 'loop 30000']);
    expect(history).toEqual(NO_FAILURES); // after the cool-off the service gets its full tries again
  });

  test('a run longer than reset_after starts the backoff over', () => {
    const history = { failures: [1, 2, 3], consecutive: 3 };
    const d = decideAfterFailure(input(), history, crash(20_000), 100_000);
    expect(d).toMatchObject({ action: 'restart', delayMs: 0 });
    expect(d.history.consecutive).toBe(1);
  });

  test('failures older than the crash-loop window do not count', () => {
    const history = { failures: [0, 1, 2, 3], consecutive: 1 };
    const d = decideAfterFailure(input(), history, crash(20_000), 61_000);
    expect(d.action).toBe('restart');
    expect(d.history.failures).toEqual([61_000]);
  });

  test('policy never, on-failure with a clean exit, and auto-restart off keep the service down', () => {
    expect(decideAfterFailure(input({ policy: 'never' }), NO_FAILURES, crash(), 0).action).toBe('stay-down');
    const clean = { kind: 'exit' as const, code: 0, signal: null, uptimeMs: 5 };
    expect(decideAfterFailure(input({ policy: 'on-failure' }), NO_FAILURES, clean, 0).action).toBe('stay-down');
    expect(decideAfterFailure(input({ policy: 'on-failure' }), NO_FAILURES, crash(), 0).action).toBe('restart');
    expect(decideAfterFailure(input({ policy: 'always' }), NO_FAILURES, clean, 0).action).toBe('restart');
    const off = decideAfterFailure(input({}, false), NO_FAILURES, crash(), 0);
    expect(off).toMatchObject({ action: 'stay-down', why: 'auto-restart is off' });
  });

  test('a hang counts as a failure like a crash', () => {
    const d = decideAfterFailure(input(), { failures: [], consecutive: 1 }, { kind: 'hang', uptimeMs: 100 }, 0, () => 0.5);
    expect(d).toMatchObject({ action: 'restart', delayMs: 100 });
  });
});
