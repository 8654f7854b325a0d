// One engine event as a line of text, for `vigil events` and the bottom of `vigil top`.
import type { EngineEvent } from '../shared/contract.ts';

export function formatEvent(e: EngineEvent): string {
  const time = e.time.slice(11, 23);
  const who = e.service ? `${e.service}: ` : '';
  const transition = e.from && e.to && e.from !== e.to ? `${e.from} -> ${e.to}` : '';
  const text = transition && e.message !== e.to ? `${transition} (${e.message})` : transition || e.message;
  return `${time} ${e.type.padEnd(17)} ${who}${text}`;
}
