// Sync to the central server (issue 14) in words: the state's name and what it means,
// how far behind the acknowledged position is, and the backlog.

import { formatAgo, formatCount, formatDateTime, formatDuration } from './format';
import { t } from './i18n.svelte';
import { formatBytes } from './storage';
import type { SyncState, SyncStatus } from './types';

/** Each state's name (a function: the words follow the user's language). */
export function stateText(state: SyncState): string {
  const key: Record<SyncState, string> = {
    off: 'sync.state.off',
    connected: 'sync.state.connected',
    behind: 'sync.state.behind',
    offline: 'sync.state.offline',
    parked: 'sync.state.parked',
  };
  return t(key[state]);
}

export interface SyncSummary {
  state: string;
  /** What the state means for the plant, in one sentence. */
  meaning: string;
  /** How old the newest acknowledged sample is, or '' before the first batch. */
  behind: string;
  backlog: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

/** "12 samples, about 2.1 MB"; without the size before a batch went out (the size per
 * sample is not known yet). */
function withSize(count: string, bytes: number): string {
  return bytes > 0 ? t('sync.with_size', { count, size: formatBytes(bytes) }) : count;
}

export function syncSummary(s: SyncStatus, nowMs: number): SyncSummary {
  const backlog =
    s.backlog_samples > 0 ? withSize(countOf('raw', s.backlog_samples), s.backlog_bytes) : t('sync.nothing_waiting');
  const behind = s.acked_to_ts > 0 ? formatDuration(Math.max(0, nowMs - s.acked_to_ts)) : '';
  const meaning: Record<SyncState, string> = {
    off: t('sync.meaning.off'),
    connected: t('sync.meaning.connected'),
    behind: t('sync.meaning.behind'),
    offline: t('sync.meaning.offline'),
    parked: t('sync.meaning.parked'),
  };
  const tone: Record<SyncState, SyncSummary['tone']> = {
    off: 'muted',
    connected: 'ok',
    behind: 'warn',
    offline: 'warn',
    parked: 'bad',
  };
  return {
    state: stateText(s.state),
    meaning: meaning[s.state],
    behind,
    backlog,
    tone: tone[s.state],
  };
}

const DAY_MS = 86_400_000;

/**
 * How far a class is behind, from the time of its oldest item waiting to leave:
 * "up to date" when nothing waits, "3 days behind" from a day on, else "2 h 5 min behind".
 */
export function behindText(oldestWaitingTs: number | null | undefined, nowMs: number): string {
  if (oldestWaitingTs === null || oldestWaitingTs === undefined) return t('sync.up_to_date');
  const age = Math.max(0, nowMs - oldestWaitingTs);
  if (age >= DAY_MS) return t('sync.days_behind', { days: Math.floor(age / DAY_MS) });
  return t('sync.behind', { duration: formatDuration(age) });
}

const CLASS_KEY: Record<string, string> = {
  raw: 'sync.class.raw',
  rollups: 'sync.class.rollups',
  production: 'sync.class.production',
  audit: 'sync.class.audit',
  config: 'sync.class.config',
};

/** A data class's name: "Raw samples"; an unknown class as the server names it. */
export function classText(cls: string): string {
  return cls in CLASS_KEY ? t(CLASS_KEY[cls]) : cls;
}

/** How many of one class's items: "1,200 tag-hours", "1 sample". */
export function countOf(cls: string, n: number): string {
  const key: Record<string, string> = {
    raw: 'sync.count.raw',
    rollups: 'sync.count.rollups',
    production: 'sync.count.production',
    audit: 'sync.count.audit',
    config: 'sync.count.config',
  };
  return t(key[cls] ?? 'sync.count.other', { n });
}

export interface ClassRow {
  cls: string;
  label: string;
  chosen: boolean;
  /** The high-water mark in words. */
  position: string;
  waiting: string;
  /** The newest batch acknowledged: number and when, or "none yet". */
  last: string;
  behind: string;
  /** The central server's reason, when this class's batch is parked; else ''. */
  parked: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

function lastText(seq: number, ackTs: number | null, nowMs: number, sent: string): string {
  if (!ackTs || seq <= 0) return t('sync.none_yet');
  const no = formatCount(seq);
  const ago = formatAgo(ackTs, nowMs);
  return sent ? t('sync.last_sent', { no, ago, sent }) : t('sync.last', { no, ago });
}

/** "1,200 tag-hours; batch no. 42 on its way", the count alone, or the batch alone. */
function waitingText(count: string | null, pendingSeq: number | null): string {
  if (pendingSeq === null) return count ?? t('sync.nothing_waiting');
  const no = formatCount(pendingSeq);
  return count === null ? t('sync.on_its_way', { no }) : t('sync.waiting_on_its_way', { count, no });
}

/** One row per data class: raw samples first, then the streams, chosen or not. */
export function classRows(s: SyncStatus, nowMs: number, tz: string | undefined): ClassRow[] {
  const rows: ClassRow[] = [];
  const parkedFor = (cls: string) => (s.state === 'parked' && s.parked_class === cls ? s.error : '');
  const tone = (chosen: boolean, parked: string, oldest: number | null): ClassRow['tone'] =>
    !chosen ? 'muted' : parked ? 'bad' : oldest !== null && nowMs - oldest > 3_600_000 ? 'warn' : 'ok';
  const rawChosen = s.classes.includes('raw');
  const rawParked = parkedFor('raw');
  rows.push({
    cls: 'raw',
    label: classText('raw'),
    chosen: rawChosen,
    position:
      s.acked_to_ts > 0 ? t('sync.complete_to', { time: formatDateTime(s.acked_to_ts, tz, nowMs) }) : t('sync.nothing_sent'),
    waiting: !rawChosen
      ? '—'
      : s.backlog_samples > 0
        ? waitingText(withSize(countOf('raw', s.backlog_samples), s.backlog_bytes), s.pending_seq)
        : t('sync.nothing_waiting'),
    last: lastText(s.last_seq, s.last_ack_ts, nowMs, ''),
    behind: rawChosen ? behindText(s.oldest_waiting_ts, nowMs) : t('sync.not_chosen'),
    parked: rawParked,
    tone: tone(rawChosen, rawParked, s.oldest_waiting_ts),
  });
  for (const st of s.streams) {
    const parked = parkedFor(st.stream);
    let position: string;
    if (st.position <= 0) {
      position = t('sync.nothing_sent');
    } else if (st.stream === 'audit' || st.stream === 'config') {
      position = t('sync.up_to_no', { no: formatCount(st.position - 1) });
    } else if (st.stream === 'rollups') {
      position = t('sync.hours_before', { time: formatDateTime(st.position, tz, nowMs) });
    } else {
      position = t('sync.changes_before', { time: formatDateTime(st.position, tz, nowMs) });
    }
    rows.push({
      cls: st.stream,
      label: classText(st.stream),
      chosen: st.chosen,
      position,
      waiting: !st.chosen ? '—' : waitingText(st.waiting > 0 ? countOf(st.stream, st.waiting) : null, st.pending_seq),
      last: lastText(
        st.last_seq,
        st.last_ack_ts,
        nowMs,
        st.rows_sent > 0 ? t('sync.rows_size', { rows: st.rows_sent, size: formatBytes(st.bytes_sent) }) : '',
      ),
      behind: st.chosen ? behindText(st.oldest_waiting_ts, nowMs) : t('sync.not_chosen'),
      parked,
      tone: tone(st.chosen, parked, st.oldest_waiting_ts),
    });
  }
  return rows;
}

/** The chosen class furthest behind, in words ("3 days behind"), or 'up to date'. */
export function furthestBehind(s: SyncStatus, nowMs: number): string {
  const times: number[] = [];
  if (s.classes.includes('raw') && s.oldest_waiting_ts !== null) times.push(s.oldest_waiting_ts);
  for (const st of s.streams) if (st.chosen && st.oldest_waiting_ts !== null) times.push(st.oldest_waiting_ts);
  return behindText(times.length ? Math.min(...times) : null, nowMs);
}

/** The largest difference between this PC's clock and the central server's that is fine. */
export const CLOCK_LIMIT_MS = 60_000;

/** A clock difference in words: "2 min 5 s behind", "40 s ahead of" (as the server words it). */
export function skewText(skewMs: number): string {
  const s = Math.ceil(Math.abs(skewMs) / 1000);
  let amount: string;
  if (s < 60) amount = t('sync.amount.s', { s });
  else if (s < 3600) amount = t('sync.amount.min', { min: Math.floor(s / 60), s: s % 60 });
  else if (s < 86_400) amount = t('sync.amount.h', { h: Math.floor(s / 3600), min: Math.floor((s % 3600) / 60) });
  else amount = t('sync.amount.d', { d: Math.floor(s / 86_400), h: Math.floor((s % 86_400) / 3600) });
  return t('sync.skew', { amount, dir: skewMs > 0 ? 'behind' : 'ahead' });
}

/**
 * This PC's clock against the central server's, as measured at the last exchange:
 * null before the first; 'bad' beyond a minute (the system alarm holds meanwhile).
 */
export function clockLine(s: SyncStatus, nowMs: number): { text: string; tone: 'ok' | 'bad' } | null {
  if (s.clock_skew_ms === null || s.clock_checked_ts === null) return null;
  const off = s.clock_off_since !== null;
  const when = formatAgo(s.clock_checked_ts, nowMs);
  if (!off) {
    const d = Math.abs(s.clock_skew_ms);
    return {
      text: t('sync.in_step', { apart: d < 1000 ? t('sync.under_second') : formatDuration(d), when }),
      tone: 'ok',
    };
  }
  return {
    text: t('sync.clock_off', {
      skew: skewText(s.clock_skew_ms),
      when,
      since: formatDuration(Math.max(0, nowMs - (s.clock_off_since ?? nowMs))),
    }),
    tone: 'bad',
  };
}

/** A rate in bytes per second: "250 kB/s". */
export function rateText(bps: number): string {
  return t('sync.rate', { size: formatBytes(bps) });
}

/** The bandwidth limit in words. */
export function limitText(s: SyncStatus): string {
  return s.bandwidth_bps > 0 ? t('sync.limit', { rate: rateText(s.bandwidth_bps) }) : t('sync.no_limit');
}

/**
 * How long until the central server has caught up, from the rate reached:
 * "about 2 h to catch up at 180 kB/s", a warning when the rate is below what the plant
 * adds, or '' when up to date; null when there is nothing to say yet.
 */
export function catchUpText(s: SyncStatus): { text: string; tone: 'ok' | 'warn' | 'bad' | 'muted' } | null {
  if (!s.enabled || s.state === 'connected' || s.state === 'off') return null;
  // `rate` is 'none' before a rate was measured (a select's word, never a rate's text).
  const rate = s.rate_bps ? rateText(s.rate_bps) : 'none';
  if (s.falls_behind) {
    return {
      text: s.bandwidth_bps > 0 ? t('sync.falls_behind_limit', { rate }) : t('sync.falls_behind', { rate }),
      tone: 'bad',
    };
  }
  if (s.catch_up_ms !== null) {
    const duration = formatDuration(Math.max(s.catch_up_ms, 1000));
    return { text: t('sync.catch_up', { duration, rate, size: formatBytes(s.waiting_bytes) }), tone: 'warn' };
  }
  return { text: t('sync.estimated'), tone: 'muted' };
}

/**
 * What retention removed before it was sent, one line per class and tag:
 * "Raw samples, meter/power: 90 samples from 14 Jan 10:30 to 12:59".
 */
export function lostLines(s: SyncStatus, nowMs: number, tz: string | undefined): string[] {
  return s.lost.map((l) => {
    const what = classText(l.class);
    const count = countOf(l.class, l.count);
    if (l.class === 'audit') {
      return t('sync.lost_numbers', { what, count, from: formatCount(l.from_ts), to: formatCount(l.to_ts) });
    }
    const from = formatDateTime(l.from_ts, tz, nowMs);
    const to = formatDateTime(l.to_ts, tz, nowMs);
    return l.tag ? t('sync.lost_tag', { what, tag: l.tag, count, from, to }) : t('sync.lost', { what, count, from, to });
  });
}
