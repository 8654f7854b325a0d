// The words for the history's state, when it is not being written (pure).
import type { HistoryStatus } from '../../shared/metrics.ts';

/** "history paused: disk full", or null while history is written. */
export function historyPausedText(status: HistoryStatus | null | undefined): string | null {
  if (!status || status.writing) return null;
  const reason = status.reason?.trim();
  return `history paused: ${reason || 'no reason given'}`;
}
