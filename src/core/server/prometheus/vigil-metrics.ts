// Vigil itself: which version serves these numbers, and whether its history is being kept.
import { Gauge, type Registry } from 'prom-client';
import type { ScrapeView } from './exporter-sources.ts';
import { forgetSeries } from './forget-series.ts';

export function registerVigilMetrics(registry: Registry, view: () => ScrapeView): void {
  new Gauge({
    name: 'vigil_build_info',
    help: 'The Vigil version serving these metrics (always 1).',
    labelNames: ['version'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      this.set({ version: view().state.version }, 1);
    },
  });
  new Gauge({
    name: 'vigil_history_size_bytes',
    help: "Size of Vigil's metrics history on disk ($VIGIL_HOME/history.db and its write-ahead log), in bytes.",
    registers: [registry],
    collect() {
      forgetSeries(this);
      this.set(view().history.sizeBytes);
    },
  });
  new Gauge({
    name: 'vigil_history_writing',
    help: "Whether Vigil is writing its metrics history (1) or not (0: paused by a full disk, the size limit or a lock, or the file could not be opened; the dashboard and GET /api/state say why).",
    registers: [registry],
    collect() {
      forgetSeries(this);
      this.set(view().history.writing ? 1 : 0);
    },
  });
}
