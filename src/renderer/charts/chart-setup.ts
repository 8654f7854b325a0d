// chart.js with only the parts the dashboard draws with: line charts on linear axes (time is
// a linear axis over ms, see time-axis.ts), a tooltip, and Vigil's markers. Registering parts
// one by one rather than chart.js/auto keeps the rest (bar, pie, radar, the time scale, the
// legend...) out of the bundle.
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { markersPlugin } from './markers-plugin.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, markersPlugin);

export { Chart };
