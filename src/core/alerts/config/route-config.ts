// The stack file's settings for the middle of the alert pipeline: where notifications go and
// how they are batched (`route:`, named and defaulted as in Prometheus' Alertmanager), quiet
// hours, and flap damping. The integrator spreads `alertFlowShape` into the `alerts:` section
// of the stack file schema (beside the rules and channels), so errors get the same file:line
// reporting as the rest of the file; nothing here imports config/schema.ts.
import { z } from 'zod';
import type { AlertSeverity } from '../../../shared/alerts.ts';
import { duration, positiveDuration, SERVICE_NAME, show, strictObject } from '../../kit/schema-kit.ts';

const SEVERITIES = ['info', 'warning', 'critical'] as const;

const severity = (what: string, fallback: AlertSeverity) =>
  z
    .enum(SEVERITIES, { error: (i) => `expected "info", "warning" or "critical", got ${show(i.input)}` })
    .default(fallback)
    .meta({ description: `${what} Default ${fallback}.` });

const channelName = z
  .string({ error: (i) => `expected the name of a channel, got ${show(i.input)}` })
  .regex(SERVICE_NAME, { error: (i) => `expected the name of a channel (letters, digits, "-", "_", "."), got ${show(i.input)}` });

const channelList = (what: string) =>
  z.array(channelName, { error: (i) => `expected a list of channel names such as [desktop, slack], got ${show(i.input)}` }).meta({ description: what });

/** Alertmanager's `...`: group by every label, i.e. one notification per alert. */
export const GROUP_BY_ALL = '...';

const labelName = z
  .string({ error: (i) => `expected a label name such as "alertname" or "service", got ${show(i.input)}` })
  .regex(/^([A-Za-z_][A-Za-z0-9_]*|\.\.\.)$/, { error: (i) => `expected a label name such as "alertname" or "service" (letters, digits, "_"), or "...", got ${show(i.input)}` });

const escalationSchema = strictObject(
  {
    after: positiveDuration(15 * 60_000, '15m', 'How long an alert may stay firing and unacknowledged before it also goes to the `to` channels.'),
    to: channelList('Channels that an unacknowledged alert escalates to, e.g. [pagerduty].').min(1, { error: 'name at least one channel to escalate to, e.g. to: [pagerduty]' }),
    severity: severity('The least severity that escalates.', 'critical'),
  },
  'escalation settings',
);

const routeSchema = strictObject(
  {
    channels: channelList('The default route: channels that get an alert whose rule names none.').default(['desktop']),
    group_by: z
      .array(labelName, { error: (i) => `expected a list of label names such as [alertname], got ${show(i.input)}` })
      .default(['alertname'])
      .meta({ description: 'Labels whose values batch alerts into one notification (five services down make one notification, not five). "..." groups by every label, i.e. not at all. Default [alertname].' }),
    // Alertmanager waits 30s: right for a server fleet whose alerts arrive from many scrapes, too
    // slow for a desktop app. A local stack's cascade (server crashes, the runner's health check
    // fails 3 x 1s later, the tunnel's probe after that) unfolds within a few seconds; 5s
    // catches it in one notification and still tells the user before they notice themselves.
    group_wait: duration(5000, '5s', 'How long a new group waits for more alerts (and for a root cause that mutes them) before its first notification. Alertmanager\'s default is 30s.'),
    // Alertmanager's 5m is long for "another service went down too" on a laptop; 1m keeps a
    // storm to one notification a minute per group.
    group_interval: positiveDuration(60_000, '1m', 'How long a group waits, after a notification, before it tells of alerts that joined or resolved since. Alertmanager\'s default is 5m.'),
    repeat_interval: positiveDuration(4 * 3_600_000, '4h', 'How long before a still firing, unacknowledged alert is notified again. As Alertmanager.'),
    escalation: escalationSchema.optional().meta({ description: 'Send an alert that stays unacknowledged to more channels (e.g. PagerDuty). Off unless given.' }),
  },
  'route settings',
);

const CLOCK_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

const clockTime = (what: string) =>
  z
    .string({ error: (i) => `expected a time of day such as "22:00", got ${show(i.input)}` })
    .regex(CLOCK_TIME, { error: (i) => `expected a time of day such as "22:00" (24-hour HH:MM), got ${show(i.input)}` })
    .meta({ description: what });

const quietHoursSchema = strictObject(
  {
    from: clockTime('When quiet hours start, local time (the system\'s time zone), e.g. "22:00".'),
    to: clockTime('When quiet hours end, local time, e.g. "08:00"; before `from` means the next morning.'),
    allow: z
      .enum(['critical', 'none'], { error: (i) => `expected "critical" or "none", got ${show(i.input)}` })
      .default('critical')
      .meta({ description: 'What still notifies during quiet hours: critical alerts, or nothing. Default critical.' }),
  },
  'quiet hours',
).refine((q) => q.from !== q.to, { error: 'quiet hours need `from` and `to` to differ (for no notifications at all, pause alerts instead)', path: ['to'] });

