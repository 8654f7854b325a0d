// The dashboard's Content-Security-Policy, wherever it runs: sent as a header by `vigil serve`
// and by the app's vigil:// handler, and repeated in src/renderer/index.html's <meta> tag (a
// test keeps the two in step). No inline script or style: the renderer styles through its
// stylesheet and React style properties (CSSOM), which this policy does not block. The
// WebSocket sources are for the browser transport; in the app the page talks over a
// MessagePort and opens no socket.
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
