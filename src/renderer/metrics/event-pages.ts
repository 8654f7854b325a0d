// The stored events back to a time, page by page (GET /api/events?before=ID pages by id,
// newest first), for a chart's restart markers over 15 min to 7 days.
import type { EngineEvent } from '../../shared/events.ts';
import type { EngineClient } from '../client/engine-client.ts';

export type EventsReader = Pick<EngineClient, 'getEvents'>;

const PAGE = 1000;
/** A week of a crash loop is a few thousand events; past this many pages, older ones are left. */
const MAX_PAGES = 20;

/** The events at or after `from` that `keep` accepts, oldest first. */
export async function eventsSince(reader: EventsReader, from: number, keep: (event: EngineEvent) => boolean): Promise<EngineEvent[]> {
  const pages: EngineEvent[][] = [];
  let before: number | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await reader.getEvents(before === undefined ? { limit: PAGE } : { limit: PAGE, before });
    if (page.length === 0) break;
    pages.unshift(page.filter((e) => keep(e) && Date.parse(e.time) >= from));
    const oldest = page[0]!;
    if (Date.parse(oldest.time) < from || page.length < PAGE) break;
    before = oldest.id;
  }
  return pages.flat();
}
