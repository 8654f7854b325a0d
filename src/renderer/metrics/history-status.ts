// The words for the history's state, when it is not being written (pure).
import type { HistoryStatus } from '../../shared/metrics.ts';

const PREFIX = 'history paused';

/** "history paused: <reason>", or null while history is written. The engine's reason may
 * already start with the words (it is written for the logs as well). */
export function historyPausedText(status: HistoryStatus | null | undefined): string | null {
  if (!status || status.writing) return null;
  const reason = status.reason?.trim() ?? '';
  if (reason.toLowerCase().startsWith(PREFIX)) return reason;
  return `${PREFIX}: ${reason || 'no reason given'}`;
}
