// `vigil logs <service>`: recent output, and with -f what follows.
import type { Command } from 'commander';
import type { LogLine } from '../../shared/contract.ts';
import { countArg } from '../args.ts';
import type { EngineClient } from '../engine-client.ts';

function formatLog(line: LogLine, service: string): string {
  return `${line.time.slice(11, 23)} ${service} ${line.stream === 'stderr' ? 'err' : line.stream === 'vigil' ? '***' : 'out'} | ${line.text}`;
}

export function addLogsCommand(program: Command, client: () => EngineClient): void {
  program
    .command('logs <service>')
    .description("print a service's recent output")
    .option('-n, --lines <n>', 'how many lines', countArg, 100)
    .option('-f, --follow', 'keep printing new lines')
    .action(async (service: string, opts: { lines: number; follow?: boolean }) => {
      const c = client();
      const path = `/api/services/${encodeURIComponent(service)}/logs`;
      let { lines } = await c.get<{ lines: LogLine[] }>(`${path}?n=${opts.lines}`);
      lines.forEach((l) => console.log(formatLog(l, service)));
      if (!opts.follow) return;
      let after = lines.at(-1)?.seq ?? 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        ({ lines } = await c.get<{ lines: LogLine[] }>(`${path}?n=1000&after=${after}`));
        lines.forEach((l) => console.log(formatLog(l, service)));
        after = lines.at(-1)?.seq ?? after;
      }
    });
}
