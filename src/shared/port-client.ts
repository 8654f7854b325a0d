// A client of the engine over a MessagePort: calls with replies, and live messages. Used by
// Electron main (tray, notifications) and by the preload (for the renderer). No Electron or
// Node import: it runs in both.
import type { Endpoint } from './endpoints.ts';
import type { EngineMethod, EngineRequest, EngineResults, PortMessage } from './engine-protocol.ts';
import type { LiveMessage } from './events.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class EngineGoneError extends Error {}

export class EnginePortClient {
  private readonly endpoint: Endpoint;
  private readonly timeoutMs: number;
  private readonly pending = new Map<number, Pending>();
  private readonly liveListeners = new Set<(message: LiveMessage) => void>();
  private readonly closeListeners = new Set<() => void>();
  private nextId = 1;
  private closed = false;

  constructor(endpoint: Endpoint, options: { timeoutMs?: number } = {}) {
    this.endpoint = endpoint;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    endpoint.onMessage((data) => this.receive(data as PortMessage));
    endpoint.onClose(() => this.shutDown('the engine closed the connection'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  call<M extends EngineMethod>(request: Extract<EngineRequest, { method: M }>): Promise<EngineResults[M]> {
    if (this.closed) return Promise.reject(new EngineGoneError('not connected to the engine'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the engine did not answer "${request.method}" within ${this.timeoutMs / 1000}s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.endpoint.send({ id, call: request });
    });
  }

  /** Live state, events and metrics ticks; returns the unsubscribe function. */
  onLive(listener: (message: LiveMessage) => void): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.endpoint.close();
    this.shutDown('the connection to the engine was closed');
  }

  private receive(message: PortMessage): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.kind === 'reply') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(message.error));
      return;
    }
    if (message.kind === 'state' || message.kind === 'event' || message.kind === 'metrics') this.liveListeners.forEach((l) => l(message));
  }

  private shutDown(why: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new EngineGoneError(why));
    }
    this.pending.clear();
    this.closeListeners.forEach((l) => l());
  }
}
