// The machine's numbers Vigil samples (system_* in src/shared/metrics.ts), under the names and
// units Prometheus' naming guide asks for: percentages become ratios from 0 to 1 (`_ratio`),
// received/transmitted are spelt out as node_exporter does. Rates stay gauges in bytes per
// second, measured over Vigil's last sampling interval (1 s while Prometheus scrapes): there
// is no counter behind them to expose, and node_exporter has the counters for those who want
// them. Series Vigil does not sample on this machine (temperatures in a VM) are absent.
import { Gauge, type Registry } from 'prom-client';
import type { ScrapeView } from './exporter-sources.ts';
import { forgetSeries } from './forget-series.ts';

interface SystemFamily {
  /** Vigil's series name. */
  series: string;
  name: string;
  help: string;
  /** The series' labels, in Vigil and in Prometheus alike. */
  labels: readonly string[];
  /** From Vigil's unit to Prometheus' (percent -> ratio). */
  scale?: number;
}

const PER_INTERVAL = "over Vigil's last sampling interval";

export const SYSTEM_FAMILIES: readonly SystemFamily[] = [
  { series: 'system_cpu_percent', name: 'vigil_system_cpu_usage_ratio', help: `Share of all CPU time that was busy ${PER_INTERVAL}, 0 to 1.`, labels: [], scale: 0.01 },
  { series: 'system_cpu_core_percent', name: 'vigil_system_cpu_core_usage_ratio', help: `Share of one core's time that was busy ${PER_INTERVAL}, 0 to 1.`, labels: ['core'], scale: 0.01 },
  { series: 'system_load1', name: 'vigil_system_load1', help: '1-minute load average.', labels: [] },
  { series: 'system_load5', name: 'vigil_system_load5', help: '5-minute load average.', labels: [] },
  { series: 'system_load15', name: 'vigil_system_load15', help: '15-minute load average.', labels: [] },
  { series: 'system_memory_used_bytes', name: 'vigil_system_memory_used_bytes', help: 'Memory in use (total minus available), in bytes.', labels: [] },
  { series: 'system_memory_total_bytes', name: 'vigil_system_memory_total_bytes', help: 'Physical memory, in bytes.', labels: [] },
  { series: 'system_memory_percent', name: 'vigil_system_memory_usage_ratio', help: 'Memory in use as a share of physical memory, 0 to 1.', labels: [], scale: 0.01 },
  { series: 'system_swap_used_bytes', name: 'vigil_system_swap_used_bytes', help: 'Swap in use, in bytes.', labels: [] },
  { series: 'system_swap_percent', name: 'vigil_system_swap_usage_ratio', help: 'Swap in use as a share of all swap, 0 to 1.', labels: [], scale: 0.01 },
  { series: 'system_disk_used_bytes', name: 'vigil_system_disk_used_bytes', help: 'Space used on the file system mounted at `mount`, in bytes.', labels: ['mount'] },
  { series: 'system_disk_size_bytes', name: 'vigil_system_disk_size_bytes', help: 'Size of the file system mounted at `mount`, in bytes.', labels: ['mount'] },
  { series: 'system_disk_used_percent', name: 'vigil_system_disk_usage_ratio', help: 'Space used on the file system mounted at `mount`, as a share of its size, 0 to 1.', labels: ['mount'], scale: 0.01 },
  { series: 'system_disk_read_bytes_per_second', name: 'vigil_system_disk_read_bytes_per_second', help: `Bytes read from all disks per second ${PER_INTERVAL}.`, labels: [] },
  { series: 'system_disk_write_bytes_per_second', name: 'vigil_system_disk_write_bytes_per_second', help: `Bytes written to all disks per second ${PER_INTERVAL}.`, labels: [] },
  {
    series: 'system_network_rx_bytes_per_second',
    name: 'vigil_system_network_receive_bytes_per_second',
    help: `Bytes received per second on \`interface\` ${PER_INTERVAL}.`,
    labels: ['interface'],
  },
  {
    series: 'system_network_tx_bytes_per_second',
    name: 'vigil_system_network_transmit_bytes_per_second',
    help: `Bytes sent per second on \`interface\` ${PER_INTERVAL}.`,
    labels: ['interface'],
  },
  { series: 'system_temperature_celsius', name: 'vigil_system_temperature_celsius', help: 'Temperature of `sensor`, in degrees Celsius.', labels: ['sensor'] },
];

export function registerSystemMetrics(registry: Registry, view: () => ScrapeView): void {
  for (const family of SYSTEM_FAMILIES) {
    new Gauge({
      name: family.name,
      help: family.help,
      labelNames: family.labels,
      registers: [registry],
      collect() {
        forgetSeries(this);
        for (const { labels, value } of view().sampled.get(family.series) ?? []) {
          // Exactly the family's labels: a series that has others is not this one.
          if (Object.keys(labels).length !== family.labels.length || !family.labels.every((l) => labels[l] !== undefined)) continue;
          this.set(labels, value * (family.scale ?? 1));
        }
      },
    });
  }
}
