import type { EngineEvent } from '../../shared/contract.ts';
import { clockTime, eventTone } from '../format.ts';

function describe(event: EngineEvent): string {
  if (event.from && event.to && event.from !== event.to) {
    return event.message && event.message !== event.to ? `${event.from} → ${event.to}: ${event.message}` : `${event.from} → ${event.to}`;
  }
  return event.message;
}

/** Newest first. */
export function EventList({ events, limit = 50 }: { events: EngineEvent[]; limit?: number }) {
  if (events.length === 0) return <p className="empty">No events yet.</p>;
  const recent = events.slice(-limit).reverse();
  return (
    <ol className="events">
      {recent.map((event) => (
        <li key={event.id} className={`event tone-${eventTone(event)}`} data-event-type={event.type} data-service={event.service ?? ''}>
          <time dateTime={event.time} title={event.time}>
            {clockTime(event.time)}
          </time>
          <span className="event-service">{event.service ?? event.tunnel ?? (event.type.startsWith('fly.') ? 'fly.io' : 'vigil')}</span>
          <span className="event-type">{event.type}</span>
          <span className="event-message">{describe(event)}</span>
        </li>
      ))}
    </ol>
  );
}
