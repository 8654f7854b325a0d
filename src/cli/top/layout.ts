// One frame of `vigil top` as lines of text, from the model and the terminal's size: the
// header, the service table, tunnels, Fly.io, the latest events if there is room, and the
// keys on the last row. Pure: the same model and size give the same lines, so it is tested
// at 80 and 120 columns without a terminal. No line is wider than `width`.
import { eventTone } from '../../renderer/format.ts';
import { formatEvent } from '../event-line.ts';
import { clip, columns, type Paint } from './cells.ts';
import { headerLines } from './header.ts';
import { flyLines, tunnelLines } from './outside-section.ts';
import { serviceTable } from './service-table.ts';
import { currentForMs, type TopModel } from './top-model.ts';

export interface FrameOptions {
  width: number;
  /** Rows of the terminal; null for a frame printed once, which shows everything. */
  height: number | null;
  now: number;
  /** How often the screen is redrawn. */
  refreshMs: number;
  paint: Paint;
  /** Keys work (stdin is a terminal): the footer lists them. */
  keys: boolean;
}

/** Events in a frame printed once (an interactive frame shows as many as fit). */
const PRINTED_EVENTS = 10;

function footer(model: TopModel, options: FrameOptions): string {
  const { paint, width, now } = options;
  const selected = model.selected;
  const keys = options.keys ? ['q quit', '↑↓ select', selected ? `r restart ${selected}` : ''] : ['Ctrl-C quit'];
  const left = keys.filter(Boolean).join('  ');
  const notice = model.connection === 'gone'
    ? paint('engine gone, reconnecting…', 'bad')
    : model.notice && model.notice.until > now
      ? paint(model.notice.text, model.notice.tone)
      : `refresh ${options.refreshMs / 1000}s`;
  const room = width - columns(left) - 1;
  if (room < columns(notice)) return clip(notice, width);
  return paint(left, 'dim') + ' '.repeat(width - columns(left) - columns(notice)) + notice;
}

/** The rows of a window of `size` services that keeps the selected one in view. */
function visibleRows<T>(rows: T[], selectedIndex: number, size: number): { rows: T[]; hidden: number } {
  if (rows.length <= size) return { rows, hidden: 0 };
  const start = Math.min(Math.max(0, selectedIndex - Math.floor(size / 2)), rows.length - size);
  return { rows: rows.slice(start, start + size), hidden: rows.length - size };
}

export function renderFrame(model: TopModel, options: FrameOptions): string[] {
  const { width, height, now, paint } = options;
  const state = model.dashboard.state;
  if (state === null) return [clip('vigil top: waiting for the engine…', width)];
  const holdMs = currentForMs(state);

  const head = headerLines({ state, samples: model.samples, connection: model.connection, now, holdMs, paint }, width);
  const table = serviceTable({ state, samples: model.samples, selected: model.selected, now, refreshMs: options.refreshMs, holdMs, paint }, width);
  const selectedService = state.services.find((s) => s.name === model.selected);
  const problem = selectedService?.error ? [clip(paint(` ${selectedService.name}: ${selectedService.error}`, 'warn'), width)] : [];
  const outside = [tunnelLines(state, width, paint), flyLines(state, width, paint)].filter((s) => s.length > 0);
  const events = model.dashboard.events.map((e) => clip(paint(formatEvent(e), eventTone(e)), width));

  if (height === null) {
    const recent = events.slice(-PRINTED_EVENTS);
    return [
      ...head,
      '',
      table.header,
      ...table.rows,
      ...problem,
      ...outside.flatMap((section) => ['', ...section]),
      ...(recent.length ? ['', paint('EVENTS', 'bold'), ...recent] : []),
    ].map((line) => clip(line, width));
  }

  // Room is handed out top-down: header, the services, tunnels, Fly; events get what is left.
  const body = Math.max(0, height - 1);
  const lines = [...head, ''].slice(0, body);
  let room = body - lines.length;
  const selectedIndex = Math.max(0, state.services.findIndex((s) => s.name === model.selected));
  const fitsAll = 1 + table.rows.length + problem.length <= room;
  const shown = fitsAll ? { rows: table.rows, hidden: 0 } : visibleRows(table.rows, selectedIndex, Math.max(1, room - 2));
  const tableLines = [table.header, ...shown.rows, ...(shown.hidden ? [paint(`  … ${shown.hidden} more (↑↓ to scroll)`, 'dim')] : []), ...(fitsAll ? problem : [])];
  lines.push(...tableLines.slice(0, room));
  room = body - lines.length;
  for (const section of outside) {
    if (room < 2) break;
    const part = ['', ...section].slice(0, room);
    lines.push(...part);
    room -= part.length;
  }
  if (room >= 3 && events.length > 0) lines.push('', paint('EVENTS', 'bold'), ...events.slice(-(room - 2)));
  while (lines.length < body) lines.push('');
  if (height > 0) lines.push(footer(model, options));
  return lines.map((line) => clip(line, width));
}
