// A crash's incident is recorded on the engine's clock (src/core/supervisor/incidents.ts): the
// moment it waits for the last lines of output is a timer like any other, so a test clock
// decides when it is taken.
import { afterEach, expect, test } from 'vitest';
import type { Clock } from '../../src/core/kit/clock.ts';
import { NODE, startEngine, waitFor } from '../helpers/stack.ts';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** Real time, but timers run only when the test says so. */
function manualClock() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const runAll = () => {
    const due = [...pending.values()];
    pending.clear();
    due.forEach((t) => t.fn());
  };
  return { clock, pending, runAll };
}

test('the incident of a crash is taken when the engine clock says, with the last lines', async () => {
  const { clock, pending, runAll } = manualClock();
  const script = "console.log('last-words-5150'); process.exit(3)";
  const run = await startEngine(
    `
services:
  - name: brittle
    command: ["${NODE}", "-e", "${script}"]
    restart: { policy: never }
    health: { type: none }
`,
    { clock },
  );
  cleanup = run.cleanup;
  await waitFor('the exit', () => run.engine.events.list().some((e) => e.type === 'service.exit' && e.service === 'brittle'));
  await waitFor('the last line in the log', () => run.engine.logs('brittle').some((l) => l.text === 'last-words-5150'));
  // With the service down for good and no health check, the only timer left is the incident's.
  await waitFor('the incident timer on the engine clock', () => pending.size > 0, 5000);
  expect(run.engine.incidents('brittle')).toEqual([]);
  expect(run.state('brittle').lastIncident).toBeNull();

  runAll();

  const [incident] = run.engine.incidents('brittle');
  expect(incident).toMatchObject({ service: 'brittle', exitCode: 3, signal: null });
  expect(incident!.lastLines.join('\n')).toContain('last-words-5150');
  expect(run.state('brittle').lastIncident).toEqual(incident);
});
