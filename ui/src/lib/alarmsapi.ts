// The alarm endpoints of the Plantlog API (issue 13): the open alarms with the banner's
// counts, acknowledging and shelving, the journal (JSON and CSV). And the pure pieces
// the banner and the alarm page need: which alarms are new enough to sound, how a state
// reads, the journal's query.

import type { ApiClient } from './api';
import { t, tryT } from './i18n.svelte';
import type { AlarmReport, AlarmView, AlarmsView, JournalEntry, JournalQuery, PriorityCounts } from './types';

export class AlarmsApi {
  private readonly c: ApiClient;

  constructor(client: ApiClient) {
    this.c = client;
  }

  list(): Promise<AlarmsView> {
    return this.c.request('GET', '/api/alarms', undefined, true);
  }
  acknowledge(id: number, comment: string): Promise<AlarmView> {
    return this.c.request('POST', `/api/alarms/${id}/ack`, { comment });
  }
  shelve(id: number, minutes: number, reason: string): Promise<AlarmView> {
    return this.c.request('POST', `/api/alarms/${id}/shelve`, { minutes, reason });
  }
  journal(q: JournalQuery): Promise<JournalEntry[]> {
    return this.c.request('GET', `/api/alarms/journal?${journalQuery(q)}`);
  }
  /** The EEMUA figures over [from, to). */
  report(from: number, to: number): Promise<AlarmReport> {
    return this.c.request('GET', `/api/alarms/report?from=${from}&to=${to}`);
  }
  /** The journal as a CSV file. */
  journalCsv(q: JournalQuery): Promise<{ blob: Blob; name: string }> {
    return this.c.file('GET', `/api/alarms/journal.csv?${journalQuery(q)}`);
  }
}

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type PriorityName = (typeof PRIORITIES)[number];

/** The query string of a journal request; empty filters are left out. */
export function journalQuery(q: JournalQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  return p.toString();
}

/** Sum of a priority count. */
export function total(c: PriorityCounts): number {
  return c.critical + c.high + c.medium + c.low;
}

/** How a state reads in the list. */
export function stateLabel(a: Pick<AlarmView, 'state'>): string {
  switch (a.state) {
    case 'active_unacked':
      return t('alarms.state.active_unacked');
    case 'active_acked':
      return t('alarms.state.active_acked');
    case 'cleared_unacked':
      return t('alarms.state.cleared_unacked');
    case 'normal':
      return t('alarms.state.normal');
  }
}

/** What happened, in words, for the journal. */
export function whatLabel(what: string): string {
  const words: Record<string, string> = {
    raised: 'alarms.what.raised',
    cleared: 'alarms.what.cleared',
    returned: 'alarms.what.returned',
    acknowledged: 'alarms.what.acknowledged',
    shelved: 'alarms.what.shelved',
    unshelved: 'alarms.what.unshelved',
    suppressed: 'alarms.what.suppressed',
    unsuppressed: 'alarms.what.unsuppressed',
    escalated: 'alarms.what.escalated',
    normal: 'alarms.what.normal',
  };
  return Object.hasOwn(words, what) ? t(words[what]) : what;
}

/** A priority as the lists show it ("critical"), in the user's language. */
export function priorityWord(p: string): string {
  return tryT(`alarms.priority.${p}`) ?? p;
}

/** A priority as a label ("Critical"), in the user's language. */
export function priorityLabel(p: string): string {
  return tryT(`alarms.priority_label.${p}`) ?? p;
}

/** Whether an alarm is announced: not shelved (at `nowMs`) and not suppressed. */
export function announced(a: AlarmView, nowMs: number): boolean {
  return !a.suppressed && !(a.shelved_until !== null && a.shelved_until > nowMs);
}

/**
 * The ids of critical and high alarms that are active, unacknowledged and announced
 * and not in `heard` (those the banner sounded for already): the banner sounds once for
 * each new one.
 */
export function toSound(alarms: AlarmView[], heard: ReadonlySet<number>, nowMs: number): number[] {
  return alarms
    .filter(
      (a) =>
        (a.priority === 'critical' || a.priority === 'high') &&
        a.state === 'active_unacked' &&
        announced(a, nowMs) &&
        !heard.has(a.id),
    )
    .map((a) => a.id);
}

/** Whether the comment may be left empty for this alarm. */
export function commentRequired(a: Pick<AlarmView, 'priority'>, required: string[]): boolean {
  return required.includes(a.priority);
}
