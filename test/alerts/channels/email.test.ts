// Email: nodemailer's mail to a real SMTP server on loopback (smtp-server), with a login.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { afterEach, expect, test } from 'vitest';
import { emailChannel, emailMessage } from '../../../src/core/alerts/channels/email.ts';
import type { DeliveryError } from '../../../src/core/alerts/notify/delivery-error.ts';
import { sampleAlert, sampleNotification } from '../alert-samples.ts';

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

const servers: SMTPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const PASSWORD = 'smtp-canary-password-93f1';

/** An SMTP server on 127.0.0.1 that wants user "vigil" with PASSWORD, keeps every mail, and
 * answers RCPT TO with `rcptError` when given. */
async function smtpServer(rcptError?: { code: number; message: string }): Promise<{ port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'vigil' && auth.password === PASSWORD) callback(null, { user: 'vigil' });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (rcptError) callback(Object.assign(new Error(rcptError.message), { responseCode: rcptError.code }));
      else callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: String(session.envelope.mailFrom ? session.envelope.mailFrom.address : ''), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

const channel = (port: number, password = PASSWORD) =>
  emailChannel({ name: 'mail', to: ['oncall@example.com', 'dev@example.com'], from: 'vigil@example.com', host: '127.0.0.1', port, secure: false, user: 'vigil', password, timeoutMs: 5000 });
const context = { deliveryId: 'd-1', now: Date.now(), signal: new AbortController().signal };

test('the SMTP server receives the mail: severity and summary in the subject, text and HTML parts', async () => {
  const smtp = await smtpServer();
  await channel(smtp.port).send(sampleNotification('mail', [sampleAlert({ service: 'server' })]), context);
  expect(smtp.mails).toHaveLength(1);
  const mail = smtp.mails[0]!;
  expect(mail.from).toBe('vigil@example.com');
  expect(mail.to).toEqual(['oncall@example.com', 'dev@example.com']);
  expect(mail.raw).toMatch(/^Subject: \[Vigil\] \[CRITICAL\] server crashed \(exit code 1\)/m);
  expect(mail.raw).toContain('Content-Type: text/plain');
  expect(mail.raw).toContain('Content-Type: text/html');
  expect(mail.raw).toContain('X-Vigil-Delivery: d-1');
  expect(mail.raw).toContain('Error: boom');
});

test('a mail for a group lists every alert in it', async () => {
  const smtp = await smtpServer();
  const alerts = ['server', 'runner', 'worker', 'db', 'cache'].map((service) => sampleAlert({ service }));
  await channel(smtp.port).send(sampleNotification('mail', alerts), context);
  const text = emailMessage(sampleNotification('mail', alerts)).text;
  for (const a of alerts) expect(text).toContain(a.summary);
  expect(smtp.mails[0]!.raw).toMatch(/^Subject: \[Vigil\] \[CRITICAL\] 5 alerts firing:/m);
  for (const service of ['server', 'runner', 'worker', 'db', 'cache']) expect(smtp.mails[0]!.raw).toContain(`${service} crashed`);
});

test('HTML is escaped: a log line cannot inject markup', () => {
  const html = emailMessage(sampleNotification('mail', [sampleAlert({ details: { lastLines: ['<script>alert(1)</script>'] } })])).html;
  expect(html).toContain('&lt;script&gt;');
  expect(html).not.toContain('<script>');
});

test('a 5xx reply fails at once, a 4xx reply is retryable, a wrong password fails without showing it', async () => {
  const permanent = await smtpServer({ code: 550, message: 'No such user here' });
  const e550 = (await channel(permanent.port).send(sampleNotification('mail'), context).catch((e: unknown) => e)) as DeliveryError;
  expect([e550.retryable, e550.message]).toEqual([false, expect.stringContaining('No such user here')]);

  const transient = await smtpServer({ code: 451, message: 'Try again later' });
  const e451 = (await channel(transient.port).send(sampleNotification('mail'), context).catch((e: unknown) => e)) as DeliveryError;
  expect([e451.retryable, e451.message]).toEqual([true, expect.stringContaining('Try again later')]);

  const wrong = 'wrong-password-0000';
  const smtp = await smtpServer();
  const eAuth = (await channel(smtp.port, wrong).send(sampleNotification('mail'), context).catch((e: unknown) => e)) as DeliveryError;
  expect(eAuth.retryable).toBe(false);
  expect(eAuth.message).toContain('535');
  expect(eAuth.message).not.toContain(wrong);
  expect(smtp.mails).toHaveLength(0);
});
