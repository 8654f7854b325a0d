// The metrics settings in $VIGIL_HOME/settings.json: durations and sizes for people, and a bad
// value refused with the file, the field, what was found and what is expected.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import { DEFAULT_METRICS_SETTINGS, parseMetricsSettings, SettingsError } from '../../src/core/metrics/metrics-settings.ts';
import { vigilPaths } from '../../src/core/paths.ts';
import { Settings } from '../../src/core/settings.ts';
import { tempDir } from '../helpers/stack.ts';

const FILE = '/home/me/.vigil/settings.json';
const DAY = 86_400_000;

test('absent, the defaults: raw 24 h, minutes 30 days, hours a year; 1 s and 10 s', () => {
  expect(parseMetricsSettings(undefined, FILE)).toEqual(DEFAULT_METRICS_SETTINGS);
  expect(DEFAULT_METRICS_SETTINGS).toMatchObject({ retention: { raw: DAY, minute: 30 * DAY, hour: 365 * DAY }, activeIntervalMs: 1000, idleIntervalMs: 10_000, maxHistoryBytes: null });
});

test('durations and sizes as people write them, or as numbers', () => {
  const settings = parseMetricsSettings(
    { retention: { raw: '48h', minute: '8w', hour: '2y', events: 90 * DAY }, sampling: { active: '500ms', idle: '5s' }, maxHistorySize: '2GB' },
    FILE,
  );
  expect(settings).toEqual({
    retention: { raw: 2 * DAY, minute: 56 * DAY, hour: 730 * DAY, events: 90 * DAY },
    activeIntervalMs: 500,
    idleIntervalMs: 5000,
    maxHistoryBytes: 2 * 1024 ** 3,
    allowUnauthenticatedLoopback: false,
  });
  // An active interval alone above the default idle one: idle follows it.
  expect(parseMetricsSettings({ sampling: { active: '30s' } }, FILE)).toMatchObject({ activeIntervalMs: 30_000, idleIntervalMs: 30_000 });
  // /metrics without the scrape token from this machine: off unless set to true.
  expect(parseMetricsSettings({ allowUnauthenticatedLoopback: true }, FILE)).toMatchObject({ allowUnauthenticatedLoopback: true });
  expect(parseMetricsSettings({ allowUnauthenticatedLoopback: false }, FILE)).toMatchObject({ allowUnauthenticatedLoopback: false });
});

test.each([
  [{ retention: { raw: '2 days' } }, 'metrics.retention.raw', 'at least 1h', '"2 days"'],
  [{ retention: { raw: '30m' } }, 'metrics.retention.raw', 'at least 1h', '"30m"'],
  [{ retention: { minute: -5 } }, 'metrics.retention.minute', 'at least 1h', '-5'],
  [{ retention: { days: '1d' } }, 'metrics.retention.days', 'unknown tier', 'raw, minute, hour, events'],
  [{ retention: '24h' }, 'metrics.retention', 'must be an object', '"24h"'],
  [{ sampling: { active: '10ms' } }, 'metrics.sampling.active', '100ms to 1h', '"10ms"'],
  [{ sampling: { active: '1s', idle: '2500ms' } }, 'metrics.sampling.idle', 'whole multiple of sampling.active (1s)', '2.5s'],
  [{ sampling: { active: '2s', idle: '1s' } }, 'metrics.sampling.idle', 'whole multiple', '1s'],
  [{ sampling: { fast: '1s' } }, 'metrics.sampling.fast', 'unknown setting', 'active, idle'],
  [{ maxHistorySize: 'lots' }, 'metrics.maxHistorySize', 'at least 256kb', '"lots"'],
  [{ maxHistorySize: 1000 }, 'metrics.maxHistorySize', 'at least 256kb', '1000'],
  [{ retentoin: {} }, 'metrics.retentoin', 'unknown setting', 'retention, sampling, maxHistorySize, allowUnauthenticatedLoopback'],
  [{ allowUnauthenticatedLoopback: 'yes' }, 'metrics.allowUnauthenticatedLoopback', 'must be true or false', '"yes"'],
  [{ allowUnauthenticatedLoopback: 1 }, 'metrics.allowUnauthenticatedLoopback', 'must be true or false', '1'],
  [[], 'metrics', 'must be an object', '[]'],
])('%j is refused, naming %s', (raw, field, expected, found) => {
  let error: unknown;
  try {
    parseMetricsSettings(raw, FILE);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(SettingsError);
  const message = (error as Error).message;
  expect(message.startsWith(`${FILE}: ${field}`)).toBe(true);
  expect(message).toContain(expected);
  expect(message).toContain(found);
});

test('an engine with a bad settings file refuses to start, saying where; saving a switch keeps the metrics settings', () => {
  const home = path.join(tempDir(), 'home');
  const paths = vigilPaths(home);
  new Settings(paths.settings).setGlobal(true); // creates the folder and file
  writeFileSync(paths.settings, JSON.stringify({ autoRestart: true, metrics: { retention: { raw: 'forever' } } }));
  expect(() => new Engine({ paths })).toThrow(`${paths.settings}: metrics.retention.raw: must be a duration of at least 1h`);

  writeFileSync(paths.settings, JSON.stringify({ metrics: { retention: { raw: '12h' } } }));
  const settings = new Settings(paths.settings);
  expect(settings.metrics.retention.raw).toBe(12 * 3_600_000);
  settings.setOverride('web', false);
  expect(JSON.parse(readFileSync(paths.settings, 'utf8'))).toEqual({ metrics: { retention: { raw: '12h' } }, autoRestart: true, serviceAutoRestart: { web: false } });
});
