// The engine as Electron's utility process: `vigil serve` minus the terminal. Electron main
// starts it with utilityProcess.fork(), then hands it MessagePorts (one for itself, one per
// window) through process.parentPort. Plain Node: no import of 'electron' here, so the engine
// never shares a process, or an event loop, with the tray.
import { findDefaultStackFile } from '../core/config/stack-file-lookup.ts';
import { type RunningServer, startServer } from '../core/serve.ts';
import type { EngineHostOptions, HostToMain, MainToHost } from '../shared/contract.ts';
import { fromMessagePortMain, type MessagePortMainLike } from '../shared/endpoints.ts';
import { servePort } from './port-session.ts';

/** process.parentPort, which only a utility process has (typed loosely: no Electron import). */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: MessagePortMainLike[] }) => void): unknown;
  postMessage(message: HostToMain): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  console.error('engine-host runs inside the Vigil app (an Electron utility process); in a terminal, run `vigil serve`.');
  process.exit(2);
}
const parent = parentPort;

function readOptions(): EngineHostOptions {
  try {
    const parsed = JSON.parse(process.env.VIGIL_ENGINE_OPTIONS ?? '{}') as Partial<EngineHostOptions>;
    return { files: Array.isArray(parsed.files) ? parsed.files.filter((f) => typeof f === 'string') : [], port: parsed.port, watch: parsed.watch };
  } catch {
    return { files: [] };
  }
}

const options = readOptions();
const files = options.files.length > 0 ? options.files : [findDefaultStackFile()].filter((f): f is string => f !== null);
let server: RunningServer | null = null;
/** Ports that arrive before the engine is up wait here. */
const waiting: { port: MessagePortMainLike; client: 'main' | 'renderer' }[] = [];

/** Exits once the last message to main has had a moment to leave. */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 100);
}

/** A window's port counts as someone looking at the metrics; main's own (the tray) does not. */
function connect(port: MessagePortMainLike, client: 'main' | 'renderer'): void {
  if (!server) {
    waiting.push({ port, client });
    return;
  }
  servePort(fromMessagePortMain(port), server.engine, { looking: client !== 'main' });
}

parent.on('message', (event) => {
  const message = event.data as MainToHost;
  if (message?.kind === 'connect') {
    const port = event.ports[0];
    if (port) connect(port, message.client === 'main' ? 'main' : 'renderer');
  } else if (message?.kind === 'shutdown') {
    const stopping = server ? server.stop() : Promise.resolve();
    stopping.then(
      () => {
        parent.postMessage({ kind: 'stopped' });
        exitSoon(0);
      },
      (err: unknown) => {
        console.error(`vigil engine: error while stopping: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  }
});

// The engine must outlive a bug in one of its parts: report it and keep supervising.
process.on('uncaughtException', (err) => console.error(`vigil engine: internal error (still running): ${err.stack ?? err}`));
process.on('unhandledRejection', (err) => console.error(`vigil engine: internal error (still running): ${(err as Error)?.stack ?? err}`));

startServer({ files, port: options.port, watch: options.watch, print: (line) => console.log(`vigil engine: ${line}`) }).then(
  (running) => {
    server = running;
    waiting.splice(0).forEach(({ port, client }) => connect(port, client));
    parent.postMessage({ kind: 'ready', url: running.url, pid: process.pid });
  },
  (err: unknown) => {
    parent.postMessage({ kind: 'failed', error: (err as Error).message });
    exitSoon(1);
  },
);
