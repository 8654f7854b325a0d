// The top lines of `vigil top`: who and how long (Vigil's version, the engine's uptime, the
// auto-restart switch, whether the engine is still there), then the machine: CPU, memory,
// swap, load, the fullest disk, network and the history file, with small bars.
import { clockTime, formatDuration } from '../../renderer/format.ts';
import { parseSeriesKey, type StateSnapshot } from '../../shared/contract.ts';
import { columns, fitText, joinWithin, type Paint } from './cells.ts';
import { compactBytes, compactRate, loadAverage } from './format.ts';
import { meter } from './meter.ts';
import { latestValue, type SampleWindow } from './sample-window.ts';
import type { TopModel } from './top-model.ts';

export interface HeaderInput {
  state: StateSnapshot;
  samples: SampleWindow;
  connection: TopModel['connection'];
  now: number;
  holdMs: number;
  paint: Paint;
}

/** The latest value of every system series: fresh ticks first, the snapshot's otherwise. */
function systemValues(input: HeaderInput): Map<string, number> {
  const values = new Map<string, number>(Object.entries(input.state.metrics.system));
  for (const key of input.samples.latest.keys()) {
    if (!key.startsWith('system_')) continue;
    const v = latestValue(input.samples, key, input.now, input.holdMs);
    if (v !== null) values.set(key, v);
  }
  return values;
}

/** Each series named `name`, by the value of its `label`. */
function byLabel(values: Map<string, number>, name: string, label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, v] of values) {
    if (!key.startsWith(`${name}{`)) continue;
    const parsed = parseSeriesKey(key);
    if (parsed.name === name && parsed.labels[label] !== undefined) out.set(parsed.labels[label], v);
  }
  return out;
}

/** Six columns, right-aligned after a bar: "  3.5%", " 42.0%", "  100%", "     -". */
function percent(value: number | undefined): string {
  return (value === undefined ? '-' : `${value.toFixed(value >= 99.95 ? 0 : 1)}%`).padStart(6);
}

/** Width of the header's bars: 10 at 80 columns, growing with the terminal up to 30. */
function barWidth(width: number): number {
  return Math.max(8, Math.min(30, 12 + Math.floor((width - 80) / 4)));
}

function titleLine(input: HeaderInput, width: number): string {
  const { state, paint, now } = input;
  const engineUp = formatDuration(now - Date.parse(state.engine.startedAt));
  const sampling = state.metrics.sampling;
  const left = [
    paint(`Vigil ${state.version}`, 'bold'),
    `engine up ${engineUp}`,
    `auto-restart ${state.autoRestart ? paint('on', 'ok') : paint('off', 'warn')}`,
    state.demo ? 'demo stack' : '',
    `sampling ${formatDuration(sampling.intervalMs)}`,
  ];
  const status = input.connection === 'gone' ? paint('engine gone, reconnecting…', 'bad') : clockTime(new Date(now).toISOString());
  const room = width - columns(status) - 1;
  const head = joinWithin(left, room);
  return head + ' '.repeat(Math.max(1, width - columns(head) - columns(status))) + status;
}

function machineLines(input: HeaderInput, width: number): [string, string] {
  const values = systemValues(input);
  const bar = barWidth(width);
  const v = (key: string) => values.get(key);
  const used = v('system_memory_used_bytes');
  const total = v('system_memory_total_bytes');
  const memory = used !== undefined && total !== undefined ? ` ${compactBytes(used)}/${compactBytes(total)}` : '';
  const cpuLine = joinWithin(
    [
      `CPU ${meter(v('system_cpu_percent') ?? null, bar)}${percent(v('system_cpu_percent'))}`,
      `MEM ${meter(v('system_memory_percent') ?? null, bar)}${percent(v('system_memory_percent'))}${memory}`,
      v('system_swap_percent') !== undefined ? `SWAP${percent(v('system_swap_percent'))}` : '',
    ],
    width,
  );

  const disks = [...byLabel(values, 'system_disk_used_percent', 'mount')].sort((a, b) => b[1] - a[1]);
  const fullest = disks[0];
  const interfaces = (name: string) => [...byLabel(values, name, 'interface')].filter(([i]) => i !== 'lo');
  const rx = interfaces('system_network_rx_bytes_per_second');
  const tx = interfaces('system_network_tx_bytes_per_second');
  const sum = (list: [string, number][]) => (list.length === 0 ? null : list.reduce((s, [, n]) => s + n, 0));
  const history = input.state.metrics.history;
  const load = [v('system_load1'), v('system_load5'), v('system_load15')].filter((n) => n !== undefined);
  // History that is not being written matters more than disk and network: it goes first,
  // and joinWithin leaves out from the end.
  const paused = history.writing ? '' : input.paint(`HISTORY PAUSED${history.reason ? `: ${history.reason}` : ''}`, 'warn');
  const loadLine = joinWithin(
    [
      `LOAD ${load.length ? load.map(loadAverage).join(' ') : '-'}`,
      paused,
      fullest ? `DISK ${meter(fullest[1], bar)}${percent(fullest[1])} ${fitText(fullest[0], Math.min(12, columns(fullest[0])))}` : '',
      rx.length || tx.length ? `NET ↓${compactRate(sum(rx))} ↑${compactRate(sum(tx))}` : '',
      history.writing ? `HISTORY ${compactBytes(history.sizeBytes)}` : '',
    ],
    width,
  );
  return [cpuLine, loadLine];
}

/** Three lines: the title, CPU and memory, then load, disk, network and history. */
export function headerLines(input: HeaderInput, width: number): string[] {
  return [titleLine(input, width), ...machineLines(input, width)];
}
