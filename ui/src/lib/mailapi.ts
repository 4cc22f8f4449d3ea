// Alarm e-mail (issue 13) for the admin: the SMTP server (the password goes to the OS
// keyring on the server, never back to the browser), people's addresses, the durable
// queue, a test mail. And the pure pieces the mail section needs.

import { t } from './i18n.svelte';
import type { ApiClient } from './api';
import type { MailView, QueuedMail, Security, SmtpBody, TestMailResult } from './types';

export class MailApi {
  private readonly c: ApiClient;

  constructor(client: ApiClient) {
    this.c = client;
  }

  view(): Promise<MailView> {
    return this.c.request('GET', '/api/mail');
  }
  /** `password`: left out keeps the stored one, '' removes it. */
  settings(body: SmtpBody): Promise<MailView> {
    return this.c.request('PUT', '/api/mail/settings', body);
  }
  /** '' removes the address. */
  email(userId: number, email: string): Promise<MailView> {
    return this.c.request('PUT', `/api/mail/recipients/${userId}`, { email });
  }
  test(to: string): Promise<TestMailResult> {
    return this.c.request('POST', '/api/mail/test', { to });
  }
  retry(): Promise<MailView> {
    return this.c.request('POST', '/api/mail/retry');
  }
}

/** The usual port of each kind of connection. */
export function defaultPort(s: Security): number {
  switch (s) {
    case 'starttls':
      return 587;
    case 'tls':
      return 465;
    case 'none':
      return 25;
  }
}

/** The settings form's body: the password only when the admin typed one (or asked to remove it). */
export function settingsBody(
  f: { host: string; port: number; security: Security; username: string; sender: string },
  password: string,
  removePassword: boolean,
): SmtpBody {
  const body: SmtpBody = {
    host: f.host.trim(),
    port: Number(f.port),
    security: f.security,
    username: f.username.trim(),
    sender: f.sender.trim(),
  };
  if (removePassword) body.password = '';
  else if (password !== '') body.password = password;
  return body;
}

/** Where the password is, in words. */
export function passwordLabel(v: Pick<MailView, 'password' | 'password_note'>): string {
  switch (v.password) {
    case 'keyring':
      return t('alarms.mail.pw_keyring');
    case 'memory':
      return t('alarms.mail.pw_memory');
    default:
      return t('alarms.mail.pw_none');
  }
}

/** A queued mail's state in words. */
export function queueState(m: Pick<QueuedMail, 'state' | 'attempts' | 'last_error'>): string {
  if (m.state === 'sent') return t('alarms.mail.sent');
  if (m.state === 'failed') return t('alarms.mail.refused', { error: m.last_error ?? '' });
  if (m.attempts === 0) return t('alarms.mail.waiting');
  return t('alarms.mail.waiting_tries', { n: m.attempts, error: m.last_error ?? '' });
}
