// The alerts part of the API contract: alerts, silences, notifications and deliveries, as the
// engine's pipeline (src/core/alerts), the API, the CLI, the tray and the dashboard see them.
// Types and pure helpers only.
//
// The pipeline, by stage (laid out as Prometheus' Alertmanager is):
//   rules/      read samples, events and log lines; say for each alert key whether its
//               condition holds now (a RuleVerdict), nothing more
//   lifecycle   verdicts -> alerts: pending -> firing -> resolved, `for`, hysteresis, flap
//               damping, acknowledge, sleep/wake (pure functions of state and input)
//   silences    which alerts a silence (or "pause alerts", quiet hours) mutes
//   inhibit     which alerts a root cause mutes (a server down mutes its tunnel and dependents)
//   dispatch    alerts -> notifications: grouping, group wait/interval, repeat, escalation
//   notify      one file per channel kind under channels/, retries with backoff, delivery log

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** pending: the condition holds but not yet for its `for`; firing: notified; resolved: over. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** Labels identify an alert, as in Prometheus: `alertname` (the rule) plus what it is about
 * (service, tunnel, app, machine, mount, series...). The fingerprint is derived from them. */
export type AlertLabels = Record<string, string>;

/** What a rule says about one alert key at one moment. */
export interface RuleVerdict {
  /** The rule's name (built-in rules have fixed names, e.g. "service-crashed"). */
  rule: string;
  labels: AlertLabels;
  /** The condition holds now (for a threshold: beyond the threshold; after it fired: not yet
   * back past the clear threshold). */
  active: boolean;
  severity: AlertSeverity;
  /** How long the condition must hold before the alert fires (0: at once). */
  forMs: number;
  /** One line for a human: "server: CPU 93 % > 90 % for 2 min". */
  summary: string;
  details: AlertDetails;
  /** Channels the rule asks for (by channel name); empty means the default route. */
  channels: string[];
  /** The dashboard view to open for it (Alert.link), as a hash route ("#/service/server"):
   * the rule knows what its alert is about. Absent: the lifecycle picks one from the labels. */
  link?: string;
}

/** What the user needs to act, carried on every notification of the alert. */
export interface AlertDetails {
  value?: number | null;
  threshold?: number | null;
  /** The series a threshold, anomaly or forecast rule reads. */
  series?: string;
  unit?: string;
  service?: string;
  exitCode?: number | null;
  signal?: string | null;
  restarts?: number;
  /** A crash: the service's last output lines, oldest first. */
  lastLines?: string[];
  /** A leak forecast: when the series is expected to reach its limit. */
  forecast?: { limit: number; reachesAt: string } | null;
  /** A log rule: matching lines in the window, and a few of them. */
  matches?: number;
  /** Any other facts, as text (shown as a list). */
  facts?: Record<string, string>;
}

export interface Alert {
  /** Stable for one occurrence: the fingerprint plus when it started. Survives a restart. */
  id: string;
  /** Hash of the rule and labels: the same problem has the same fingerprint (deduplication,
   * PagerDuty's dedup_key, Alertmanager's identity). */
  fingerprint: string;
  rule: string;
  labels: AlertLabels;
  severity: AlertSeverity;
  state: AlertState;
  summary: string;
  details: AlertDetails;
  /** The dashboard view to open for it, as a hash route (e.g. "#/service/server"). */
  link: string;
  /** ISO 8601 times. */
  activeSince: string;
  firingSince: string | null;
  resolvedAt: string | null;
  updatedAt: string;
  acknowledged: { at: string; by: string } | null;
  /** Ids of the silences that mute it now (notifications held back, still listed). */
  silencedBy: string[];
  /** Fingerprint of the root-cause alert that mutes it now, if any. */
  inhibitedBy: string | null;
  /** Flap damping: it changed state too often and is held firing until it settles. */
  flapping: boolean;
}

/** Matches alerts by rule, service or any label; every given field must match. */
export interface SilenceMatcher {
  rule?: string;
  service?: string;
  labels?: AlertLabels;
}

export interface Silence {
  id: string;
  matcher: SilenceMatcher;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** Channel kinds; a stack may name several channels of one kind. */
export type ChannelKind = 'desktop' | 'slack' | 'discord' | 'webhook' | 'email' | 'pagerduty' | 'alertmanager';

/** Why a notification is sent. */
export type NotificationReason = 'firing' | 'resolved' | 'repeat' | 'escalation' | 'acknowledged' | 'test';

/** What a channel is handed: one notification for a group of alerts (five services down
 * within the group window make one notification, not five). */
export interface AlertNotification {
  id: string;
  channel: string;
  reason: NotificationReason;
  /** The grouping key (e.g. "alertname=service-down"), stable while the group lives. */
  groupKey: string;
  alerts: Alert[];
  /** Base URL of the dashboard, for links ("http://127.0.0.1:7357/"). */
  dashboardUrl: string;
  createdAt: string;
}

export type DeliveryState = 'pending' | 'sent' | 'retrying' | 'failed' | 'expired';

/** One notification's delivery to one channel: kept, persisted, shown in the alert's history. */
export interface DeliveryRecord {
  id: string;
  notificationId: string;
  channel: string;
  kind: ChannelKind;
  reason: NotificationReason;
  alertIds: string[];
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

export interface ChannelStatus {
  name: string;
  kind: ChannelKind;
  /** The last delivery went through (null: nothing sent yet). */
  ok: boolean | null;
  lastError: string | null;
  /** Deliveries waiting for the channel to come back. */
  queued: number;
  /** A secret the channel needs is missing (named, never shown). */
  missingSecret: string | null;
}

/** The alerts part of the state snapshot. */
export interface AlertsSnapshot {
  /** Pending, firing, and recently resolved alerts (the history is in the API). */
  alerts: Alert[];
  silences: Silence[];
  /** "Pause alerts for 1 h": no notification goes out until then (alerts still open). */
  pausedUntil: string | null;
  /** Quiet hours are in force now (only critical alerts notify, or none: per settings). */
  quiet: boolean;
  channels: ChannelStatus[];
  /** The worst severity among firing, unacknowledged, unsilenced alerts (the tray's colour). */
  worst: AlertSeverity | null;
}

export interface AlertsApiRoutes {
  'GET /api/alerts': { alerts: Alert[] };
  /** ?before=ISO&limit=N: resolved alerts, newest first, with their delivery logs. */
  'GET /api/alerts/history': { alerts: Alert[]; deliveries: DeliveryRecord[] };
  'POST /api/alerts/:id/ack': { alert: Alert };
  'GET /api/silences': { silences: Silence[] };
  'POST /api/silences': { silence: Silence };
  'DELETE /api/silences/:id': { ok: true };
  'POST /api/alerts/pause': { pausedUntil: string | null };
  'POST /api/alerts/test/:channel': { delivery: DeliveryRecord };
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** The worse of two severities (null is none). */
export function worseSeverity(a: AlertSeverity | null, b: AlertSeverity | null): AlertSeverity | null {
  if (a === null) return b;
  if (b === null) return a;
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}
