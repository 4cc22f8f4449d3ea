// The audit log page's logic without UI: actions in words, which entries to highlight,
// and paging back through the log (newest first) by id.

import type { AuditEntry } from './types';

/** How many entries one page asks for. */
export const AUDIT_PAGE = 100;

const WORDS: Record<string, string> = {
  login: 'logged in',
  'login.failed': 'failed login',
  'login.refused': 'login refused (too many failures)',
  'login.locked': 'name locked (too many failures)',
  'password_change.failed': 'wrong current password',
  logout: 'logged out',
  setup: 'created the admin account',
  'user.create': 'created a user',
  'user.update': 'changed a user',
  'user.password_reset': 'reset a password',
  'user.password_change': 'changed their password',
  'config.import': 'imported configuration',
  'retention.change': 'changed retention',
  'retention.audit_below_floor': 'kept the audit log below its floor',
  'mfa.enrol': 'set up a second factor',
  'mfa.remove': 'removed their second factor',
  'mfa.reset': 'reset a second factor',
  'session.end': 'ended a session',
  'security.change': 'changed security settings',
  'tls.certificate': 'installed a TLS certificate',
  'vendor.create': 'created a vendor account',
  'vendor.update': 'changed a vendor account',
  'vendor.request': 'vendor request',
  'commission.read': 'test read',
  'commission.scan': 'scanned a line',
  'display.create': 'created a display',
  'display.revoke': 'revoked a display',
  'display.use': 'display opened from a new address',
  'display.failed': 'wrong display address',
  'display.refused': 'display address refused (too many wrong ones)',
  'stop.reason': 'gave a stop its reason',
  'reason.create': 'added a stop or scrap reason',
  'reason.update': 'changed a reason',
  'planned_stop.create': 'planned a stop',
  'planned_stop.cancel': 'cancelled a planned stop',
  'scrap.enter': 'entered scrap',
  'ideal_cycle.set': 'set an ideal cycle time',
  'operator.machines': "changed an operator's machines",
  'import.samples': 'imported samples',
  'import.events': 'imported production events',
  'backup.now': 'started a backup',
  'backup.restore': 'restored a backup',
  'backup.target_add': 'added a backup target',
  'backup.target_change': 'changed a backup target',
  'backup.target_remove': 'removed a backup target',
  'backup.drill': 'ran a restore drill',
  'support.bundle': 'downloaded a support bundle',
  'desktop.settings': 'changed who may quit the desktop app',
};

/** An action in words; an action this UI does not know is shown as it is. */
export function actionWords(action: string): string {
  return Object.hasOwn(WORDS, action) ? WORDS[action] : action;
}

/**
 * An entry's action in words, reading who did it: a password set by someone else than
 * its user (the demo's start, a script) is "changed the password", not "their".
 */
export function entryWords(e: Pick<AuditEntry, 'action' | 'actor' | 'target'>): string {
  if (e.action === 'user.password_change' && e.actor !== e.target) return 'changed the password';
  return actionWords(e.action);
}

/** Login attempts (and display addresses) that did not get in: highlighted in the log. */
export function isFailedLogin(action: string): boolean {
  return (
    action === 'login.failed' ||
    action === 'login.refused' ||
    action === 'login.locked' ||
    action === 'password_change.failed' ||
    action === 'display.failed' ||
    action === 'display.refused'
  );
}

/** The `before` for the next older page: the smallest id shown; null for an empty page. */
export function olderCursor(entries: AuditEntry[]): number | null {
  let min: number | null = null;
  for (const e of entries) if (min === null || e.id < min) min = e.id;
  return min;
}

/**
 * Paging back and forth: `cursors` holds the `before` of every page from the newest
 * (undefined) to the one shown. A page shorter than the limit is the oldest.
 */
export interface AuditPaging {
  cursors: (number | undefined)[];
  entries: AuditEntry[];
  /** True when no older entries exist. */
  oldest: boolean;
}

export function firstPage(entries: AuditEntry[], limit = AUDIT_PAGE): AuditPaging {
  return { cursors: [undefined], entries, oldest: entries.length < limit };
}

/**
 * The paging after an older page came back for `before`. An empty answer keeps the page
 * shown and marks it the oldest (the previous page held exactly `limit` entries).
 */
export function olderPage(
  p: AuditPaging,
  before: number,
  entries: AuditEntry[],
  limit = AUDIT_PAGE,
): AuditPaging {
  if (entries.length === 0) return { ...p, oldest: true };
  return { cursors: [...p.cursors, before], entries, oldest: entries.length < limit };
}

/** The `before` of the newer page next to the one shown; null on the newest page. */
export function newerCursor(p: AuditPaging): number | undefined | null {
  return p.cursors.length > 1 ? p.cursors[p.cursors.length - 2] : null;
}

/** The paging after the newer page came back. */
export function newerPage(p: AuditPaging, entries: AuditEntry[], limit = AUDIT_PAGE): AuditPaging {
  const cursors = p.cursors.length > 1 ? p.cursors.slice(0, -1) : p.cursors;
  return { cursors, entries, oldest: entries.length < limit };
}
