// `vigil top` at work: the live screen in a terminal, one printed frame when stdout is not a
// terminal, or the JSON summary. The engine is asked for its state before anything is drawn,
// so "Vigil is not running" comes out as a plain message (exit 3), never on a blank screen.
import { emitKeypressEvents } from 'node:readline';
import { type EngineClient, engineAddress } from '../engine-client.ts';
import { coloured, type Paint, plain } from './cells.ts';
import { actionForKey, type KeyPress } from './keys.ts';
import { renderFrame } from './layout.ts';
import { longestSparkSpanMs } from './service-table.ts';
import { openLiveFeed } from './live-feed.ts';
import { TerminalScreen } from './screen.ts';
import { topSummary } from './summary.ts';
import { loadEvents, loadHistory, loadState, restartService } from './top-source.ts';
import {
  currentForMs,
  initialTopModel,
  moveSelection,
  type TopModel,
  withConnection,
  withHistory,
  withLive,
  withNotice,
  withRecentEvents,
} from './top-model.ts';

/** At least this much history is fetched at start, whatever the refresh interval. */
const HISTORY_MIN_MS = 5 * 60_000;
const EVENTS_FETCHED = 50;
const NOTICE_MS = 4000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface TopOptions {
  /** How often the screen is redrawn; also what one sparkline character covers. */
  refreshMs: number;
  client: () => EngineClient;
}

function historySpan(refreshMs: number): number {
  return Math.max(HISTORY_MIN_MS, longestSparkSpanMs(refreshMs));
}

/** NO_COLOR (https://no-color.org): set to anything but "" turns colour off. */
export function wantsColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && !env.NO_COLOR;
}

/** State, history and events, as a model: for a printed frame and the summary. */
async function loadModel(client: EngineClient, refreshMs: number, now: number): Promise<TopModel> {
  const state = await loadState(client);
  let model = withLive(initialTopModel(historySpan(refreshMs)), { kind: 'state', state });
  const names = state.services.map((s) => s.name);
  const [history, events] = await Promise.all([loadHistory(client, names, historySpan(refreshMs), refreshMs), loadEvents(client, EVENTS_FETCHED)]);
  model = withHistory(model, history, now);
  return withRecentEvents(model, events);
}

export async function printSummary(options: TopOptions): Promise<void> {
  const now = Date.now();
  const model = await loadModel(options.client(), options.refreshMs, now);
  const state = model.dashboard.state!;
  console.log(JSON.stringify(topSummary(state, model.samples, now, currentForMs(state)), null, 2));
}

/** Not a terminal (a pipe, a file, CI): one frame without colour or escape codes. */
export async function printFrame(options: TopOptions, width: number): Promise<void> {
  const now = Date.now();
  const model = await loadModel(options.client(), options.refreshMs, now);
  const lines = renderFrame(model, { width, height: null, now, refreshMs: options.refreshMs, paint: plain, keys: false });
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The live screen, until q, Ctrl-C or a signal. Resolves once the terminal is restored. */
export async function runTop(options: TopOptions): Promise<void> {
  const { stdout, stdin } = process;
  const { refreshMs } = options;
  let model = withLive(initialTopModel(historySpan(refreshMs)), { kind: 'state', state: await loadState(options.client()) });
  const paint: Paint = wantsColour(process.env, true) ? coloured : plain;
  const keys = stdin.isTTY === true;
  const screen = new TerminalScreen(stdout);

  const redraw = () => {
    const width = stdout.columns || 80;
    const height = stdout.rows || 24;
    screen.draw(renderFrame(model, { width, height, now: Date.now(), refreshMs, paint, keys }), width, height);
  };
  const notify = (text: string, tone: 'ok' | 'bad' | 'busy') => {
    model = withNotice(model, { text, tone, until: Date.now() + NOTICE_MS });
    redraw();
  };

  // After each (re)connection, once the engine's state is in: the history of the sparklines
  // and the latest events. A failure leaves them as they are; the live ticks go on.
  let backfillDue = false;
  const backfill = async () => {
    const client = options.client();
    const now = Date.now();
    const names = model.dashboard.state?.services.map((s) => s.name) ?? [];
    const [history, events] = await Promise.allSettled([loadHistory(client, names, historySpan(refreshMs), refreshMs), loadEvents(client, EVENTS_FETCHED)]);
    if (history.status === 'fulfilled') model = withHistory(model, history.value, now);
    if (events.status === 'fulfilled') model = withRecentEvents(model, events.value);
    redraw();
  };

  return new Promise<void>((resolve) => {
    const restoreOnExit = () => screen.leave();
    // A bug must not leave the terminal in the alternate screen with no cursor: restore it
    // first, then say what went wrong where the user can read it.
    const crash = (err: unknown) => {
      screen.leave();
      if (keys) stdin.setRawMode(false);
      console.error(`vigil top: internal error: ${(err as Error)?.stack ?? err}`);
      process.exit(1);
    };
    const feed = openLiveFeed(() => engineAddress(), {
      open: () => {
        backfillDue = true;
      },
      message: (message) => {
        const wasGone = model.connection === 'gone';
        model = withLive(model, message);
        if (message.kind === 'state' && backfillDue) {
          backfillDue = false;
          void backfill();
        }
        if (wasGone && model.connection === 'live') redraw();
      },
      lost: () => {
        if (model.connection === 'gone') return;
        model = withConnection(model, 'gone');
        redraw();
      },
    });
    const timer = setInterval(redraw, refreshMs);
    const onResize = () => {
      screen.invalidate();
      redraw();
    };

    const quit = () => {
      clearInterval(timer);
      feed.close();
      stdout.off('resize', onResize);
      if (keys) {
        stdin.off('keypress', onKey);
        stdin.setRawMode(false);
        stdin.pause();
      }
      for (const signal of SIGNALS) process.off(signal, quit);
      screen.leave();
      process.off('exit', restoreOnExit);
      process.off('uncaughtException', crash);
      resolve();
    };

    function onKey(_text: string | undefined, key: KeyPress | undefined): void {
      const action = actionForKey(key);
      if (!action) return;
      if (action.kind === 'quit') {
        quit();
        return;
      }
      if (action.kind === 'repaint') {
        screen.invalidate();
        redraw();
        return;
      }
      if (action.kind === 'select') {
        model = moveSelection(model, action.delta);
        redraw();
        return;
      }
      const name = model.selected;
      if (!name) return;
      notify(`restarting ${name}…`, 'busy');
      restartService(options.client(), name).then(
        () => notify(`restart asked: ${name}`, 'ok'),
        (err: Error) => notify(`restart ${name}: ${err.message}`, 'bad'),
      );
    }

    for (const signal of SIGNALS) process.on(signal, quit);
    process.on('exit', restoreOnExit);
    process.on('uncaughtException', crash);
    stdout.on('resize', onResize);
    if (keys) {
      emitKeypressEvents(stdin);
      stdin.setRawMode(true);
      stdin.on('keypress', onKey);
      stdin.resume();
    }
    screen.enter();
    redraw();
  });
}
