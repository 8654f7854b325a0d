// The page the sparkline benchmark loads: N service rows with a CPU and a memory sparkline of
// one kind (canvas, svg or chartjs; text for the value alone; from the address's #fragment), over one feed with 15 min of
// history at 1 s; window.bench.tick() sends one live tick.
import { useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { ChartThemeContext, readChartTheme } from '../../src/renderer/charts/chart-theme.ts';
import { Sparkline } from '../../src/renderer/charts/sparkline.tsx';
import { serviceSparkLines } from '../../src/renderer/metrics/chart-specs.ts';
import { lastValue } from '../../src/renderer/metrics/metric-line.ts';
import { MetricsFeed } from '../../src/renderer/metrics/metrics-feed.ts';
import { formatValue, type Unit } from '../../src/renderer/metrics/units.ts';
import { DEFAULT_RANGE } from '../../src/renderer/metrics/time-ranges.ts';
import { ChartjsSparkline } from './chartjs-sparkline.tsx';
import { SvgSparkline } from './svg-sparkline.tsx';
import { SyntheticEngine } from './synthetic-engine.ts';

declare global {
  interface Window {
    bench: { ready: Promise<void>; tick(): void };
  }
}

const params = new URLSearchParams(location.hash.slice(1));
const kind = params.get('kind') ?? 'canvas';
const count = Number(params.get('services') ?? 20);
const services = Array.from({ length: count }, (_, i) => `service-${i + 1}`);
const engine = new SyntheticEngine(services);
const lines = services.flatMap((s) => Object.values(serviceSparkLines(s)));
const feed = new MetricsFeed({ source: engine, live: engine, lines, range: DEFAULT_RANGE, now: () => engine.now });
const KINDS = { canvas: Sparkline, svg: SvgSparkline, chartjs: ChartjsSparkline, text: ValueOnly };
const Spark = KINDS[kind as keyof typeof KINDS] ?? Sparkline;

/** The floor: the feed and the value beside each line, no line drawn. */
function ValueOnly({ lineId, unit }: { feed: MetricsFeed; lineId: string; unit: Unit; floor: number; label: string }) {
  useSyncExternalStore(feed.subscribe, () => feed.version);
  const line = feed.line(lineId);
  return <span className="spark-value">{formatValue(line ? lastValue(line) : null, unit)}</span>;
}

function Rows() {
  return (
    <table className="services">
      <tbody>
        {services.map((s) => {
          const spark = serviceSparkLines(s);
          return (
            <tr key={s}>
              <td>{s}</td>
              <td>
                <Spark feed={feed} lineId={spark.cpu.id} unit="percent" floor={5} label={`${s} CPU`} />
              </td>
              <td>
                <Spark feed={feed} lineId={spark.rss.id} unit="bytes" floor={64 * 1024 * 1024} label={`${s} memory`} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

window.bench = {
  ready: new Promise((resolve) => {
    const off = feed.subscribe(() => {
      off();
      requestAnimationFrame(() => resolve());
    });
  }),
  tick: () => engine.tick(),
};
feed.start();
createRoot(document.getElementById('root')!).render(
  <ChartThemeContext.Provider value={readChartTheme(window)}>
    <Rows />
  </ChartThemeContext.Provider>,
);
