// What Linux's /proc says about a process. Reading these files costs no subprocess, so they
// are read synchronously; every function answers null when the process is gone or hidden.
import { readFileSync } from 'node:fs';

/** The command line as `ps` shows it. */
export function procCommandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || null;
  } catch {
    return null;
  }
}

/** Parent pid and process group, from /proc/PID/stat. */
export function procParentAndGroup(pid: number): { ppid: number; pgrp: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}
