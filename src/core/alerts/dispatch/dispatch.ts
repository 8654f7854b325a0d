// Alerts -> notifications, per channel: routing, grouping, repeats, escalation, and what
// silences, inhibitions, the pause and quiet hours hold back. A pure function of the state,
// the alerts as they are now, and the time.
//
// Grouping follows Alertmanager (https://prometheus.io/docs/alerting/latest/configuration/#route,
// and its dispatch/dispatch.go and notify/notify.go), per channel:
// - group_by: alerts with equal values of these labels form one group, one notification.
// - group_wait: "How long to initially wait to send a notification for a group of alerts.
//   Allows to wait for an inhibiting alert to arrive or collect more initial alerts for the
//   same group." A group is born with its first firing alert; it first flushes group_wait later.
// - group_interval: "How long to wait before sending a notification about new alerts that are
//   added to a group of alerts for which an initial notification has already been sent."
//   After each flush, the next one is group_interval later, whether or not anything was sent.
// - repeat_interval: "How long to wait before sending a notification again if it has already
//   been sent successfully for an alert." Checked at a flush, so a repeat lands on the first
//   flush at least repeat_interval after the last notification.
// - At a flush, as Alertmanager's DedupStage.needsUpdate: notify when the group has a firing
//   alert the channel was not told of; else when alerts the channel saw fire have resolved (and
//   it wants resolves); else when repeat_interval has passed. A group whose alerts have all
//   resolved and been told so ends; the next alert starts a new one, with group_wait again.
// So, per channel and group, notifications come at most once per flush: the first
// group_wait after the group is born, then one per group_interval (ack notices aside: they
// answer the user and go at once).
//
// Vigil's additions: a silenced, inhibited, paused or quiet alert is not sent as firing (and
// does not count as new until it is let through). Unlike Alertmanager, where muting happens
// after grouping, a group is born only of an alert it may send: a muted alert does not start
// the group's clock, so a critical alert that follows it within quiet hours is not held back
// to the muted one's next group_interval. An alert a channel saw fire is closed on it
// when it resolves even if it is silenced or inhibited by then, but the pause and quiet hours
// hold the close back too, until they end. Acknowledged alerts are not repeated. Escalation:
// a firing alert of the escalation's severity, unacknowledged, unsilenced and uninhibited for
// `after`, is routed to the escalation's channels too, for the rest of its life (so they get
// its resolve).
import type { Alert, AlertNotification, AlertSeverity, NotificationReason } from '../../../shared/alerts.ts';
import type { QuietHoursConfig, RouteConfig } from '../config/route-config.ts';
import { copyCollection } from '../lifecycle/alert-record.ts';
import { MACHINE_SLEPT_RULE } from '../lifecycle/machine-slept.ts';
import { quietAllows } from '../silences/quiet-hours.ts';
import { type DispatchChannel, severityAtLeast } from './dispatch-channel.ts';
import { groupKey } from './group-key.ts';

/** One group of one channel: Alertmanager's aggregation group plus its notification log entry. */
export interface GroupState {
  channel: string;
  key: string;
  nextFlushRun: number;
  lastNotifiedRun: number | null;
  /** Alerts the channel was told are firing (id -> severity told), until it is told they
   * resolved: which channels saw an alert fire. */
  told: Record<string, AlertSeverity>;
}

export interface DispatchState {
  /** By `${channel}\n${key}`. */
  groups: Record<string, GroupState>;
  /** Alert id -> run time it escalated. */
  escalated: Record<string, number>;
  /** Numbers the notifications, for their ids. */
  seq: number;
}

export const EMPTY_DISPATCH: DispatchState = { groups: {}, escalated: {}, seq: 0 };

/** An alert as the dispatch sees it: the alert (flags set by the stages before) and its routing. */
export interface RoutedAlert {
  alert: Alert;
  /** The rule's channels; empty: the default route. */
  channels: readonly string[];
  firingSinceRun: number | null;
}

export interface DispatchInput {
  alerts: readonly RoutedAlert[];
  /** Alerts acknowledged in this step. */
  acknowledged: readonly Alert[];
  route: RouteConfig;
  channels: readonly DispatchChannel[];
  runMs: number;
  wallMs: number;
  paused: boolean;
  /** Quiet hours, when in force now. */
  quiet: QuietHoursConfig | null;
  dashboardUrl: string;
}

