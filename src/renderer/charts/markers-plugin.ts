// A chart.js plugin of Vigil's own: vertical marks across a chart at given times (a service's
// restarts, exits, new definitions), with a small flag on top so a mark reads as a moment,
// not as data. Drawn after the lines, under the tooltip.
import type { Chart, ChartType, Plugin } from 'chart.js';
import type { MarkerKind, TimeMarker } from '../metrics/restart-markers.ts';

export interface MarkersOptions {
  markers: readonly TimeMarker[];
  colors: Record<MarkerKind, string>;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Vigil's time markers (markers-plugin.ts). */
    markers?: MarkersOptions;
  }
}

const FLAG = 4;

export const markersPlugin: Plugin<'line', MarkersOptions> = {
  id: 'markers',
  defaults: { markers: [], colors: { restart: '#888', exit: '#888', start: '#888', redefined: '#888' } },
  afterDatasetsDraw(chart: Chart<'line'>, _args, options) {
    const x = chart.scales.x;
    const area = chart.chartArea;
    if (!x || !area || options.markers.length === 0) return;
    const { ctx } = chart;
    ctx.save();
    ctx.lineWidth = 1;
    for (const marker of options.markers) {
      const px = Math.round(x.getPixelForValue(marker.t)) + 0.5;
      if (px < area.left || px > area.right) continue;
      const color = options.colors[marker.kind];
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.setLineDash(marker.kind === 'start' || marker.kind === 'redefined' ? [3, 3] : []);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(px - FLAG, area.top);
      ctx.lineTo(px + FLAG, area.top);
      ctx.lineTo(px, area.top + FLAG * 1.5);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  },
};
