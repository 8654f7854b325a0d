import { describe, expect, it } from 'vitest';
import { historyPausedText } from '../../src/renderer/metrics/history-status.ts';

const status = (writing: boolean, reason: string | null) => ({ writing, reason, sizeBytes: 0, since: writing ? null : '2026-01-01T00:00:00.000Z' });

describe('history status words', () => {
  it('says nothing while history is written', () => {
    expect(historyPausedText(status(true, null))).toBeNull();
    expect(historyPausedText(undefined)).toBeNull();
  });

  it('says history is paused, and why, once', () => {
    expect(historyPausedText(status(false, 'the file is locked by another program'))).toBe('history paused: the file is locked by another program');
    expect(historyPausedText(status(false, 'history paused: the disk is full (SQLITE_FULL)'))).toBe('history paused: the disk is full (SQLITE_FULL)');
    expect(historyPausedText(status(false, null))).toBe('history paused: no reason given');
  });
});
