// Every route of the local API against malformed input: bad path parameters, bad query
// parameters, malformed and wrongly typed JSON, nulls, huge bodies. No answer may be a 5xx
// or a dropped connection, and every refusal says what was wrong, naming the field.
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { vigilPaths } from '../../src/core/paths.ts';
import { type RunningServer, startServer } from '../../src/core/serve.ts';
import { readToken } from '../../src/core/server/token.ts';
import { SERVED_ROUTES, type ServedRoutes } from '../../src/core/server/api-routes.ts';
import { accessFor, matchRoute, routeKeys } from '../../src/core/server/route-table.ts';
import { FIXTURE, freePort, NODE, tempDir, waitFor, writeStack } from '../helpers/stack.ts';

// The server's own route table: typed over the contract (ApiRoutes, ScrapeRoutes), so every
// route of the API is here, with the query parameters and the body it reads, and the token it
// takes (GET /metrics takes the scrape token).
const ROUTES = SERVED_ROUTES;
const ROUTE_KEYS = routeKeys(ROUTES);

let server: RunningServer;
let token: string;
let scrapeToken: string;
let apiPort: number;
/** A port nobody holds: freeing it kills nothing. */
let idlePort: number;

beforeAll(async () => {
  const dir = tempDir();
  const servicePort = await freePort();
  idlePort = await freePort();
  const file = writeStack(dir, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${servicePort}"]\n    port: ${servicePort}\n`);
  server = await startServer({ files: [file], port: 0, paths: vigilPaths(path.join(dir, 'home')), print: () => {} });
  apiPort = server.api.port;
  token = readToken(server.engine.paths.token)!;
  scrapeToken = readToken(server.engine.paths.scrapeToken)!;
  await waitFor('web running', () => server.engine.snapshot().services[0]?.state === 'running');
});
afterAll(async () => {
  await server?.stop();
});

interface Answer {
  status: number;
  error: string | null;
}

/** The token of the route at `route` (the scrape token for /metrics), found by the server's own matching. */
function tokenFor(method: string, route: string): string {
  let access: string = 'api';
  try {
    const segments = new URL(route, 'http://127.0.0.1').pathname.split('/').filter(Boolean).map(decodeURIComponent);
    access = accessFor(ROUTES, matchRoute(ROUTES, method, segments), segments);
  } catch {
    // a malformed %-escape: the API's check
  }
  return access === 'scrape' ? scrapeToken : token;
}

/** One request on a fresh connection; a reset or a dropped connection fails the test. */
function call(method: string, route: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: apiPort,
        method,
        path: route,
        agent: false,
        headers: {
          host: `127.0.0.1:${apiPort}`,
          authorization: `Bearer ${tokenFor(method, route)}`,
          // Node's client frames a GET's body only when told how: without a length the bytes
          // would read as a second, garbled request.
          ...(body !== undefined && !headers['transfer-encoding'] ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let error: string | null = null;
          try {
            const json = JSON.parse(text) as { error?: unknown };
            if (typeof json?.error === 'string') error = json.error;
          } catch {
            reject(new Error(`${method} ${route}: the answer is not JSON: ${text.slice(0, 200)}`));
          }
          resolve({ status: res.statusCode!, error });
        });
        res.on('error', (err) => reject(new Error(`${method} ${route}: ${err.message}`)));
      },
    );
    req.on('error', (err) => reject(new Error(`${method} ${route}: connection failed: ${err.message}`)));
    req.end(body);
  });
}

/** The route's path with each :param filled in, one of them with `value` when given. */
function fill(key: keyof ServedRoutes, replace?: { param: string; value: string }): { method: string; route: string } {
  const [method, pattern] = key.split(' ') as [string, string];
  const valid: Record<string, string> = { name: 'web', action: 'restart', machine: 'm1', port: String(idlePort) };
  const route = pattern.replace(/:(\w+)/g, (_m, param: string) => (replace?.param === param ? replace.value : valid[param]!));
  return { method, route };
}

function expectRefusal(answer: Answer, where: string, ...words: string[]): void {
  expect(answer.status, `${where}: status`).toBeGreaterThanOrEqual(400);
  expect(answer.status, `${where}: status`).toBeLessThan(500);
  expect(answer.error, `${where}: error message`).toEqual(expect.any(String));
  for (const word of words) expect(answer.error, `${where}: message names ${word}`).toContain(word);
}

const BAD_SEGMENTS = [
  'nope',
  '%E0', // a malformed %-escape
  '%00',
  `${'x'.repeat(4000)}`,
  '..',
  '%2E%2E%2F%2E%2E',
  '__proto__',
  'constructor',
  'toString',
  '%F0%9F%98%80',
  'a%20b',
  '-1',
  '0',
  '1.5',
  '99999',
  '0x50',
  '1e3',
  '%2080',
  'NaN',
  'Infinity',
];

