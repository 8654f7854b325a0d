// Network rates per interface from cumulative byte counters, on any OS.
import { seriesKey } from '../../../shared/metrics.ts';
import { CounterRates } from './counter-rates.ts';
import type { SampleOut } from './sample.ts';

/** Cumulative bytes through one interface since it came up. */
export interface InterfaceBytes {
  name: string;
  rxBytes: number;
  txBytes: number;
}

export class NetworkRates {
  private readonly rates = new CounterRates();
  private readonly keys = new Map<string, { rx: string; tx: string }>();

  sample(interfaces: InterfaceBytes[], mono: number, out: SampleOut): void {
    for (const { name, rxBytes, txBytes } of interfaces) {
      const keys = this.keysOf(name);
      const rx = this.rates.rate(keys.rx, rxBytes, mono);
      const tx = this.rates.rate(keys.tx, txBytes, mono);
      if (rx !== null) out(keys.rx, rx, 'gauge');
      if (tx !== null) out(keys.tx, tx, 'gauge');
    }
    this.rates.sweep();
  }

  private keysOf(name: string): { rx: string; tx: string } {
    let keys = this.keys.get(name);
    if (!keys) {
      keys = {
        rx: seriesKey('system_network_rx_bytes_per_second', { interface: name }),
        tx: seriesKey('system_network_tx_bytes_per_second', { interface: name }),
      };
      this.keys.set(name, keys);
    }
    return keys;
  }
}
