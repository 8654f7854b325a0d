import { describe, expect, it } from 'vitest';
import { diskUseNote, overviewCharts, serviceCharts, serviceSparkLines } from '../../src/renderer/metrics/chart-specs.ts';

const keys = [
  'system_cpu_percent',
  'system_memory_percent',
  'system_network_rx_bytes_per_second{interface="eth0"}',
  'system_network_rx_bytes_per_second{interface="lo"}',
  'system_network_rx_bytes_per_second{interface="wlan0"}',
  'system_network_tx_bytes_per_second{interface="eth0"}',
  'tunnel_probe_duration_ms{kind="ngrok",tunnel="public"}',
  'tunnel_probe_ok{kind="ngrok",tunnel="public"}',
  'fly_health_latency_ms{app="shop",region="ams"}',
];

describe('which series each chart draws', () => {
  it('has the machine charts, network added up over the interfaces but loopback', () => {
    const charts = overviewCharts(keys);
    expect(charts.map((c) => c.id)).toEqual(['cpu', 'memory', 'disk', 'network', 'latency']);
    const network = charts.find((c) => c.id === 'network')!;
    expect(network.lines[0]!.keys).toEqual(['system_network_rx_bytes_per_second{interface="eth0"}', 'system_network_rx_bytes_per_second{interface="wlan0"}']);
    expect(network.lines[1]!.keys).toEqual(['system_network_tx_bytes_per_second{interface="eth0"}']);
    // no swap series: no swap line
    expect(charts.find((c) => c.id === 'memory')!.lines.map((l) => l.label)).toEqual(['memory']);
  });

  it('draws the tunnels’ and Fly’s latencies when there are some, one line each', () => {
    const latency = overviewCharts(keys).find((c) => c.id === 'latency')!;
    expect(latency.unit).toBe('ms');
    expect(latency.lines.map((l) => [l.label, l.keys])).toEqual([
      ['shop ams', ['fly_health_latency_ms{app="shop",region="ams"}']],
      ['public', ['tunnel_probe_duration_ms{kind="ngrok",tunnel="public"}']],
    ]);
    expect(overviewCharts(['system_cpu_percent']).map((c) => c.id)).not.toContain('latency');
  });

  it('names a service’s series by its label', () => {
    expect(serviceSparkLines('web "app"').cpu.keys).toEqual(['service_cpu_percent{service="web \\"app\\""}']);
    expect(serviceCharts('api').flatMap((c) => c.lines.flatMap((l) => l.keys))).toEqual([
      'service_cpu_percent{service="api"}',
      'service_rss_bytes{service="api"}',
      'service_health_latency_ms{service="api"}',
    ]);
  });

  it('says how full each disk is', () => {
    expect(diskUseNote({ 'system_disk_used_percent{mount="/home"}': 80.6, 'system_disk_used_percent{mount="/"}': 45.2, system_cpu_percent: 3 })).toBe('used: / 45 %, /home 81 %');
    expect(diskUseNote({})).toBe('');
  });
});
