// The engine in its own process: Electron's utilityProcess running dist/engine-host. Main keeps
// one MessagePort to it (tray, notifications), gives each window a port of its own, and starts
// the engine again when it dies.
import { MessageChannelMain, type UtilityProcess, utilityProcess, type WebContents } from 'electron';
import {
  ENGINE_PORT_CHANNEL,
  type EngineHostOptions,
  type EngineMethod,
  type EngineRequest,
  type EngineResults,
  type HostToMain,
  type LiveMessage,
  type MainToHost,
} from '../shared/contract.ts';
import { fromMessagePortMain } from '../shared/endpoints.ts';
import { EngineGoneError, EnginePortClient } from '../shared/port-client.ts';
import { ENGINE_RESTART_INITIAL_MS, ENGINE_STABLE_AFTER_MS, engineRestartDelay } from './engine-backoff.ts';
import type { EngineStatus } from './tray-icon-state.ts';

export interface EngineHandle {
  readonly status: EngineStatus;
  /** The API address (http://127.0.0.1:port/) once the engine is up. */
  readonly url: string | null;
  call<M extends EngineMethod>(request: Extract<EngineRequest, { method: M }>): Promise<EngineResults[M]>;
  /** Live messages from whichever engine is current; survives engine restarts. */
  onLive(listener: (message: LiveMessage) => void): () => void;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  /** Sends `contents` a port now (if the engine is up) and a new one after each restart. */
  connectRenderer(contents: WebContents): boolean;
  /** Starts the engine again now (after a failure). */
  restart(): void;
  /** Stops the engine, and with it the stack. */
  stop(): Promise<void>;
}

export interface EngineProcessOptions {
  modulePath: string;
  hostOptions: EngineHostOptions;
  cwd: string;
  /** How long a stopping engine gets before it is killed. */
  stopTimeoutMs?: number;
  /** Secrets for the engine's environment, read at each (re)start. */
  secretEnv?: () => Record<string, string>;
}

export function setupEngine(options: EngineProcessOptions): EngineHandle {
  let child: UtilityProcess | null = null;
  let client: EnginePortClient | null = null;
  let status: EngineStatus = { status: 'starting' };
  let url: string | null = null;
  let failures = 0;
  let readyAt = 0;
  let stopping: Promise<void> | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  const renderers = new Set<WebContents>();
  const liveListeners = new Set<(message: LiveMessage) => void>();
  const statusListeners = new Set<(status: EngineStatus) => void>();

  const setStatus = (next: EngineStatus) => {
    status = next;
    statusListeners.forEach((l) => l(next));
  };

  const postPort = (contents: WebContents): boolean => {
    if (!child || status.status !== 'running' || contents.isDestroyed()) return false;
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage({ kind: 'connect', client: 'renderer' } satisfies MainToHost, [port1]);
    contents.postMessage(ENGINE_PORT_CHANNEL, null, [port2]);
    return true;
  };

  const attachMain = (proc: UtilityProcess) => {
    const { port1, port2 } = new MessageChannelMain();
    proc.postMessage({ kind: 'connect', client: 'main' } satisfies MainToHost, [port1]);
    client = new EnginePortClient(fromMessagePortMain(port2));
    client.onLive((message) => liveListeners.forEach((l) => l(message)));
  };

  const spawn = () => {
    restartTimer = null;
    setStatus({ status: 'starting' });
    let startupError: string | null = null;
    const proc = utilityProcess.fork(options.modulePath, [], {
      serviceName: 'Vigil engine',
      cwd: options.cwd,
      env: { ...process.env, ...options.secretEnv?.(), VIGIL_ENGINE_OPTIONS: JSON.stringify(options.hostOptions) },
      stdio: 'inherit',
    });
    child = proc;
    proc.on('message', (message: HostToMain) => {
      if (message?.kind === 'ready') {
        url = message.url;
        readyAt = Date.now();
        attachMain(proc);
        setStatus({ status: 'running' });
        renderers.forEach(postPort);
      } else if (message?.kind === 'failed') {
        startupError = message.error;
      }
    });
    proc.on('exit', (code) => {
      if (child === proc) child = null;
      client?.close();
      client = null;
      url = null;
      if (stopping) return;
      if (startupError !== null) {
        // It never came up (the port is taken, say): trying again at once would fail the same way.
        setStatus({ status: 'failed', error: startupError });
        return;
      }
      if (readyAt > 0 && Date.now() - readyAt > ENGINE_STABLE_AFTER_MS) failures = 0;
      const delay = engineRestartDelay(failures++);
      setStatus({ status: 'failed', error: `the engine exited (code ${code}); starting it again in ${Math.round(delay / 100) / 10}s` });
      restartTimer = setTimeout(spawn, delay);
    });
  };

  spawn();

  return {
    get status() {
      return status;
    },
    get url() {
      return url;
    },
    call(request) {
      if (!client) return Promise.reject(new EngineGoneError('the engine is not running'));
      return client.call(request);
    },
    onLive(listener) {
      liveListeners.add(listener);
      return () => liveListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    connectRenderer(contents) {
      if (!renderers.has(contents)) {
        renderers.add(contents);
        contents.once('destroyed', () => renderers.delete(contents));
      }
      return postPort(contents);
    },
    restart() {
      if (stopping || child) return;
      if (restartTimer) clearTimeout(restartTimer);
      failures = 0;
      restartTimer = setTimeout(spawn, ENGINE_RESTART_INITIAL_MS / 5);
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (restartTimer) clearTimeout(restartTimer);
        const proc = child;
        if (!proc) return resolve();
        const timer = setTimeout(() => proc.kill(), options.stopTimeoutMs ?? 20_000);
        proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        proc.postMessage({ kind: 'shutdown' } satisfies MainToHost);
      });
      return stopping;
    },
  };
}
