// Who listens on a port. On Linux this reads /proc (no subprocess, so it is cheap enough to
// ask at every start); elsewhere it asks lsof.
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import net from 'node:net';
import type { PortHolder } from '../../shared/contract.ts';
import { procCommandLine, procParentAndGroup } from './proc-files.ts';

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortOpen(port: number, timeoutMs = 500, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The process's command line, as `ps` would show it; null when it is gone or hidden. */
export async function commandLineOf(pid: number): Promise<string | null> {
  if (process.platform === 'linux') return procCommandLine(pid);
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'command=', '-p', String(pid)], (err, out) => resolve(err ? null : out.trim() || null));
  });
}

/** The process group of a pid (Linux only; null elsewhere or when unknown). */
export async function processGroupOf(pid: number): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  return procParentAndGroup(pid)?.pgrp ?? null;
}

async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== '0A') continue; // 0A = LISTEN
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

async function pidOwningSocket(inodes: Set<string>): Promise<number | null> {
  const wanted = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (wanted.has(await readlink(`/proc/${pid}/fd/${fd}`))) return Number(pid);
      } catch {
        // the fd closed while we looked
      }
    }
  }
  return null;
}

function lsofListener(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    execFile('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], (err, out) => {
      const pid = Number.parseInt(out?.split('\n')[0] ?? '', 10);
      resolve(err || Number.isNaN(pid) ? null : pid);
    });
  });
}

/** The process listening on `port`, or null when none is (or it cannot be seen). */
export async function findPortHolder(port: number): Promise<PortHolder | null> {
  let pid: number | null = null;
  if (process.platform === 'linux') {
    const inodes = await listeningInodes(port);
    if (inodes.size > 0) pid = await pidOwningSocket(inodes);
  } else {
    pid = await lsofListener(port);
  }
  if (pid === null) return null;
  return { pid, command: (await commandLineOf(pid)) ?? '(command line not visible)' };
}
