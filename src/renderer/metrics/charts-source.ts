// What the charts ask the engine, besides the live ticks: the series it keeps, their history,
// and the stored events (for the restart markers). The EngineClient answers all three, over
// HTTP in a browser and over the preload's bridge in the app.
import type { EventsPage, EventsQuery, SeriesInfo } from '../../shared/metrics.ts';
import type { MetricsSource } from './metrics-feed.ts';

export interface ChartsSource extends MetricsSource {
  listSeries(): Promise<SeriesInfo[]>;
  historyEvents(query: EventsQuery): Promise<EventsPage>;
}