const groupId = (channel: string, key: string) => `${channel}\n${key}`;

/** The channels an alert goes to before any escalation: the rule's, else the default route. */
const baseChannels = (routed: RoutedAlert, route: RouteConfig) => (routed.channels.length > 0 ? routed.channels : route.channels);

export function dispatch(state: DispatchState, input: DispatchInput): { state: DispatchState; notifications: AlertNotification[] } {
  const { route, runMs: run } = input;
  const channels = new Map(input.channels.map((c) => [c.name, c]));
  const byId = new Map<string, RoutedAlert>();
  // channel -> group key -> alerts routed there
  const members = new Map<string, Map<string, RoutedAlert[]>>();
  const join = (name: string, key: string, routed: RoutedAlert) => {
    const channel = channels.get(name);
    if (!channel || !severityAtLeast(routed.alert.severity, channel.minSeverity)) return;
    let byKey = members.get(name);
    if (!byKey) {
      byKey = new Map();
      members.set(name, byKey);
    }
    const list = byKey.get(key);
    if (list) list.push(routed);
    else byKey.set(key, [routed]);
  };
  for (const routed of input.alerts) {
    const { alert } = routed;
    if (alert.state === 'pending' || alert.rule === MACHINE_SLEPT_RULE) continue;
    byId.set(alert.id, routed);
  }
  const escalated = escalate(state.escalated, byId, input);
  for (const routed of byId.values()) {
    const key = groupKey(routed.alert.labels, route.groupBy);
    const base = baseChannels(routed, route);
    for (const name of base) join(name, key, routed);
    if (route.escalation && escalated[routed.alert.id] !== undefined) for (const name of route.escalation.to) if (!base.includes(name)) join(name, key, routed);
  }

  // The pause and quiet hours hold back everything of a severity, closes included.
  const held = (severity: AlertSeverity) => input.paused || (input.quiet !== null && !quietAllows(input.quiet, severity));
  const sendable = ({ alert }: RoutedAlert) => alert.state === 'firing' && alert.silencedBy.length === 0 && alert.inhibitedBy === null && !held(alert.severity);

  const notifications: AlertNotification[] = [];
  let seq = state.seq;
  const notify = (group: GroupState, reason: NotificationReason, alerts: Alert[]) => {
    notifications.push({
      id: `n-${input.wallMs.toString(36)}-${(seq++).toString(36)}`,
      channel: group.channel,
      reason,
      groupKey: group.key,
      alerts: alerts.sort(bySeverityThenAge),
      dashboardUrl: input.dashboardUrl,
      createdAt: new Date(input.wallMs).toISOString(),
    });
  };

  // Most groups are left as they were by an evaluation: the collection is copied only if one
  // is born, flushed or ends.
  let groups = state.groups;
  const update = (id: string, group: GroupState | null) => {
    if (groups === state.groups) groups = copyCollection(state.groups);
    if (group) groups[id] = group;
    else delete groups[id];
  };
  const visit = (id: string, previous: GroupState | undefined, name: string, key: string, list: readonly RoutedAlert[]) => {
    const channel = channels.get(name);
    let group = previous;
    if (!group) {
      if (!channel || !list.some(sendable)) return;
      group = { channel: name, key, nextFlushRun: run + route.groupWaitMs, lastNotifiedRun: null, told: {} };
    }
    // A channel removed from the stack: its groups go with it.
    if (!channel) return update(id, null);
    acknowledgements(group, channel, input.acknowledged, notify);
    if (run >= group.nextFlushRun) group = flush(group, list.filter(sendable), channel, byId, route, run, held, notify);
    // A group lives while its channel knows of a firing alert in it, or it has one to tell.
    const alive = hasAny(group.told) || list.some(sendable);
    if (!alive) {
      if (previous) update(id, null);
    } else if (group !== previous) update(id, group);
  };
  for (const [name, byKey] of members) for (const [key, list] of byKey) visit(groupId(name, key), state.groups[groupId(name, key)], name, key, list);
  // Groups none of whose alerts are routed here any more, that may still owe a resolve.
  for (const id in state.groups) {
    const group = state.groups[id]!;
    if (!members.get(group.channel)?.has(group.key)) visit(id, group, group.channel, group.key, []);
  }
  return { state: groups === state.groups && escalated === state.escalated && seq === state.seq ? state : { groups, escalated, seq }, notifications };
}

