import { describe, expect, test } from 'vitest';
import { decimalsFor, quantizer } from '../../../src/core/metrics/store/series-precision.ts';
import { parseSeriesKey, seriesKey } from '../../../src/shared/metrics.ts';

describe('series precision', () => {
  test('from the unit in the name', () => {
    expect(decimalsFor('system_cpu_percent')).toBe(2);
    expect(decimalsFor('system_cpu_core_percent{core="3"}')).toBe(2);
    expect(decimalsFor('service_rss_bytes{service="api"}')).toBe(0);
    expect(decimalsFor('system_network_rx_bytes_per_second{interface="eth0"}')).toBe(0);
    expect(decimalsFor('system_temperature_celsius{sensor="cpu"}')).toBe(1);
    expect(decimalsFor('service_uptime_seconds{service="api"}')).toBe(6);
    expect(decimalsFor('service_health_latency_ms{service="api"}')).toBe(2);
    expect(decimalsFor('system_load15')).toBe(2);
    expect(decimalsFor('service_threads{service="api"}')).toBe(0);
  });

  test('counters and names with no known unit are kept exactly', () => {
    expect(decimalsFor('service_restarts_total{service="api"}')).toBeNull();
    expect(decimalsFor('process_cpu_seconds_total{service="api"}')).toBeNull();
    expect(decimalsFor('http_requests_in_flight{service="api"}')).toBeNull();
    expect(decimalsFor('my_percent_of_things_ratio')).toBeNull();
  });

  test('quantizing rounds to the kept decimals, and leaves exact series alone', () => {
    expect(quantizer(2)(12.345678)).toBe(12.35);
    expect(quantizer(0)(1023.6)).toBe(1024);
    expect(quantizer(null)(0.1 + 0.2)).toBe(0.1 + 0.2);
  });
});

describe('parseSeriesKey', () => {
  test('undoes seriesKey, escapes included', () => {
    const labels = { service: 'api', path: 'a "quoted"\\back\nslash', core: '' };
    expect(parseSeriesKey(seriesKey('http_requests_total', labels))).toEqual({ name: 'http_requests_total', labels });
    expect(parseSeriesKey('system_load1')).toEqual({ name: 'system_load1', labels: {} });
  });

  test('a malformed key says what is wrong', () => {
    expect(() => parseSeriesKey('x{a="1"')).toThrow(/must end with "}"/);
    expect(() => parseSeriesKey('x{a=1}')).toThrow(/expected name="value"/);
    expect(() => parseSeriesKey('x{a="1}')).toThrow(/unterminated value of label a/);
  });
});
