// User rules name their series as Prometheus does: a key, or a name with label matchers.
import { describe, expect, it } from 'vitest';
import { compileMatchers, parseSelector, pinnedLabels, SelectorError } from '../../../src/core/alerts/rules/series-selector.ts';
import { parseSeriesKey, seriesKey } from '../../../src/shared/metrics.ts';

describe('a series selector', () => {
  it('is a bare name, or a name with matchers', () => {
    expect(parseSelector('system_cpu_percent')).toEqual({ name: 'system_cpu_percent', matchers: [] });
    expect(parseSelector(' service_cpu_percent{service="server", mount!=\'/boot\'} ')).toEqual({
      name: 'service_cpu_percent',
      matchers: [
        { label: 'service', op: '=', value: 'server' },
        { label: 'mount', op: '!=', value: '/boot' },
      ],
    });
  });

  it('reads every series key the metrics contract writes, escapes included', () => {
    const key = seriesKey('app_requests', { route: 'a "quoted" \\ path\nnext', service: 'web' });
    const selector = parseSelector(key);
    expect(selector.name).toBe('app_requests');
    expect(compileMatchers(selector.matchers)(parseSeriesKey(key).labels)).toBe(true);
    expect(compileMatchers(selector.matchers)({ ...parseSeriesKey(key).labels, service: 'api' })).toBe(false);
  });

  it('matches =, !=, =~ and !~ as Prometheus does (a missing label counts as "")', () => {
    const test = (text: string, labels: Record<string, string>) => compileMatchers(parseSelector(text).matchers)(labels);
    expect(test('x{service=~"api|web"}', { service: 'web' })).toBe(true);
    expect(test('x{service=~"api|web"}', { service: 'webber' })).toBe(false);
    expect(test('x{service!~"api.*"}', { service: 'web' })).toBe(true);
    expect(test('x{service!~"api.*"}', { service: 'api-2' })).toBe(false);
    expect(test('x{mount!="/boot"}', {})).toBe(true);
    expect(test('x{mount=""}', {})).toBe(true);
    expect(test('x{mount=""}', { mount: '/' })).toBe(false);
  });

  it('says where a selector goes wrong', () => {
    const problem = (text: string) => {
      try {
        parseSelector(text);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(SelectorError);
        return (err as Error).message;
      }
    };
    expect(problem('{service="x"}')).toContain('expected a series name at character 1');
    expect(problem('cpu{service}')).toContain('expected =, !=, =~ or !~ after service');
    expect(problem('cpu{service=x}')).toContain('in quotes');
    expect(problem('cpu{service="x"')).toContain('never closed');
    expect(problem('cpu{service="x} ')).toContain('never closed');
    expect(problem('cpu{service="x"} extra')).toContain('unexpected text');
    expect(problem('cpu{service="x",service="y"}')).toContain('given twice');
    expect(problem('cpu{service=~"(x)\\\\1"}')).toContain('RE2');
  });

  it('tells which labels every series it reads has (for message templates)', () => {
    expect(pinnedLabels(parseSelector('x{service="server",route=~"/api.*",mount!="/"}'))).toEqual({ service: 'server' });
  });
});
