// Discord: a channel webhook, executed with embeds.
// Docs (checked for this file):
//   https://discord.com/developers/docs/resources/webhook#execute-webhook  (POST JSON; content up
//     to 2000 chars; up to 10 embeds; 204 No Content, or 200 with ?wait=true)
//   https://discord.com/developers/docs/resources/message#embed-object-embed-limits  (title 256,
//     description 4096, up to 25 fields, field name 256 / value 1024, footer 2048, author 256;
//     the sum over all embeds of a message at most 6000)
//   https://discord.com/developers/docs/resources/message#allowed-mentions-object  (parse: [] so
//     a log line saying @everyone pings nobody)
//   https://discord.com/developers/docs/topics/rate-limits  (429 with Retry-After and a JSON
//     body whose retry_after is in seconds)
import type { Alert, AlertNotification, AlertSeverity } from '../../../shared/alerts.ts';
import { secretRedactor } from '../notify/redact.ts';
import { alertFacts, alertUrl, lastLinesText, notificationTitle, truncate } from './alert-text.ts';
import type { AlertChannel, SendContext } from './channel.ts';
import { postJson } from './http-post.ts';

export const DISCORD_LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

export interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  timestamp: string;
  fields: Array<{ name: string; value: string; inline: boolean }>;
  footer?: { text: string };
}

export interface DiscordMessage {
  username: string;
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: string[] };
}

const COLOR: Record<AlertSeverity | 'resolved', number> = { critical: 0xd93025, warning: 0xf29900, info: 0x1a73e8, resolved: 0x188038 };

/** Characters of an embed that count towards the message's 6000. */
export function embedLength(embed: DiscordEmbed): number {
  return embed.title.length + (embed.description?.length ?? 0) + embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0) + (embed.footer?.text.length ?? 0);
}

/** An alert as an embed, cut to fit `budget` characters (at least the title always fits). */
function alertEmbed(notification: AlertNotification, alert: Alert, budget: number): DiscordEmbed {
  const color = alert.state === 'resolved' ? COLOR.resolved : COLOR[alert.severity];
  const embed: DiscordEmbed = {
    title: truncate(alert.summary, Math.min(DISCORD_LIMITS.title, budget)),
    url: alertUrl(notification, alert),
    color,
    timestamp: alert.updatedAt,
    fields: [],
  };
  let left = budget - embed.title.length;
  const last = lastLinesText(alert, 1500);
  if (last && left > 100) {
    const fenced = '```\n' + last.replace(/```/g, "'''") + '\n```';
    embed.description = fenced.length <= left ? fenced : '```\n…' + last.replace(/```/g, "'''").slice(-(left - 12)) + '\n```';
    left -= embed.description.length;
  }
  for (const [name, value] of alertFacts(alert).slice(0, DISCORD_LIMITS.fields)) {
    const field = { name: truncate(name, DISCORD_LIMITS.fieldName), value: truncate(value || '-', DISCORD_LIMITS.fieldValue), inline: value.length <= 40 };
    const cost = field.name.length + field.value.length;
    if (cost > left) break;
    embed.fields.push(field);
    left -= cost;
  }
  return embed;
}

export function discordMessage(notification: AlertNotification): DiscordMessage {
  const content = truncate(notificationTitle(notification), DISCORD_LIMITS.content);
  const embeds: DiscordEmbed[] = [];
  let total = 0;
  const alerts = notification.alerts;
  // The last embed slot says how many did not fit, when some do not.
  const slots = alerts.length > DISCORD_LIMITS.embeds ? DISCORD_LIMITS.embeds - 1 : DISCORD_LIMITS.embeds;
  const reserve = 120;
  for (const alert of alerts.slice(0, slots)) {
    const budget = Math.min(DISCORD_LIMITS.total - total - reserve, Math.floor((DISCORD_LIMITS.total - reserve) / Math.min(alerts.length, slots)));
    if (budget < 20) break;
    const embed = alertEmbed(notification, alert, budget);
    embeds.push(embed);
    total += embedLength(embed);
  }
  const left = alerts.length - embeds.length;
  if (left > 0) {
    embeds.push({ title: `…and ${left} more alert${left === 1 ? '' : 's'}`, url: notification.dashboardUrl, color: COLOR.info, timestamp: notification.createdAt, fields: [] });
  }
  return { username: 'Vigil', content, embeds, allowed_mentions: { parse: [] } };
}

export interface DiscordChannelOptions {
  name: string;
  webhookUrl: string;
  timeoutMs: number;
}

export function discordChannel(options: DiscordChannelOptions): AlertChannel {
  const redact = secretRedactor([options.webhookUrl]);
  return {
    name: options.name,
    kind: 'discord',
    redact,
    async send(notification: AlertNotification, context: SendContext) {
      await postJson({ receiver: 'Discord', url: options.webhookUrl, body: discordMessage(notification), timeoutMs: options.timeoutMs, now: context.now, signal: context.signal, redact });
    },
  };
}
