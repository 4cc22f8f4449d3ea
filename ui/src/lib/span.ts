// Time spans of trend charts: the window a page shows (following live values or fixed),
// zooming by a dragged selection and by the mouse wheel, the spans to go back to with
// "Zoom out", the x axis' label format by span, custom from/to in the plant's time
// zone, and the window as words. Pure: the page's reactive state lives in
// timeview.svelte.ts.

import {
  displayFormatter,
  formatClock,
  formatDate,
  formatDay,
  formatDuration,
  formatTime,
  isMidnight,
  parts,
  zoneFormatter,
} from './format';
import { t } from './i18n.svelte';

export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The narrowest and the widest span a chart zooms to. */
export const MIN_SPAN_MS = MINUTE;
export const MAX_SPAN_MS = 10 * 365 * DAY;

export interface Span {
  from: number;
  to: number;
}

/**
 * What a page shows: `live` follows now with a window `rangeMs` wide; otherwise the
 * window ends at `end`.
 */
export interface ViewState {
  live: boolean;
  rangeMs: number;
  end: number;
}

/** The span a view shows at `nowMs`. */
export function spanOf(v: ViewState, nowMs: number): Span {
  const to = v.live ? nowMs : v.end;
  return { from: to - v.rangeMs, to };
}

/** A window that ends within this of now follows live values. */
export const LIVE_SLACK_MS = SECOND;

/** The view for a span: never past now; one that reaches now follows live values. */
export function viewOf(span: Span, nowMs: number): ViewState {
  const width = clampWidth(span.to - span.from);
  let to = Math.round(span.to);
  if (to > nowMs) to = nowMs;
  const live = to >= nowMs - LIVE_SLACK_MS;
  return { live, rangeMs: Math.round(width), end: live ? nowMs : to };
}

export function clampWidth(w: number): number {
  if (!Number.isFinite(w)) return MIN_SPAN_MS;
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, w));
}

/**
 * A span dragged out on a chart, between two times in any order. Narrower than the
 * smallest span it grows around its middle; it never reaches past now.
 */
export function selectSpan(a: number, b: number, nowMs: number): Span {
  let from = Math.min(a, b);
  let to = Math.max(a, b);
  const width = clampWidth(to - from);
  const mid = (from + to) / 2;
  from = mid - width / 2;
  to = mid + width / 2;
  if (to > nowMs) {
    to = nowMs;
    from = to - width;
  }
  return { from: Math.round(from), to: Math.round(to) };
}

/**
 * Zooms a span by `factor` (below 1 in, above 1 out) around `anchor`: the time under
 * the cursor stays under the cursor. The width stays within MIN_SPAN_MS..MAX_SPAN_MS;
 * a span that would reach past now ends at now.
 */
export function zoomSpan(span: Span, anchor: number, factor: number, nowMs: number): Span {
  const width = span.to - span.from;
  const next = clampWidth(width * (Number.isFinite(factor) && factor > 0 ? factor : 1));
  const a = Math.min(span.to, Math.max(span.from, anchor));
  const ratio = width > 0 ? (a - span.from) / width : 0.5;
  let from = a - ratio * next;
  let to = from + next;
  if (to > nowMs) {
    to = nowMs;
    from = to - next;
  }
  return { from: Math.round(from), to: Math.round(to) };
}

/**
 * The zoom factor of one wheel event: a notch of a mouse wheel (100 px) zooms by about
 * a quarter, a touchpad's small steps by little; one event zooms at most 2x either way.
 * Lines and pages (deltaMode 1 and 2) count as 40 px and 800 px.
 */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  if (!Number.isFinite(deltaY) || deltaY === 0) return 1;
  const px = deltaMode === 1 ? deltaY * 40 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return Math.min(2, Math.max(0.5, 2 ** (px / 300)));
}

/** Moves a span by `fraction` of its width (negative: back in time), never past now. */
export function shiftSpan(span: Span, fraction: number, nowMs: number): Span {
  const width = span.to - span.from;
  let to = span.to + fraction * width;
  if (to > nowMs) to = nowMs;
  return { from: Math.round(to - width), to: Math.round(to) };
}

/** Spans kept for "Zoom out"; the oldest are forgotten. */
export const ZOOM_HISTORY = 30;

/** The history with `v` on top (not twice in a row). */
export function pushView(stack: readonly ViewState[], v: ViewState): ViewState[] {
  const top = stack[stack.length - 1];
  if (top && top.live === v.live && top.rangeMs === v.rangeMs && (v.live || top.end === v.end)) {
    return stack.slice();
  }
  const next = [...stack, { ...v }];
  return next.length > ZOOM_HISTORY ? next.slice(next.length - ZOOM_HISTORY) : next;
}

/**
 * "Zoom out": the span before the last zoom, or (no history) the span twice as wide
 * around its middle, ending at now at the latest.
 */
export function zoomOut(
  stack: readonly ViewState[],
  current: ViewState,
  nowMs: number,
): { view: ViewState; stack: ViewState[] } {
  if (stack.length > 0) {
    return { view: { ...stack[stack.length - 1] }, stack: stack.slice(0, -1) };
  }
  const s = spanOf(current, nowMs);
  const mid = (s.from + s.to) / 2;
  return { view: viewOf(zoomSpan(s, mid, 2, nowMs), nowMs), stack: [] };
}

// ---- The x axis -------------------------------------------------------------------

/** How the x axis labels its ticks: 14:03:12 · 14:03 · 26 Nov · Nov 2025. */
export type AxisFormat = 'hms' | 'hm' | 'day' | 'month';

