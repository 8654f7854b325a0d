// The Prometheus text parser: prom-client's own output reads back exactly, and every kind of
// malformed line is refused with the line and column to look at.
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../../src/core/metrics/samplers/prometheus-text.ts';

const text = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('parsing Prometheus text', () => {
  it("reads prom-client's exposition of a counter, a gauge, a histogram and a summary", async () => {
    const registry = new Registry();
    const requests = new Counter({ name: 'app_requests_total', help: 'Requests "served"\nper method', labelNames: ['method', 'path'], registers: [registry] });
    requests.inc({ method: 'GET', path: '/a "quoted" \\ path' }, 3);
    requests.inc({ method: 'POST', path: '/' });
    new Gauge({ name: 'app_queue_depth', help: 'Jobs waiting', registers: [registry] }).set(-7.5);
    const latency = new Histogram({ name: 'app_latency_seconds', help: 'Latency', buckets: [0.1, 0.5, 1], registers: [registry] });
    for (const seconds of [0.05, 0.3, 0.7, 2]) latency.observe(seconds);
    const sizes = new Summary({ name: 'app_size_bytes', help: 'Sizes', percentiles: [0.5, 0.9], registers: [registry] });
    sizes.observe(100);

    const parsed = parsePrometheusText(await registry.metrics());

    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const by = (name: string, labels: Record<string, string> = {}) => parsed.samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels));
    expect(by('app_requests_total', { method: 'GET', path: '/a "quoted" \\ path' })).toMatchObject({ value: 3, type: 'counter', cumulative: true });
    expect(by('app_requests_total', { method: 'POST', path: '/' })).toMatchObject({ value: 1, cumulative: true });
    expect(by('app_queue_depth')).toMatchObject({ value: -7.5, type: 'gauge', cumulative: false });
    const buckets = parsed.samples.filter((s) => s.name === 'app_latency_seconds_bucket').map((s) => [s.labels.le, s.value]);
    expect(buckets).toEqual([['0.1', 1], ['0.5', 2], ['1', 3], ['+Inf', 4]]);
    expect(by('app_latency_seconds_sum')).toMatchObject({ value: 3.05, type: 'histogram', cumulative: true });
    expect(by('app_latency_seconds_count')).toMatchObject({ value: 4, cumulative: true });
    expect(by('app_size_bytes', { quantile: '0.5' })).toMatchObject({ value: 100, type: 'summary', cumulative: false });
    expect(by('app_size_bytes_count')).toMatchObject({ value: 1, type: 'summary', cumulative: true });
  });

  it('takes what the format allows: comments, blank lines, timestamps, a trailing comma, odd spacing, NaN and Inf', () => {
    const parsed = parsePrometheusText(
      text(
        '# a comment, not HELP or TYPE',
        '',
        '   # TYPE spaced gauge',
        'spaced { a = "1" , b="2", } 4e3 1700000000000',
        'untyped_value\t+Inf',
        'negative -Inf',
        'not_a_number NaN',
        'empty_labels{} .5',
        'colon:name 1\r',
      ),
    );
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    expect(parsed.samples.map((s) => [s.name, s.labels, s.value, s.type])).toEqual([
      ['spaced', { a: '1', b: '2' }, 4000, 'gauge'],
      ['untyped_value', {}, Number.POSITIVE_INFINITY, 'untyped'],
      ['negative', {}, Number.NEGATIVE_INFINITY, 'untyped'],
      ['not_a_number', {}, Number.NaN, 'untyped'],
      ['empty_labels', {}, 0.5, 'untyped'],
      ['colon:name', {}, 1, 'untyped'],
    ]);
  });

  it('reads a counter declared OpenMetrics-style (TYPE foo, sample foo_total) as a counter', () => {
    const parsed = parsePrometheusText(text('# TYPE jobs counter', 'jobs_total 12'));
    expect(parsed).toMatchObject({ ok: true, samples: [{ name: 'jobs_total', value: 12, cumulative: true }] });
  });

  const broken: { name: string; text: string; line: number; column: number; words: string[] }[] = [
    { name: 'a value that is a word', text: text('ok 1', 'requests abc'), line: 2, column: 10, words: ['expected a number', '"abc"'] },
    { name: 'no value', text: text('# TYPE lonely gauge', 'lonely'), line: 2, column: 7, words: ['expected a value after lonely'] },
    { name: 'no space before the value', text: text('a{x="1"}2'), line: 1, column: 9, words: ['space before the value'] },
    { name: 'an unclosed label value', text: text('a{x="1} 2'), line: 1, column: 5, words: ['never closed'] },
    { name: 'an unquoted label value', text: text('a{x=1} 2'), line: 1, column: 5, words: ['quoted value', 'label x'] },
    { name: 'a label without "="', text: text('a{x "1"} 2'), line: 1, column: 5, words: ['"="', 'label x'] },
    { name: 'an unclosed label set', text: text('a{x="1" 2'), line: 1, column: 9, words: ['"," or "}"'] },
    { name: 'a label given twice', text: text('a{x="1",x="2"} 2'), line: 1, column: 9, words: ['label x is given twice'] },
    { name: 'a bad escape', text: text('a{x="C:\\temp"} 2'), line: 1, column: 8, words: ['"\\t" is no escape'] },
    { name: 'a label name starting with a digit', text: text('a{1x="1"} 2'), line: 1, column: 3, words: ['label name'] },
    { name: 'a metric name starting with a digit', text: text('ok 1', '', '9lives 1'), line: 3, column: 1, words: ['metric name', '"9lives 1"'] },
    { name: 'junk after the timestamp', text: text('a 1 1700000000000 extra'), line: 1, column: 19, words: ['unexpected "extra"'] },
    { name: 'a timestamp that is not whole', text: text('a 1 17.5'), line: 1, column: 5, words: ['timestamp', '"17.5"'] },
    { name: 'an unknown type', text: text('# TYPE a countr'), line: 1, column: 10, words: ['counter, gauge', '"countr"'] },
    { name: 'a TYPE line after the samples', text: text('a 1', '# TYPE a gauge'), line: 2, column: 8, words: ['TYPE line for a comes after its samples'] },
    { name: 'two TYPE lines', text: text('# TYPE a gauge', '# TYPE a counter'), line: 2, column: 8, words: ['second TYPE line for a'] },
    { name: 'two HELP lines', text: text('# HELP a one', '# HELP a two'), line: 2, column: 8, words: ['second HELP line for a'] },
    { name: 'the same series twice', text: text('a{x="1"} 1', 'a{x="2"} 1', 'a{x="1"} 3'), line: 3, column: 1, words: ['appears twice', 'line 1'] },
    { name: 'a histogram bucket without le', text: text('# TYPE h histogram', 'h_bucket{x="1"} 1'), line: 2, column: 1, words: ['no "le" label'] },
    { name: 'a summary quantile without its label', text: text('# TYPE s summary', 's 1'), line: 2, column: 1, words: ['no "quantile" label'] },
  ];

  it.each(broken)('refuses $name, at line $line, column $column', ({ text: body, line, column, words }) => {
    const parsed = parsePrometheusText(body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toMatchObject({ line, column });
    for (const word of words) expect(parsed.problem.message).toContain(word);
  });
});
