// `vigil scrape-token` as a real process: the token made on first use (0600), the same token
// printed again, --quiet, --rotate, and the port of the scrape config. The config itself is
// proven against a real Prometheus in test/server/prometheus-scrape.test.ts.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { vigilPaths } from '../../src/core/paths.ts';
import { tempDir } from '../helpers/stack.ts';
import { vigil } from '../helpers/vigil-serve.ts';

test('made on first use without an engine, printed with a scrape config; --quiet, --rotate, --port', async () => {
  const home = tempDir();
  const paths = vigilPaths(home);
  const first = await vigil(home, ['scrape-token']);
  expect(first.code, first.stderr).toBe(0);
  const token = readFileSync(paths.scrapeToken, 'utf8').trim();
  expect(token).toMatch(/^[0-9a-f]{64}$/);
  expect(statSync(paths.scrapeToken).mode & 0o777).toBe(0o600);
  const [printed, blank] = first.stdout.split('\n');
  expect([printed, blank]).toEqual([token, '']);
  expect(first.stdout).toContain('targets: ["127.0.0.1:7357"]');
  expect(first.stdout).toContain(`credentials_file: ${JSON.stringify(paths.scrapeToken)}`);

  expect(await vigil(home, ['scrape-token', '--quiet'])).toMatchObject({ code: 0, stdout: `${token}\n` });

  const rotated = await vigil(home, ['scrape-token', '--rotate', '-q']);
  const next = rotated.stdout.trim();
  expect(next).toMatch(/^[0-9a-f]{64}$/);
  expect(next).not.toBe(token);
  expect(readFileSync(paths.scrapeToken, 'utf8').trim()).toBe(next);
  expect(rotated.stderr).toContain('the old one is refused');

  // The running engine's port, from its record; --port wins.
  writeFileSync(paths.engine, JSON.stringify({ pid: 1, port: 17_400 }));
  expect((await vigil(home, ['scrape-token'])).stdout).toContain('targets: ["127.0.0.1:17400"]');
  expect((await vigil(home, ['scrape-token', '--port', '17401'])).stdout).toContain('targets: ["127.0.0.1:17401"]');
  const bad = await vigil(home, ['scrape-token', '--port', 'x']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('expected a port number');
});
