// A crash's incident is recorded on the engine's clock (src/core/supervisor/incidents.ts): the
// moment it waits for the last lines of output is a timer like any other, so a test clock
// decides when it is taken.
import { afterEach, expect, test } from 'vitest';
import { manualClock } from '../helpers/manual-clock.ts';
import { NODE, startEngine, waitFor } from '../helpers/stack.ts';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

test('the incident of a crash is taken when the engine clock says, with the last lines', async () => {
  const clock = manualClock();
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
  await waitFor('the incident timer on the engine clock', () => clock.pending > 0, 5000);
  expect(run.engine.incidents('brittle')).toEqual([]);
  expect(run.state('brittle').lastIncident).toBeNull();

  clock.runAll();

  const [incident] = run.engine.incidents('brittle');
  expect(incident).toMatchObject({ service: 'brittle', exitCode: 3, signal: null });
  expect(incident!.lastLines.join('\n')).toContain('last-words-5150');
  expect(run.state('brittle').lastIncident).toEqual(incident);
});
