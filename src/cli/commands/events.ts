// `vigil events`: recent events, and with -f the live stream.
import type { Command } from 'commander';
import { WebSocket } from 'ws';
import type { EngineEvent, LiveMessage } from '../../shared/contract.ts';
import { countArg } from '../args.ts';
import { type EngineClient, EngineUnreachable } from '../engine-client.ts';
import { formatEvent } from '../event-line.ts';

export function addEventsCommand(program: Command, client: () => EngineClient): void {
  program
    .command('events')
    .description('print recent events (state changes, exits, config reloads)')
    .option('-f, --follow', 'keep printing events as they happen')
    .option('--json', 'one JSON object per line')
    .option('-n, --lines <n>', 'how many recent events', countArg, 50)
    .action(async (opts: { follow?: boolean; json?: boolean; lines: number }) => {
      const c = client();
      const print = (e: EngineEvent) => console.log(opts.json ? JSON.stringify(e) : formatEvent(e));
      const { events } = await c.get<{ events: EngineEvent[] }>(`/api/events?limit=${opts.lines}`);
      events.forEach(print);
      if (!opts.follow) return;
      const lastId = events.at(-1)?.id ?? 0;
      await new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(c.liveUrl(), { headers: { authorization: `Bearer ${c.address.token}` } });
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as LiveMessage;
          if (message.kind === 'event' && message.event.id > lastId) print(message.event);
        });
        ws.on('close', () => resolve());
        ws.on('error', (err) => reject(new EngineUnreachable(`lost the engine: ${err.message}`)));
      });
    });
}
