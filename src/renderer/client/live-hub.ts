// One live connection for the whole page, handed to everyone who listens: the dashboard's
// state and events, and each chart's metrics ticks. A second client.subscribe() would open a
// second WebSocket (and count as a second watcher on the engine).
import type { LiveMessage } from '../../shared/contract.ts';
import type { ConnectionStatus, EngineClient } from './engine-client.ts';

type MessageListener = (message: LiveMessage) => void;
type StatusListener = (status: ConnectionStatus) => void;

export class LiveHub {
  private readonly client: Pick<EngineClient, 'subscribe'>;
  private readonly messageListeners = new Set<MessageListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private status: ConnectionStatus = 'connecting';
  /** The connection's latest state message, for a listener that comes after it was sent. */
  private lastState: LiveMessage | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(client: Pick<EngineClient, 'subscribe'>) {
    this.client = client;
  }

  get connection(): ConnectionStatus {
    return this.status;
  }

  /** Same contract as EngineClient.subscribe (the current state first): a listener that comes
   * after the connection opened is told its status and its latest state at once. The
   * connection opens with the first listener and closes after the last. */
  subscribe(listener: MessageListener, onStatus?: StatusListener): () => void {
    this.messageListeners.add(listener);
    if (onStatus) {
      this.statusListeners.add(onStatus);
      onStatus(this.status);
    }
    if (this.lastState) listener(this.lastState);
    if (!this.unsubscribe) {
      this.unsubscribe = this.client.subscribe(
        (message) => {
          if (message.kind === 'state') this.lastState = message;
          for (const l of [...this.messageListeners]) l(message);
        },
        (status) => {
          this.status = status;
          for (const l of [...this.statusListeners]) l(status);
        },
      );
    }
    return () => {
      this.messageListeners.delete(listener);
      if (onStatus) this.statusListeners.delete(onStatus);
      if (this.messageListeners.size === 0 && this.unsubscribe) {
        const off = this.unsubscribe;
        this.unsubscribe = null;
        this.status = 'connecting';
        this.lastState = null;
        off();
      }
    };
  }
}
