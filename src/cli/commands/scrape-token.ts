// `vigil scrape-token`: the token Prometheus scrapes /metrics with (made on first use, here or
// by the engine), and a scrape config to paste into prometheus.yml. Works without a running
// engine: the engine reads the token file at every scrape, so a token made or replaced here
// takes effect at once. Not `vigil metrics`, which queries the history.
import type { Command } from 'commander';
import { readJsonFile } from '../../core/kit/json-file.ts';
import { vigilPaths } from '../../core/paths.ts';
import { ensureVigilHome } from '../../core/private-files.ts';
import { ScrapeToken } from '../../core/server/prometheus/scrape-token.ts';
import { DEFAULT_API_PORT } from '../../shared/contract.ts';
import { portArg } from '../args.ts';

/** A prometheus.yml scrape config for the engine on `port`. Strings are JSON-quoted, which YAML
 * reads as they are, whatever the path holds. */
export function scrapeConfig(port: number, tokenFile: string): string {
  return [
    'scrape_configs:',
    '  - job_name: vigil',
    '    static_configs:',
    `      - targets: ["127.0.0.1:${port}"]`,
    '    authorization:',
    `      credentials_file: ${JSON.stringify(tokenFile)}`,
  ].join('\n');
}

export function addScrapeTokenCommand(program: Command): void {
  program
    .command('scrape-token')
    .description('print the token Prometheus scrapes /metrics with, and a scrape config for prometheus.yml')
    .option('--rotate', 'replace the token (scrapers holding the old one are refused from now on)')
    .option('-q, --quiet', 'print the token alone')
    .option('-p, --port <port>', "the engine's API port for the config (default: the running engine's, else 7357)", portArg)
    .action((opts: { rotate?: boolean; quiet?: boolean; port?: number }) => {
      const paths = vigilPaths();
      ensureVigilHome(paths.home);
      const file = new ScrapeToken(paths.scrapeToken);
      const { token: existing, replacedBecause } = file.load();
      if (replacedBecause) console.error(`vigil: ${replacedBecause}`);
      const token = opts.rotate ? file.rotate() : existing;
      if (opts.rotate) console.error('vigil: a new scrape token is in place; the old one is refused from now on');
      if (opts.quiet) return void console.log(token);
      const port = opts.port ?? readJsonFile<{ port?: number }>(paths.engine, {}).port ?? DEFAULT_API_PORT;
      console.log(token);
      console.log('');
      console.log(`# For prometheus.yml. Prometheus reads ${paths.scrapeToken} at every scrape (so a new token needs no reload).`);
      console.log('# It is readable by you alone: if Prometheus runs as another user, put `credentials: <the token>` in place of');
      console.log('# `credentials_file`, in a config only that user can read. The API token does not open /metrics.');
      console.log(scrapeConfig(port, paths.scrapeToken));
    });
}
