// The audit log page's logic without UI: actions in words (the user's language), which entries to highlight,
// and paging back through the log (newest first) by id.

import { t, tryT } from './i18n.svelte';
import type { AuditEntry } from './types';

/** How many entries one page asks for. */
export const AUDIT_PAGE = 100;


/** An action in words; an action this UI does not know is shown as it is. */
export function actionWords(action: string): string {
  // The catalogue names each action with its dots as underscores:
  // `login.failed` is audit.action.login_failed.
  if (!/^[a-z_]+(\.[a-z_]+)?$/.test(action)) return action;
  return tryT(`audit.action.${action.replace('.', '_')}`) ?? action;
}

/**
 * An entry's action in words, reading who did it: a password set by someone else than
 * its user (the demo's start, a script) is "changed the password", not "their".
 */
export function entryWords(e: Pick<AuditEntry, 'action' | 'actor' | 'target'>): string {
  if (e.action === 'user.password_change' && e.actor !== e.target) return t('audit.changed_the_password');
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