describe('every route, every way wrong', () => {
  test('the routes that read a body are the ones whose bodies are fuzzed below', () => {
    expect(ROUTE_KEYS.length).toBeGreaterThanOrEqual(13);
    expect(ROUTE_KEYS.filter((k) => ROUTES[k].body)).toEqual(['PUT /api/auto-restart']);
  });

  test.each(ROUTE_KEYS.filter((k) => ROUTES[k].body))('%s: a body that is not the JSON object it takes gets a 400', async (key) => {
    const { method, route } = fill(key);
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`; // just under the size limit
    for (const body of ['', '{', 'nul', 'null', '[]', '"text"', '0', 'false', deep, `"${'x'.repeat(60_000)}"`, Buffer.from([0xff, 0xfe, 0x00])]) {
      const answer = await call(method, route, body, { 'content-type': 'application/json' });
      expect(answer.status, `${key} with ${String(body).slice(0, 20)}`).toBe(400);
      expectRefusal(answer, `${key} with ${String(body).slice(0, 20)}`);
    }
  });

  test.each(ROUTE_KEYS.filter((k) => k.includes(':')))('%s: bad path parameters get a 4xx that says which', async (key) => {
    const params = [...key.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    for (const param of params) {
      for (const value of BAD_SEGMENTS) {
        const { method, route } = fill(key, { param, value });
        const answer = await call(method, route);
        const where = `${method} ${route.slice(0, 80)}`;
        expectRefusal(answer, where);
      }
    }
  });

  test.each(ROUTE_KEYS.filter((k) => ROUTES[k].query))('%s: bad query parameters get a 400 naming the parameter', async (key) => {
    for (const name of ROUTES[key].query!) {
      for (const value of ['-1', 'abc', '1.5', '', '0x10', '%20%205', '1e400', '99999999999999999999999999', 'NaN']) {
        const { method, route } = fill(key);
        const answer = await call(method, `${route}?${name}=${value}`);
        expect(answer.status, `${route}?${name}=${value}`).toBe(400);
        expectRefusal(answer, `${route}?${name}=${value}`, `"${name}"`);
      }
    }
  });

  test.each(ROUTE_KEYS)('%s: a body over the limit gets a 413, not a reset', async (key) => {
    const { method, route } = fill(key);
    const before = server.engine.snapshot().services[0]!.pid;
    const answer = await call(method, route, Buffer.alloc(4 * 1024 * 1024, 'a'), { 'content-type': 'application/json' });
    expect(answer.status, `${key}`).toBe(413);
    expectRefusal(answer, key, 'body');
    // Streamed without a length, too.
    const chunked = await call(method, route, Buffer.alloc(1024 * 1024, 'a'), { 'transfer-encoding': 'chunked' });
    expect(chunked.status, `${key} chunked`).toBe(413);
    // Refused before acting: the service was not restarted.
    expect(server.engine.snapshot().services[0]!.pid).toBe(before);
  });

  test.each(ROUTE_KEYS)('%s: other methods on its path get a 4xx', async (key) => {
    const { route } = fill(key);
    for (const method of ['DELETE', 'PATCH', 'OPTIONS', key.startsWith('GET') ? 'POST' : 'GET']) {
      if (`${method} ${key.split(' ')[1]}` in ROUTES) continue;
      expectRefusal(await call(method, route), `${method} ${route}`);
    }
  });
});

describe('PUT /api/auto-restart: every malformed body gets a 400 naming the field', () => {
  const deep = `{"enabled":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
  const cases: [body: string | Buffer, words: string[]][] = [
    ['', ['JSON body']],
    ['   ', ['JSON body']],
    ['{', ['not valid JSON']],
    ['{enabled:true}', ['not valid JSON']],
    ['\u{feff}{"enabled":true}', ['not valid JSON']],
    [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), ['not valid JSON']],
    ['null', ['"enabled"']],
    ['[]', ['"enabled"']],
    ['"enabled"', ['"enabled"']],
    ['1', ['"enabled"']],
    ['true', ['"enabled"']],
    ['{}', ['"enabled"', 'missing']],
    ['{"enabled":null}', ['"enabled"', 'null', '"service"']],
    ['{"enabled":"yes"}', ['"enabled"', '"yes"']],
    ['{"enabled":1}', ['"enabled"']],
    ['{"enabled":{}}', ['"enabled"']],
    ['{"enabled":[true]}', ['"enabled"']],
    [deep, ['"enabled"']],
    ['{"enabled":true,"service":5}', ['"service"']],
    ['{"enabled":true,"service":""}', ['"service"']],
    ['{"enabled":true,"service":null}', ['"service"']],
    ['{"enabled":true,"service":["web"]}', ['"service"']],
    [`{"enabled":true,"service":"${'s'.repeat(20_000)}"}`, ['"service"']],
    ['{"enabled":true,"extra":1}', ['"extra"']],
    ['{"enabled":true,"__proto__":{"polluted":1}}', ['"__proto__"']],
    ['{"enabled":true,"service":"nope"}', ['"nope"']],
    ['{"enabled":true,"service":"__proto__"}', ['"__proto__"']],
  ];
  test.each(cases.map(([body, words]) => ({ body, words, label: String(body).slice(0, 60) })))('$label', async ({ body, words }) => {
    const answer = await call('PUT', '/api/auto-restart', body, { 'content-type': 'application/json' });
    expectRefusal(answer, String(body).slice(0, 60), ...words);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('the well-formed bodies still work', async () => {
    expect((await call('PUT', '/api/auto-restart', '{"enabled":false,"service":"web"}')).status).toBe(200);
    expect((await call('PUT', '/api/auto-restart', '{"enabled":null,"service":"web"}')).status).toBe(200);
    expect((await call('PUT', '/api/auto-restart', '{"enabled":true}')).status).toBe(200);
  });
});
