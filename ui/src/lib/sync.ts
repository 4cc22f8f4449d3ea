// Sync to the central server (issue 14) in words: the state's name and what it means,
// how far behind the acknowledged position is, and the backlog.

import { formatAgo, formatCount, formatDateTime, formatDuration } from './format';
import { formatBytes } from './storage';
import type { SyncState, SyncStatus } from './types';

export const STATE_TEXT: Record<SyncState, string> = {
  off: 'Off',
  connected: 'Connected',
  behind: 'Catching up',
  offline: 'Offline',
  parked: 'Refused',
};

export interface SyncSummary {
  state: string;
  /** What the state means for the plant, in one sentence. */
  meaning: string;
  /** How old the newest acknowledged sample is, or '' before the first batch. */
  behind: string;
  backlog: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

/** ", about 2.1 MB", or '' before a batch went out (the size per sample is not known yet). */
function wireSize(bytes: number): string {
  return bytes > 0 ? `, about ${formatBytes(bytes)}` : '';
}

export function syncSummary(s: SyncStatus, nowMs: number): SyncSummary {
  const backlog =
    s.backlog_samples > 0
      ? `${formatCount(s.backlog_samples)} samples${wireSize(s.backlog_bytes)}`
      : 'nothing waiting';
  const behind = s.acked_to_ts > 0 ? formatDuration(Math.max(0, nowMs - s.acked_to_ts)) : '';
  const meaning: Record<SyncState, string> = {
    off: 'Nothing leaves this PC. Collection and history do not depend on sync.',
    connected: 'The central server has everything up to a few seconds ago.',
    behind: 'Batches are going out, oldest first, until the central server has caught up.',
    offline: 'The central server cannot be reached. Collection goes on; batches wait and are retried.',
    parked: 'The central server refused a batch. It waits, with the reason below, until the sync settings are fixed.',
  };
  const tone: Record<SyncState, SyncSummary['tone']> = {
    off: 'muted',
    connected: 'ok',
    behind: 'warn',
    offline: 'warn',
    parked: 'bad',
  };
  return {
    state: STATE_TEXT[s.state],
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
  if (oldestWaitingTs === null || oldestWaitingTs === undefined) return 'up to date';
  const age = Math.max(0, nowMs - oldestWaitingTs);
  if (age >= DAY_MS) {
    const d = Math.floor(age / DAY_MS);
    return `${d} ${d === 1 ? 'day' : 'days'} behind`;
  }
  return `${formatDuration(age)} behind`;
}

export const CLASS_TEXT: Record<string, string> = {
  raw: 'Raw samples',
  rollups: 'Minute and hour rollups',
  production: 'Production entries',
  audit: 'Audit log',
  config: 'Configuration versions',
};

/** What one class's waiting items are called. */
const UNIT: Record<string, [string, string]> = {
  raw: ['sample', 'samples'],
  rollups: ['tag-hour', 'tag-hours'],
  production: ['entry', 'entries'],
  audit: ['entry', 'entries'],
  config: ['version', 'versions'],
};

export function countOf(cls: string, n: number): string {
  const [one, many] = UNIT[cls] ?? ['row', 'rows'];
  return `${formatCount(n)} ${n === 1 ? one : many}`;
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
  if (!ackTs || seq <= 0) return 'none yet';
  return `no. ${formatCount(seq)}, ${formatAgo(ackTs, nowMs)}${sent ? ` (${sent} in all)` : ''}`;
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
    label: CLASS_TEXT.raw,
    chosen: rawChosen,
    position: s.acked_to_ts > 0 ? `complete to ${formatDateTime(s.acked_to_ts, tz, nowMs)}` : 'nothing sent yet',
    waiting: !rawChosen
      ? '—'
      : s.backlog_samples > 0
        ? `${countOf('raw', s.backlog_samples)}${wireSize(s.backlog_bytes)}${s.pending_seq !== null ? `; batch no. ${formatCount(s.pending_seq)} on its way` : ''}`
        : 'nothing waiting',
    last: lastText(s.last_seq, s.last_ack_ts, nowMs, ''),
    behind: rawChosen ? behindText(s.oldest_waiting_ts, nowMs) : 'not chosen',
    parked: rawParked,
    tone: tone(rawChosen, rawParked, s.oldest_waiting_ts),
  });
  for (const st of s.streams) {
    const parked = parkedFor(st.stream);
    let position: string;
    if (st.stream === 'audit' || st.stream === 'config') {
      position = st.position > 0 ? `up to no. ${formatCount(st.position - 1)}` : 'nothing sent yet';
    } else if (st.stream === 'rollups') {
      position = st.position > 0 ? `hours before ${formatDateTime(st.position, tz, nowMs)}` : 'nothing sent yet';
    } else {
      position = st.position > 0 ? `changes before ${formatDateTime(st.position, tz, nowMs)}` : 'nothing sent yet';
    }
    rows.push({
      cls: st.stream,
      label: CLASS_TEXT[st.stream] ?? st.stream,
      chosen: st.chosen,
      position,
      waiting: !st.chosen
        ? '—'
        : st.waiting > 0
          ? `${countOf(st.stream, st.waiting)}${st.pending_seq !== null ? `; batch no. ${formatCount(st.pending_seq)} on its way` : ''}`
          : st.pending_seq !== null
            ? `batch no. ${formatCount(st.pending_seq)} on its way`
            : 'nothing waiting',
      last: lastText(st.last_seq, st.last_ack_ts, nowMs, st.rows_sent > 0 ? `${formatCount(st.rows_sent)} rows, ${formatBytes(st.bytes_sent)}` : ''),
      behind: st.chosen ? behindText(st.oldest_waiting_ts, nowMs) : 'not chosen',
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
  if (s < 60) amount = `${s} s`;
  else if (s < 3600) amount = `${Math.floor(s / 60)} min ${s % 60} s`;
  else if (s < 86_400) amount = `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  else amount = `${Math.floor(s / 86_400)} days ${Math.floor((s % 86_400) / 3600)} h`;
  return skewMs > 0 ? `${amount} behind` : `${amount} ahead of`;
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
      text: `in step with the central server's (${d < 1000 ? 'under a second' : `${formatDuration(d)}`} apart, checked ${when})`,
      tone: 'ok',
    };
  }
  return {
    text: `this PC's clock is ${skewText(s.clock_skew_ms)} the central server's (checked ${when}, off since ${formatAgo(s.clock_off_since, nowMs)}). Readings carry this PC's time: set the clock right.`,
    tone: 'bad',
  };
}

/** A rate in bytes per second: "250 kB/s". */
export function rateText(bps: number): string {
  return `${formatBytes(bps)}/s`;
}

/** The bandwidth limit in words. */
export function limitText(s: SyncStatus): string {
  return s.bandwidth_bps > 0 ? `${rateText(s.bandwidth_bps)} on average` : 'none (as fast as the link allows)';
}

/**
 * How long until the central server has caught up, from the rate reached:
 * "about 2 h to catch up at 180 kB/s", a warning when the rate is below what the plant
 * adds, or '' when up to date; null when there is nothing to say yet.
 */
export function catchUpText(s: SyncStatus): { text: string; tone: 'ok' | 'warn' | 'bad' | 'muted' } | null {
  if (!s.enabled || s.state === 'connected' || s.state === 'off') return null;
  const at = s.rate_bps ? ` at ${rateText(s.rate_bps)}` : '';
  if (s.falls_behind) {
    return {
      text: `not at this rate: the plant adds more than goes out${at}${s.bandwidth_bps > 0 ? '; raise the bandwidth limit' : ''}`,
      tone: 'bad',
    };
  }
  if (s.catch_up_ms !== null) {
    return { text: `about ${formatDuration(Math.max(s.catch_up_ms, 1000))} to catch up${at} (${formatBytes(s.waiting_bytes)} waiting)`, tone: 'warn' };
  }
  return { text: 'estimated once a batch has gone out', tone: 'muted' };
}

/**
 * What retention removed before it was sent, one line per class and tag:
 * "Raw samples, meter/power: 90 samples from 14 Jan 10:30 to 12:59".
 */
export function lostLines(s: SyncStatus, nowMs: number, tz: string | undefined): string[] {
  return s.lost.map((l) => {
    const what = CLASS_TEXT[l.class] ?? l.class;
    if (l.class === 'audit') {
      return `${what}: ${countOf('audit', l.count)}, no. ${formatCount(l.from_ts)} to ${formatCount(l.to_ts)}`;
    }
    return `${what}${l.tag ? `, ${l.tag}` : ''}: ${countOf(l.class, l.count)} from ${formatDateTime(l.from_ts, tz, nowMs)} to ${formatDateTime(l.to_ts, tz, nowMs)}`;
  });
}
