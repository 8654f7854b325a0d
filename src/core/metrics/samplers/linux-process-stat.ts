// One process's line of /proc/PID/stat, parsed from bytes: it is read for every process of
// every service on every tick, so no strings are made. The command name in parentheses may
// hold spaces and parentheses itself, so fields are counted from the last ')'. After it:
// state(0) ppid(1) ... utime(11) stime(12) ... num_threads(17) itrealvalue(18) starttime(19)
// vsize(20) rss(21), times in ticks and rss in pages.
import { type ProcFileReader, readUnsigned, skipFields } from './proc-file-reader.ts';

export interface ProcessStat {
  ppid: number;
  /** utime + stime, in ticks (TICKS_PER_SECOND). */
  cpuTicks: number;
  threads: number;
  rssPages: number;
  /** Ticks after boot when the process started: with the pid, it tells a process from a later
   * one that got the same pid. */
  startTicks: number;
  zombie: boolean;
}

export function newProcessStat(): ProcessStat {
  return { ppid: 0, cpuTicks: 0, threads: 0, rssPages: 0, startTicks: 0, zombie: false };
}

const CLOSE_PAREN = 41;
const ZOMBIE = 90; // 'Z'
const DEAD = 88; // 'X'

/** Fills `into` from `file` (/proc/PID/stat); false when the process is gone. */
export function readProcessStat(reader: ProcFileReader, file: string, into: ProcessStat): boolean {
  const end = reader.read(file);
  if (end <= 0) return false;
  const bytes = reader.bytes;
  let paren = end - 1;
  while (paren >= 0 && bytes[paren] !== CLOSE_PAREN) paren--;
  if (paren < 0) return false;
  let at = paren + 2; // the state letter
  const state = bytes[at];
  into.zombie = state === ZOMBIE || state === DEAD;
  at = skipFields(bytes, at, end, 1);
  into.ppid = readUnsigned(bytes, at, end);
  at = skipFields(bytes, at, end, 10);
  const utime = readUnsigned(bytes, at, end);
  at = skipFields(bytes, at, end, 1);
  const stime = readUnsigned(bytes, at, end);
  at = skipFields(bytes, at, end, 5);
  into.threads = readUnsigned(bytes, at, end);
  at = skipFields(bytes, at, end, 2);
  into.startTicks = readUnsigned(bytes, at, end);
  at = skipFields(bytes, at, end, 2);
  into.rssPages = readUnsigned(bytes, at, end);
  into.cpuTicks = utime + stime;
  return utime >= 0 && stime >= 0 && into.rssPages >= 0;
}
