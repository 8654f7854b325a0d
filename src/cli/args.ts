// Parsers for command-line arguments; a bad value is reported by commander with the message.
import { InvalidArgumentError } from 'commander';

export function portArg(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('expected a port number (1-65535)');
  return port;
}

export function countArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

export const collect = (value: string, previous: string[]) => [...previous, value];
