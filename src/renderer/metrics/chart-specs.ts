// Which series each chart draws, by the series names of src/shared/metrics.ts. Pure: the
// overview's charts depend on which series exist (disks, interfaces, tunnels), which the
// engine's series list says.
import { parseSeriesKey, seriesKey } from '../../shared/metrics.ts';
import type { LineSpec } from './metrics-feed.ts';
import type { Unit } from './units.ts';

export interface ChartLineSpec extends LineSpec {
  label: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: Unit;
  /** A fixed top for the value axis. */
  max?: number;
  lines: ChartLineSpec[];
}

/** Loopback traffic is the machine talking to itself (the stack's own services among them):
 * not what "network" means on an overview. */
const LOOPBACK = new Set(['lo', 'lo0']);
/** Latency series of the watchers: how long a probe through a tunnel, or Fly's health URL, took. */
const LATENCY = /^(tunnel|fly)_\w*(latency|duration)_ms$/;

function parsed(keys: readonly string[]) {
  return keys.flatMap((key) => {
    try {
      return [{ key, ...parseSeriesKey(key) }];
    } catch {
      return [];
    }
  });
}

function latencyLabel(name: string, labels: Record<string, string>): string {
  const who = labels.tunnel ?? labels.app ?? labels.endpoint ?? name.split('_')[0]!;
  const where = labels.machine ?? labels.region;
  return where ? `${who} ${where}` : who;
}

/** The overview's machine charts, plus one of the tunnels' and Fly's latencies when some exist. */
export function overviewCharts(keys: readonly string[]): ChartSpec[] {
  const series = parsed(keys);
  const has = (key: string) => keys.includes(key);
  const network = (name: string) => series.filter((s) => s.name === name && !LOOPBACK.has(s.labels.interface ?? '')).map((s) => s.key);
  const charts: ChartSpec[] = [
    { id: 'cpu', title: 'CPU', unit: 'percent', max: 100, lines: [{ id: 'system:cpu', label: 'CPU', keys: ['system_cpu_percent'] }] },
    {
      id: 'memory',
      title: 'Memory',
      unit: 'percent',
      max: 100,
      lines: [
        { id: 'system:memory', label: 'memory', keys: ['system_memory_percent'] },
        ...(has('system_swap_percent') ? [{ id: 'system:swap', label: 'swap', keys: ['system_swap_percent'] }] : []),
      ],
    },
    {
      id: 'disk',
      title: 'Disk I/O',
      unit: 'bytes-per-second',
      lines: [
        { id: 'system:disk-read', label: 'read', keys: ['system_disk_read_bytes_per_second'] },
        { id: 'system:disk-write', label: 'write', keys: ['system_disk_write_bytes_per_second'] },
      ],
    },
    {
      id: 'network',
      title: 'Network',
      unit: 'bytes-per-second',
      lines: [
        { id: 'system:net-rx', label: 'in', keys: network('system_network_rx_bytes_per_second') },
        { id: 'system:net-tx', label: 'out', keys: network('system_network_tx_bytes_per_second') },
      ],
    },
  ];
  const latency = series.filter((s) => LATENCY.test(s.name)).sort((a, b) => a.key.localeCompare(b.key));
  if (latency.length > 0) {
    charts.push({
      id: 'latency',
      title: 'Tunnel and Fly latency',
      unit: 'ms',
      lines: latency.map((s) => ({ id: `latency:${s.key}`, label: latencyLabel(s.name, s.labels), keys: [s.key] })),
    });
  }
  return charts;
}

/** A service's sparkline series on the overview. */
export function serviceSparkLines(service: string): { cpu: LineSpec; rss: LineSpec } {
  return {
    cpu: { id: `service:${service}:cpu`, keys: [seriesKey('service_cpu_percent', { service })] },
    rss: { id: `service:${service}:rss`, keys: [seriesKey('service_rss_bytes', { service })] },
  };
}

/** The charts of a service's own view. */
export function serviceCharts(service: string): ChartSpec[] {
  const key = (name: string) => [seriesKey(name, { service })];
  return [
    { id: 'cpu', title: 'CPU', unit: 'percent', lines: [{ id: 'cpu', label: 'CPU', keys: key('service_cpu_percent') }] },
    { id: 'rss', title: 'Memory (RSS)', unit: 'bytes', lines: [{ id: 'rss', label: 'RSS', keys: key('service_rss_bytes') }] },
    { id: 'health', title: 'Health check latency', unit: 'ms', lines: [{ id: 'health', label: 'latency', keys: key('service_health_latency_ms') }] },
  ];
}

/** Disk use per mount from the snapshot's latest system values: "used: / 45 %, /home 81 %". */
export function diskUseNote(system: Readonly<Record<string, number>>): string {
  return parsed(Object.keys(system))
    .filter((s) => s.name === 'system_disk_used_percent' && s.labels.mount)
    .sort((a, b) => a.labels.mount!.localeCompare(b.labels.mount!))
    .map((s) => `${s.labels.mount} ${Math.round(system[s.key]!)} %`)
    .join(', ')
    .replace(/^(?=.)/, 'used: ');
}
