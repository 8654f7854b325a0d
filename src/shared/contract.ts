// The contract between the engine and everything that talks to it (CLI, HTTP/WebSocket
// clients, Electron main, preload and renderer): every type that crosses a process boundary.
// Types, a few constants and pure helpers, so every layer, the sandboxed renderer included,
// can import it without pulling in Node or Electron. One file per topic; this one is the door
// to all of them (files outside src/shared import from here):
//   services.ts         a supervised service: state, snapshot, logs, incidents, commands
//   tunnels.ts          a watched tunnel (ngrok, cloudflared)
//   fly.ts              the watched Fly.io app and its machines; restart results
//   metrics.ts          metric series, history queries, live ticks
//   state.ts            the state snapshot, one section per subsystem
//   events.ts           the event stream and the live messages (WS /api/events, ports)
//   alerts.ts           alerts, silences, notifications, deliveries (the alert pipeline)
//   api-routes.ts       the HTTP routes and what each answers; the default API port
//   engine-protocol.ts  the MessagePort protocol (the engine in Electron's utility process)
//   ipc.ts              Electron IPC channels between the preload and main
//   vigil-bridge.ts     what the preload exposes to the renderer as window.vigil
// Beside them, code every side of a MessagePort runs, still free of Node and Electron:
//   endpoints.ts        one Endpoint over Electron's, the DOM's and Node's message ports
//   port-client.ts      the client end of the engine protocol (Electron main, the preload)
// and what the engine and the app must agree on without sending it:
//   engine-secrets.ts   the engine's secrets in the environment, kept from the services
//   dashboard-files.ts  how the dashboard's files are served (the CSP, content types)
//   dashboard-routes.ts addresses inside the dashboard (a service's view), for deep links
export * from './alerts.ts';
export * from './api-routes.ts';
export * from './engine-protocol.ts';
export * from './events.ts';
export * from './fly.ts';
export * from './ipc.ts';
export * from './metrics.ts';
export * from './services.ts';
export * from './state.ts';
export * from './tunnels.ts';
export * from './vigil-bridge.ts';
