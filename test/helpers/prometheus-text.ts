// Reading /metrics the way Prometheus would: the text checked by promtool (Debian's prometheus
// package ships it) when it is installed, and always by the project's strict parser; then
// samples looked up by name and labels.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { type PrometheusSample, parsePrometheusText } from '../../src/core/metrics/samplers/prometheus-text.ts';

export const PROMTOOL = '/usr/bin/promtool';

/** Parses the text, failing the test on any problem promtool or the parser finds. */
export function checkExposition(text: string): PrometheusSample[] {
  if (existsSync(PROMTOOL)) {
    const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`.trim(), 'promtool check metrics').toBe('');
    expect(lint.status, 'promtool check metrics exit code').toBe(0);
  }
  const parsed = parsePrometheusText(text);
  if (!parsed.ok) throw new Error(`line ${parsed.problem.line}:${parsed.problem.column}: ${parsed.problem.message}`);
  return parsed.samples;
}

/** The samples of `name` whose labels include `labels`. */
export function samplesOf(samples: PrometheusSample[], name: string, labels: Record<string, string> = {}): PrometheusSample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one value of `name` with `labels`; fails when there is not exactly one. */
export function sampleValue(samples: PrometheusSample[], name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(samples, name, labels);
  expect(found.length, `${name}${JSON.stringify(labels)}: samples`).toBe(1);
  return found[0]!.value;
}
