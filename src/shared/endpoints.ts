// Adapters from the kinds of message ports Vigil meets to one Endpoint. Structural types only,
// so this file imports neither Electron nor the DOM.

/** A message endpoint, whatever kind of port is underneath (Electron's MessagePortMain, a DOM
 * MessagePort, Node's worker_threads MessagePort). */
export interface Endpoint {
  send(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/** Electron's MessagePortMain (main process, utility process). */
export interface MessagePortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export function fromMessagePortMain(port: MessagePortMainLike): Endpoint {
  let started = false;
  const start = () => {
    if (!started) port.start();
    started = true;
  };
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.on('message', (event) => listener(event.data));
      start();
    },
    onClose: (listener) => void port.on('close', listener),
    close: () => port.close(),
  };
}

/** A DOM MessagePort (renderer, preload). */
export interface DomMessagePortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

export function fromDomMessagePort(port: DomMessagePortLike): Endpoint {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.addEventListener('message', (event) => listener(event.data));
      port.start();
    },
    // Chromium fires `close` on a MessagePort whose other end went away (the engine died).
    onClose: (listener) => port.addEventListener('close', listener),
    close: () => port.close(),
  };
}