const flapSchema = strictObject(
  {
    changes: z
      .number({ error: (i) => `expected a number of changes (a whole number), got ${show(i.input)}` })
      .int({ error: (i) => `expected a number of changes (a whole number), got ${show(i.input)}` })
      .min(2, { error: (i) => `expected at least 2 changes, got ${show(i.input)}` })
      .default(4)
      .meta({ description: 'An alert that fires or resolves more than this many times within `window` is flapping: it is held firing (no more resolve/fire notifications) until it settles. Default 4.' }),
    window: positiveDuration(10 * 60_000, '10m', 'The time in which changes are counted.'),
    settle: positiveDuration(5 * 60_000, '5m', 'How long a flapping alert\'s condition must stay the same before it counts as settled (and resolves, if it is clear).'),
  },
  'flap damping settings',
);

/** The keys this part adds to the stack file's `alerts:` section. */
export const alertFlowShape = {
  route: routeSchema.prefault({}).meta({ description: 'Where alert notifications go and how they are batched, as in Alertmanager\'s route: group_by, group_wait, group_interval, repeat_interval, escalation.' }),
  quiet_hours: quietHoursSchema.optional().meta({ description: 'Hours in which only critical alerts (or none) notify, e.g. from "22:00" to "08:00". Off unless given.' }),
  flap: flapSchema.prefault({}).meta({ description: 'Flap damping: an alert that keeps firing and resolving is held firing until it settles.' }),
};

/** The same keys as a section of their own, for tests and for callers outside the stack file. */
export const alertFlowSchema = strictObject(alertFlowShape, 'alert settings');

export type AlertFlowSpecInput = z.input<typeof alertFlowSchema>;
export type AlertFlowSpec = z.output<typeof alertFlowSchema>;

export interface EscalationConfig {
  afterMs: number;
  to: string[];
  minSeverity: AlertSeverity;
}

export interface RouteConfig {
  /** The default route's channels. */
  channels: string[];
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  escalation: EscalationConfig | null;
}

export interface QuietHoursConfig {
  /** Minutes after local midnight. from > to spans midnight. */
  fromMinute: number;
  toMinute: number;
  allow: 'critical' | 'none';
}

export interface FlapConfig {
  changes: number;
  windowMs: number;
  settleMs: number;
}

/** The resolved settings of the alert flow: every default filled in, durations in ms. */
export interface AlertFlowConfig {
  route: RouteConfig;
  quietHours: QuietHoursConfig | null;
  flap: FlapConfig;
}

const minuteOfDay = (hhmm: string) => {
  const [, hours, minutes] = CLOCK_TIME.exec(hhmm)!;
  return Number(hours) * 60 + Number(minutes);
};

export function resolveAlertFlowConfig(spec: AlertFlowSpec): AlertFlowConfig {
  const { route, quiet_hours: quiet, flap } = spec;
  return {
    route: {
      channels: route.channels,
      groupBy: route.group_by,
      groupWaitMs: route.group_wait,
      groupIntervalMs: route.group_interval,
      repeatIntervalMs: route.repeat_interval,
      escalation: route.escalation ? { afterMs: route.escalation.after, to: route.escalation.to, minSeverity: route.escalation.severity } : null,
    },
    quietHours: quiet ? { fromMinute: minuteOfDay(quiet.from), toMinute: minuteOfDay(quiet.to), allow: quiet.allow } : null,
    flap: { changes: flap.changes, windowMs: flap.window, settleMs: flap.settle },
  };
}

/** The defaults, as a stack file without these keys gets them. */
export const DEFAULT_ALERT_FLOW_CONFIG: AlertFlowConfig = resolveAlertFlowConfig(alertFlowSchema.parse({}));

/** Channel names the settings refer to that the stack does not define, with the field path of
 * each (relative to the `alerts:` section), for the loader's cross-file checks. */
export function unknownRouteChannels(spec: AlertFlowSpec, known: ReadonlySet<string>): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const check = (names: string[], at: string[]) =>
    names.forEach((name, index) => {
      if (!known.has(name)) problems.push({ path: [...at, index], message: `no channel is named "${name}"; channels: ${[...known].join(', ') || 'none defined'}` });
    });
  check(spec.route.channels, ['route', 'channels']);
  if (spec.route.escalation) check(spec.route.escalation.to, ['route', 'escalation', 'to']);
  return problems;
}
