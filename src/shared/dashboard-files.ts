// How the dashboard's files are served, by `vigil serve` over HTTP and by the app's vigil://
// handler alike. The Content-Security-Policy goes with every file as a header, and is repeated
// in src/renderer/index.html's <meta> tag (a test keeps the two in step). No inline script or style: the renderer styles through its
// stylesheet and React style properties (CSSOM), which this policy does not block. The
// WebSocket sources are for the browser transport; in the app the page talks over a
// MessagePort and opens no socket.
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** The content-type of a dashboard file, by its extension. */
export function contentTypeFor(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot > Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) ? CONTENT_TYPES[file.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}
