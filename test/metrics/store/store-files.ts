// A history file in a temp folder (removed after each test), and a seeded random source so
// that a failing test fails the same way again.
import path from 'node:path';
import { tempDir } from '../../helpers/temp-files.ts';

export const historyFile = () => path.join(tempDir(), 'history.db');

/** Mulberry32: a tiny seeded generator, uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
