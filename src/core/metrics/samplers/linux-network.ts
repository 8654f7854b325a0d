// Bytes received and sent per interface from /proc/net/dev: after "name:", receive bytes is
// the first column and transmit bytes the ninth. Loopback is kept: on a dev machine most of a
// stack's own traffic (service to service, browser to dev server) runs over it.
import type { InterfaceBytes } from './network-series.ts';
import type { ProcFileReader } from './proc-file-reader.ts';

export function readLinuxNetwork(reader: ProcFileReader, file = '/proc/net/dev'): InterfaceBytes[] | null {
  const text = reader.text(file);
  if (text === null) return null;
  const interfaces: InterfaceBytes[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue; // the two header lines have none
    const columns = line.slice(colon + 1).trim().split(/\s+/);
    if (columns.length < 9) continue;
    interfaces.push({ name: line.slice(0, colon).trim(), rxBytes: Number(columns[0]), txBytes: Number(columns[8]) });
  }
  return interfaces;
}
