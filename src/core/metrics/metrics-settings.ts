// The metrics part of the engine's settings ($VIGIL_HOME/settings.json, key "metrics"): how long
// each history tier is kept, how often to sample while someone looks and while no one does,
// an optional cap on the history file, and whether /metrics may be scraped from this machine
// without the scrape token. Durations and sizes are written for people ("24h",
// "30d", "1s", "500MB") or as plain numbers (ms, bytes). A bad value is refused with the file,
// the field, what was found and what is expected: a typo must not quietly keep a year of data
// for a day, or sample at a rate nobody asked for.
import { DEFAULT_RETENTION, type HistoryRetention } from './store/metric-store.ts';
import { formatDuration, parseDuration, parseSize } from '../kit/units.ts';

export interface MetricsSettings {
  retention: HistoryRetention;
  /** Sampling interval while a window or client is open, or /metrics was scraped lately. */
  activeIntervalMs: number;
  /** Sampling interval otherwise; a whole multiple of the active one (one grid for both). */
  idleIntervalMs: number;
  /** Null: no cap but the disk. */
  maxHistoryBytes: number | null;
  /** Prometheus on this machine may scrape /metrics without the scrape token. Off by default:
   * any local process (another user's too) could then read the stack's names and numbers. */
  allowUnauthenticatedLoopback: boolean;
}

export const DEFAULT_METRICS_SETTINGS: MetricsSettings = {
  retention: DEFAULT_RETENTION,
  activeIntervalMs: 1000,
  idleIntervalMs: 10_000,
  maxHistoryBytes: null,
  allowUnauthenticatedLoopback: false,
};

const HOUR = 3_600_000;
const MIN_ACTIVE_MS = 100;
const MAX_IDLE_MS = HOUR;
const MIN_HISTORY_BYTES = 256 * 1024;

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** The settings under "metrics" (absent: the defaults). Throws SettingsError naming the field. */
export function parseMetricsSettings(raw: unknown, file: string): MetricsSettings {
  if (raw === undefined) return DEFAULT_METRICS_SETTINGS;
  const fail = (field: string, message: string) => new SettingsError(`${file}: metrics.${field}: ${message}`);
  const section = objectAt(raw, 'metrics', file);
  const known = ['retention', 'sampling', 'maxHistorySize', 'allowUnauthenticatedLoopback'];
  refuseUnknown(section, known, (key) => fail(key, `unknown setting (known: ${known.join(', ')})`));

  const retention = { ...DEFAULT_RETENTION };
  if (section.retention !== undefined) {
    const given = objectAt(section.retention, 'metrics.retention', file);
    const tiers = Object.keys(DEFAULT_RETENTION) as (keyof HistoryRetention)[];
    refuseUnknown(given, tiers, (key) => fail(`retention.${key}`, `unknown tier (known: ${tiers.join(', ')})`));
    for (const tier of tiers) {
      if (given[tier] === undefined) continue;
      const ms = durationOf(given[tier]);
      if (ms === null || ms < HOUR) throw fail(`retention.${tier}`, `must be a duration of at least 1h, like "24h", "30d" or "1y" (or ms), got ${show(given[tier])}`);
      retention[tier] = ms;
    }
  }

  let activeIntervalMs = DEFAULT_METRICS_SETTINGS.activeIntervalMs;
  let idleIntervalMs = DEFAULT_METRICS_SETTINGS.idleIntervalMs;
  if (section.sampling !== undefined) {
    const sampling = objectAt(section.sampling, 'metrics.sampling', file);
    refuseUnknown(sampling, ['active', 'idle'], (key) => fail(`sampling.${key}`, 'unknown setting (known: active, idle)'));
    if (sampling.active !== undefined) {
      const ms = durationOf(sampling.active);
      if (ms === null || ms < MIN_ACTIVE_MS || ms > MAX_IDLE_MS) throw fail('sampling.active', `must be a duration from 100ms to 1h, like "1s", got ${show(sampling.active)}`);
      activeIntervalMs = ms;
    }
    if (sampling.idle !== undefined) {
      const ms = durationOf(sampling.idle);
      if (ms === null || ms > MAX_IDLE_MS) throw fail('sampling.idle', `must be a duration of at most 1h, like "10s", got ${show(sampling.idle)}`);
      idleIntervalMs = ms;
    } else if (idleIntervalMs < activeIntervalMs) {
      idleIntervalMs = activeIntervalMs;
    }
    if (idleIntervalMs < activeIntervalMs || idleIntervalMs % activeIntervalMs !== 0) {
      throw fail(
        'sampling.idle',
        `must be a whole multiple of sampling.active (${formatDuration(activeIntervalMs)}), so both rates share one time grid; got ${formatDuration(idleIntervalMs)}`,
      );
    }
  }

  let maxHistoryBytes: number | null = null;
  if (section.maxHistorySize !== undefined && section.maxHistorySize !== null) {
    const bytes = typeof section.maxHistorySize === 'number' ? section.maxHistorySize : typeof section.maxHistorySize === 'string' ? parseSize(section.maxHistorySize) : null;
    if (bytes === null || !Number.isSafeInteger(bytes) || bytes < MIN_HISTORY_BYTES) {
      throw fail('maxHistorySize', `must be a size of at least 256kb, like "500MB" or "2GB" (or bytes), or null for no cap; got ${show(section.maxHistorySize)}`);
    }
    maxHistoryBytes = bytes;
  }
  const open = section.allowUnauthenticatedLoopback;
  if (open !== undefined && typeof open !== 'boolean') {
    throw fail('allowUnauthenticatedLoopback', `must be true or false (whether /metrics may be scraped from this machine without the scrape token), got ${show(open)}`);
  }
  return { retention, activeIntervalMs, idleIntervalMs, maxHistoryBytes, allowUnauthenticatedLoopback: open === true };
}

function durationOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const ms = parseDuration(value);
  return ms !== null && ms > 0 ? ms : null;
}

function objectAt(value: unknown, where: string, file: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SettingsError(`${file}: ${where} must be an object, got ${show(value)}`);
  return value as Record<string, unknown>;
}

function refuseUnknown(section: Record<string, unknown>, known: readonly string[], error: (key: string) => Error): void {
  for (const key of Object.keys(section)) if (!known.includes(key)) throw error(key);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
