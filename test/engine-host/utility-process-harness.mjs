// Loaded with `node --import` before dist/engine-host/engine-host.mjs: plays Electron's part
// for the engine host. It provides process.parentPort (which only a utility process has) and,
// for each `connect`, a MessagePort whose other end it relays to the test over Node's IPC:
//   test -> host:  { to: 'host', message }        (parentPort messages; `connect` gets a port)
//                  { to: 'port', id, message }    (into the client end of port `id`)
//   host -> test:  { from: 'host', message }      (parentPort.postMessage)
//                  { from: 'port', id, message }  (what the host sent on port `id`)
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';

/** Node's MessagePort dressed as Electron's MessagePortMain (message events carry `data`). */
function asMessagePortMain(port) {
  return {
    postMessage: (message) => port.postMessage(message),
    on(event, listener) {
      if (event === 'message') port.on('message', (data) => listener({ data, ports: [] }));
      else port.on(event, listener);
      return this;
    },
    start: () => port.start(),
    close: () => port.close(),
  };
}

const parentPort = new EventEmitter();
parentPort.postMessage = (message) => process.send({ from: 'host', message });
// Like Electron's parentPort, hold messages until the host listens for them.
const queued = [];
const deliver = (event) => (parentPort.listenerCount('message') > 0 ? parentPort.emit('message', event) : queued.push(event));
parentPort.on('newListener', (name) => {
  if (name === 'message') setImmediate(() => queued.splice(0).forEach((event) => parentPort.emit('message', event)));
});
const clientEnds = new Map();
let nextId = 1;

process.on('message', (envelope) => {
  if (envelope.to === 'host') {
    const ports = [];
    if (envelope.message?.kind === 'connect') {
      const { port1, port2 } = new MessageChannel();
      const id = nextId++;
      clientEnds.set(id, port2);
      port2.on('message', (message) => process.send({ from: 'port', id, message }));
      ports.push(asMessagePortMain(port1));
    }
    deliver({ data: envelope.message, ports });
  } else if (envelope.to === 'port') {
    clientEnds.get(envelope.id)?.postMessage(envelope.message);
  } else if (envelope.to === 'close-port') {
    clientEnds.get(envelope.id)?.close();
  }
});
// The IPC channel must not keep a finished host alive.
process.channel?.unref();

process.parentPort = parentPort;