/**
 * The tick label format for a chart `spanMs` wide with ticks `incrMs` apart: seconds
 * for spans of minutes, hours and minutes for spans of hours, days for days and weeks,
 * month and year for a year. The ticks' distance decides where it is known (0: not
 * known), so no two ticks read alike: a tick a month apart names the month.
 */
export function axisFormat(spanMs: number, incrMs = 0): AxisFormat {
  if (!(incrMs > 0)) {
    if (spanMs <= 30 * MINUTE) return 'hms';
    if (spanMs <= 3 * DAY) return 'hm';
    if (spanMs <= 200 * DAY) return 'day';
    return 'month';
  }
  if (incrMs >= 28 * DAY) return 'month';
  if (incrMs >= DAY) return 'day';
  if (incrMs < MINUTE || spanMs <= 30 * MINUTE) return 'hms';
  return 'hm';
}

/** Least room between x ticks in CSS pixels, so labels of that span do not touch. */
export function axisSpace(spanMs: number): number {
  if (spanMs > 200 * DAY) return 60;
  if (spanMs <= 30 * MINUTE) return 80;
  return 64;
}

/** "Nov 2025" in the zone, in the user's locale. */
export function formatMonth(ms: number, tz?: string): string {
  return displayFormatter(tz, { year: 'numeric', month: 'short' }).format(new Date(ms));
}

/**
 * The x axis' tick labels. In the hours-and-minutes format a tick at midnight names
 * the day instead, so a span over midnight says which day is which.
 */
export function axisLabels(splits: number[], format: AxisFormat, tz?: string): string[] {
  switch (format) {
    case 'hms':
      return splits.map((t) => formatTime(t, tz));
    case 'hm':
      return splits.map((t) => (isMidnight(t, tz) ? formatDay(t, tz) : formatClock(t, tz)));
    case 'day':
      return splits.map((t) => formatDay(t, tz));
    case 'month':
      return splits.map((t) => formatMonth(t, tz));
  }
}

// ---- Custom from/to in the plant's time zone ---------------------------------------

const WALL: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

/** The wall clock of `ms` in the zone, as numbers. */
function wall(ms: number, tz: string | undefined): number[] {
  const p: Record<string, number> = {};
  for (const part of zoneFormatter(tz, WALL).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return [p.year, p.month, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second];
}

/** The zone's offset from UTC at `ms`, in ms (Berlin in winter: +3,600,000). */
export function zoneOffset(ms: number, tz: string | undefined): number {
  const [y, mo, d, h, mi, s] = wall(ms, tz);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A time as a datetime-local input's value in the zone: "2025-11-26T14:03". */
export function toLocalInput(ms: number, tz: string | undefined): string {
  const [y, mo, d, h, mi] = wall(ms, tz);
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}

/**
 * A datetime-local input's value read as a wall clock time in the zone, in UTC ms; null
 * when it is no such value. A time that does not exist (the hour skipped when clocks go
 * forward) reads as the same wall time in the offset before the change.
 */
export function fromLocalInput(value: string, tz: string | undefined): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (!Number.isFinite(asUtc)) return null;
  let guess = asUtc - zoneOffset(asUtc, tz);
  const again = asUtc - zoneOffset(guess, tz);
  if (again !== guess && zoneOffset(again, tz) === asUtc - again) guess = again;
  return guess;
}

/** Checks a custom window: a span or what is wrong with it. */
export function customSpan(
  fromText: string,
  toText: string,
  tz: string | undefined,
  nowMs: number,
  read: (text: string, tz: string | undefined) => number | null = fromLocalInput,
): Span | { error: string } {
  const from = read(fromText, tz);
  const to = read(toText, tz);
  if (from === null) return { error: t('common.time.err_from') };
  if (to === null) return { error: t('common.time.err_to') };
  if (to <= from) return { error: t('common.time.err_order') };
  if (from >= nowMs) return { error: t('common.time.err_future') };
  if (to - from < MIN_SPAN_MS) return { error: t('common.time.err_short') };
  if (to - from > MAX_SPAN_MS) return { error: t('common.time.err_long') };
  return { from, to: Math.min(to, nowMs) };
}

// ---- Words --------------------------------------------------------------------------

/**
 * A fixed window in words: "26 Nov 14:03 – 15:03 (1 h)", "3 Nov 14:03 – 26 Nov 14:03
 * (23 d)", with the year when it is not the year of `nowMs`.
 */
export function describeSpan(span: Span, tz: string | undefined, nowMs: number): string {
  const a = parts(span.from, tz);
  const b = parts(span.to, tz);
  const thisYear = parts(nowMs, tz).year;
  const withYear = a.year !== thisYear || b.year !== thisYear;
  const day = (ms: number) => (withYear ? formatDate(ms, tz) : formatDay(ms, tz));
  const sameDay = a.day === b.day && a.month === b.month && a.year === b.year;
  const right = sameDay ? formatClock(span.to, tz) : `${day(span.to)} ${formatClock(span.to, tz)}`;
  return `${day(span.from)} ${formatClock(span.from, tz)} – ${right} (${formatDuration(span.to - span.from)})`;
}

// ---- Durations in addresses ---------------------------------------------------------

/** A duration for an address: "15m", "8h", "7d"; whole seconds "90s"; else ms. */
export function durationToken(ms: number): string {
  const r = Math.round(ms);
  if (r > 0 && r % DAY === 0) return `${r / DAY}d`;
  if (r > 0 && r % HOUR === 0) return `${r / HOUR}h`;
  if (r > 0 && r % MINUTE === 0) return `${r / MINUTE}m`;
  if (r > 0 && r % SECOND === 0) return `${r / SECOND}s`;
  return String(r);
}

/** Reads durationToken's text (also "1y" for 365 days); null when it is none. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY, y: 365 * DAY };
  const ms = Math.round(n * unit[m[2] ?? 'ms']);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