function flush(
  group: GroupState,
  firing: readonly RoutedAlert[],
  channel: DispatchChannel,
  byId: ReadonlyMap<string, RoutedAlert>,
  route: RouteConfig,
  run: number,
  held: (severity: AlertSeverity) => boolean,
  notify: (group: GroupState, reason: NotificationReason, alerts: Alert[]) => void,
): GroupState {
  const told: Record<string, AlertSeverity> = {};
  const closing: Alert[] = [];
  for (const [id, severity] of Object.entries(group.told)) {
    const alert = byId.get(id)?.alert;
    if (!alert) continue; // gone from the lifecycle without resolving (cannot happen while told): forget it
    if (alert.state !== 'resolved') told[id] = severity; // still firing, muted or not: the channel knows
    else if (held(alert.severity)) told[id] = severity;
    else closing.push(alert);
  }
  const fresh = firing.filter(({ alert }) => group.told[alert.id] === undefined || !severityAtLeast(group.told[alert.id]!, alert.severity));
  const repeatDue = group.lastNotifiedRun !== null && run - group.lastNotifiedRun >= route.repeatIntervalMs && firing.some((r) => r.alert.acknowledged === null);
  let sent = true;
  if (fresh.length > 0) {
    // Routed to this channel only because it escalated.
    const reason = fresh.every((r) => !baseChannels(r, route).includes(group.channel)) ? 'escalation' : 'firing';
    notify(group, reason, [...firing.map((r) => r.alert), ...(channel.sendResolved ? closing : [])]);
  } else if (closing.length > 0 && channel.sendResolved) notify(group, 'resolved', closing);
  else if (repeatDue) notify(group, 'repeat', firing.filter((r) => r.alert.acknowledged === null).map((r) => r.alert));
  else sent = false;
  for (const { alert } of firing) told[alert.id] = alert.severity;
  return { ...group, told, nextFlushRun: run + route.groupIntervalMs, lastNotifiedRun: sent ? run : group.lastNotifiedRun };
}

/** Ack notices go at once, to channels that saw the alert fire and take them. */
function acknowledgements(
  group: GroupState,
  channel: DispatchChannel,
  acknowledged: readonly Alert[],
  notify: (group: GroupState, reason: NotificationReason, alerts: Alert[]) => void,
): void {
  if (!channel.sendAcknowledged || acknowledged.length === 0) return;
  const told = acknowledged.filter((a) => group.told[a.id] !== undefined);
  if (told.length > 0) notify(group, 'acknowledged', told);
}

/** Marks the alerts that escalate now; forgets those gone from the lifecycle. */
function escalate(previous: Record<string, number>, present: ReadonlyMap<string, RoutedAlert>, input: DispatchInput): Record<string, number> {
  let next = previous;
  const set = (id: string, at: number | null) => {
    if (next === previous) next = copyCollection(previous);
    if (at === null) delete next[id];
    else next[id] = at;
  };
  for (const id in previous) if (!present.has(id)) set(id, null);
  const escalation = input.route.escalation;
  if (!escalation) return next;
  for (const { alert, firingSinceRun } of present.values()) {
    if (
      previous[alert.id] === undefined &&
      alert.state === 'firing' &&
      firingSinceRun !== null &&
      input.runMs - firingSinceRun >= escalation.afterMs &&
      severityAtLeast(alert.severity, escalation.minSeverity) &&
      alert.acknowledged === null &&
      alert.silencedBy.length === 0 &&
      alert.inhibitedBy === null
    )
      set(alert.id, input.runMs);
  }
  return next;
}

function hasAny(record: Record<string, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}

const RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };
const bySeverityThenAge = (a: Alert, b: Alert) => RANK[a.severity] - RANK[b.severity] || a.activeSince.localeCompare(b.activeSince);

/** Ids of alerts some channel saw fire and has not been told resolved: the lifecycle keeps these. */
export function alertsStillTold(state: DispatchState): Set<string> {
  const ids = new Set<string>();
  for (const key in state.groups) for (const id in state.groups[key]!.told) ids.add(id);
  return ids;
}
