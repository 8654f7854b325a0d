// Quiet hours: a daily span of local time (the system's time zone, e.g. 22:00-08:00) in which
// only critical alerts notify, or none. Local time comes from Intl, so the span follows the
// zone's daylight saving changes; the zone is a parameter so that tests can pin one.
import type { AlertSeverity } from '../../../shared/alerts.ts';
import type { QuietHoursConfig } from '../config/route-config.ts';

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight in the time zone. */
export function localMinuteOfDay(wallMs: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(wallMs)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

export function inQuietHours(quiet: QuietHoursConfig | null, wallMs: number, timeZone: string): boolean {
  if (!quiet) return false;
  const minute = localMinuteOfDay(wallMs, timeZone);
  // from > to spans midnight: 22:00-08:00 is 22:00-24:00 and 00:00-08:00.
  return quiet.fromMinute < quiet.toMinute ? minute >= quiet.fromMinute && minute < quiet.toMinute : minute >= quiet.fromMinute || minute < quiet.toMinute;
}

/** Whether quiet hours (in force now) let an alert of this severity notify. */
export function quietAllows(quiet: QuietHoursConfig, severity: AlertSeverity): boolean {
  return quiet.allow === 'critical' && severity === 'critical';
}
