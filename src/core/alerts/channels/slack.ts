// Slack: an incoming webhook, posted a Block Kit message.
// Docs (checked for this file):
//   https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks  (POST JSON; 200 "ok")
//   https://docs.slack.dev/reference/block-kit/blocks  (at most 50 blocks in a message)
//   https://docs.slack.dev/reference/block-kit/blocks/header-block  (plain_text, at most 150 chars)
//   https://docs.slack.dev/reference/block-kit/blocks/section-block  (text 1-3000 chars; at most
//     10 fields of at most 2000 chars each)
//   https://docs.slack.dev/reference/block-kit/blocks/context-block  (at most 10 elements)
//   https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks  (400
//     invalid_payload, 403 action_prohibited, 404 channel_not_found, 410 channel_is_archived, 500)
//   https://api.slack.com/docs/rate-limits  (about 1 message/s; 429 with Retry-After)
// The top-level `text` is the fallback Slack shows in notifications and where blocks cannot be.
import type { Alert, AlertNotification } from '../../../shared/alerts.ts';
import { secretRedactor } from '../notify/redact.ts';
import { alertFacts, alertUrl, lastLinesText, notificationHeadline, notificationTitle, reasonTag, truncate } from './alert-text.ts';
import type { AlertChannel, SendContext } from './channel.ts';
import { postJson } from './http-post.ts';

export const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextElements: 10, fallbackText: 3000 } as const;

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** mrkdwn gives meaning to &, < and > only; escaping them keeps log lines from becoming links
 * or mentions (https://docs.slack.dev/messaging/formatting-message-text#escaping). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const EMOJI: Record<string, string> = { CRITICAL: ':red_circle:', WARNING: ':large_orange_circle:', INFO: ':large_blue_circle:', RESOLVED: ':white_check_mark:', ACKNOWLEDGED: ':eyes:', TEST: ':test_tube:' };

/** Blocks for one alert: its summary and link, its facts as fields, its last output lines. */
function alertBlocks(notification: AlertNotification, alert: Alert): SlackBlock[] {
  const link = `<${alertUrl(notification, alert)}|Open in Vigil>`;
  const summary = truncate(`*${escapeMrkdwn(alert.summary)}*`, SLACK_LIMITS.sectionText - link.length - 3);
  const fields = alertFacts(alert)
    .slice(0, SLACK_LIMITS.fields)
    .map(([k, v]) => ({ type: 'mrkdwn' as const, text: truncate(`*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v)}`, SLACK_LIMITS.fieldText) }));
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${summary} · ${link}` } }, { type: 'section', fields }];
  // Code fences: room for the fence itself; the newest lines are kept.
  const last = lastLinesText(alert, SLACK_LIMITS.sectionText - 8);
  if (last) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '```' + escapeMrkdwn(last).replace(/```/g, "'''").slice(-(SLACK_LIMITS.sectionText - 8)) + '```' } });
  return blocks;
}

export function slackMessage(notification: AlertNotification): SlackMessage {
  const tag = reasonTag(notification);
  const header = truncate(`${tag}: ${notificationHeadline(notification)}`, SLACK_LIMITS.headerText);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: header, emoji: true } }];
  // The closing context block is always there; alerts that would not fit are counted in it.
  const room = SLACK_LIMITS.blocks - 2;
  let shown = 0;
  for (const alert of notification.alerts) {
    const more = [...(shown > 0 ? [{ type: 'divider' } as SlackBlock] : []), ...alertBlocks(notification, alert)];
    if (blocks.length + more.length > room) break;
    blocks.push(...more);
    shown++;
  }
  const left = notification.alerts.length - shown;
  const context: TextObject[] = [{ type: 'mrkdwn', text: `${EMOJI[tag] ?? ''} Vigil · ${notification.reason} · <${notification.dashboardUrl}|dashboard>`.trim() }];
  if (left > 0) context.push({ type: 'mrkdwn', text: `…and ${left} more alert${left === 1 ? '' : 's'}: see the dashboard` });
  blocks.push({ type: 'context', elements: context });
  return { text: truncate(notificationTitle(notification), SLACK_LIMITS.fallbackText), blocks };
}

export interface SlackChannelOptions {
  name: string;
  webhookUrl: string;
  timeoutMs: number;
}

export function slackChannel(options: SlackChannelOptions): AlertChannel {
  const redact = secretRedactor([options.webhookUrl]);
  return {
    name: options.name,
    kind: 'slack',
    redact,
    async send(notification: AlertNotification, context: SendContext) {
      await postJson({ receiver: 'Slack', url: options.webhookUrl, body: slackMessage(notification), timeoutMs: options.timeoutMs, now: context.now, signal: context.signal, redact });
    },
  };
}
