// Email over SMTP (nodemailer): plain text and a simple HTML part; the subject says the severity
// and the summary; a notification for a group lists every alert in it.
// Docs: https://nodemailer.com/smtp/ (createTransport options: host, port, secure, auth,
// connectionTimeout, greetingTimeout, socketTimeout) and https://nodemailer.com/message/.
// SMTP itself says which failures are worth another try (RFC 5321 §4.2.1): 4yz replies are
// transient, 5yz permanent; no reply at all (refused, timed out) is transient too.
import nodemailer from 'nodemailer';
import type { Alert, AlertNotification } from '../../../shared/alerts.ts';
import { DeliveryError } from '../notify/delivery-error.ts';
import { answerExcerpt, secretRedactor } from '../notify/redact.ts';
import { alertFacts, alertPlainText, alertUrl, lastLinesText, notificationTitle, truncate } from './alert-text.ts';
import type { AlertChannel, SendContext } from './channel.ts';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const MAX_SUBJECT = 200;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function alertHtml(notification: AlertNotification, alert: Alert): string {
  const rows = alertFacts(alert)
    .map(([k, v]) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const last = lastLinesText(alert, 4000);
  const output = last ? `<p>Last output:</p><pre style="background:#f4f4f4;padding:8px">${escapeHtml(last)}</pre>` : '';
  return `<h3>${escapeHtml(alert.summary)}</h3><table>${rows}</table>${output}<p><a href="${escapeHtml(alertUrl(notification, alert))}">Open in Vigil</a></p>`;
}

export function emailMessage(notification: AlertNotification): EmailMessage {
  const title = notificationTitle(notification);
  const subject = truncate(`[Vigil] ${title}`, MAX_SUBJECT);
  const text = [title, '', ...notification.alerts.flatMap((a) => [alertPlainText(notification, a), '']), `Dashboard: ${notification.dashboardUrl}`, ''].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif"><h2>${escapeHtml(title)}</h2>${notification.alerts
    .map((a) => alertHtml(notification, a))
    .join('<hr>')}<p style="color:#666">Sent by Vigil · <a href="${escapeHtml(notification.dashboardUrl)}">dashboard</a></p></body></html>`;
  return { subject, text, html };
}

export interface EmailChannelOptions {
  name: string;
  to: string[];
  from: string;
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password: string | null;
  timeoutMs: number;
}

/** nodemailer's errors carry the server's reply code and text, or a code of its own. */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

export function emailChannel(options: EmailChannelOptions): AlertChannel {
  const redact = secretRedactor([options.password]);
  const where = `SMTP server ${options.host}:${options.port}`;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    name: options.name,
    kind: 'email',
    redact,
    async send(notification: AlertNotification, context: SendContext) {
      const message = emailMessage(notification);
      try {
        await transport.sendMail({
          from: options.from,
          to: options.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'X-Vigil-Notification': notification.id, 'X-Vigil-Delivery': context.deliveryId },
        });
      } catch (error) {
        const e = error as SmtpError;
        const reply = e.response ? answerExcerpt(e.response, redact) : redact(e.message);
        if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
          throw new DeliveryError(`${where} refused the mail (${e.responseCode}): ${reply}`, { retryable: false });
        }
        const what = typeof e.responseCode === 'number' ? `answered ${e.responseCode}` : `could not be reached (${e.code ?? 'error'})`;
        throw new DeliveryError(`${where} ${what}: ${reply}`, { retryable: true });
      }
    },
    stop() {
      transport.close();
    },
  };
}
