// Formatting of numbers, durations, qualities and times: the one place where the UI
// turns values into text. Times are shown in the plant's time zone (IANA name from the
// overview), never the browser's; dates, clocks (24 h or 12 h) and numbers follow the
// user's locale (lib/i18n: their language, with the browser's region when it is of the
// same language). Words (units, "ago", qualities) come from the `common` catalogue.

import { currentLocale, t } from './i18n.svelte';
import type { QualityName } from './types';

export const DASH = '—';
/** The locale of calculations (day keys, wall clocks): fixed, never shown. */
const CALC_LOCALE = 'en-GB';

const formatters = new Map<string, Intl.DateTimeFormat>();

function makeFormatter(locale: string, tz: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${tz ?? ''}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz });
    } catch {
      f = new Intl.DateTimeFormat(locale, opts);
    }
    formatters.set(key, f);
  }
  return f;
}

/**
 * An `Intl.DateTimeFormat` for the zone for calculations (en-GB, 24-hour clock, never
 * shown to a user), made once per set of options and zone. An unknown zone name falls
 * back to the browser's zone rather than failing.
 */
export function zoneFormatter(tz: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return makeFormatter(CALC_LOCALE, tz, { ...opts, hourCycle: 'h23' });
}

/**
 * An `Intl.DateTimeFormat` for text a person reads: the user's locale (with its 12- or
 * 24-hour clock), in the zone.
 */
export function displayFormatter(tz: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return makeFormatter(currentLocale(), tz, opts);
}

const PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

export interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

/** The parts of `ms` in the zone: "2026", "Nov", "26", "14", "03", "12". */
export function parts(ms: number, tz: string | undefined): Parts {
  const out: Parts = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const p of zoneFormatter(tz, PARTS).formatToParts(new Date(ms))) {
    if (p.type in out) out[p.type as keyof Parts] = p.value;
  }
  // Some engines print midnight as "24" even with h23.
  if (out.hour === '24') out.hour = '00';
  return out;
}

function valid(ms: number | null | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms);
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
const DAY_YEAR: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };

/** Some engines print midnight as "24" in 24-hour locales. */
function fixMidnight(s: string): string {
  return s.replace(/^24(?=[:.])/, '00');
}

/** "14:03:12" in the zone (en-US: "02:03:12 PM"). */
export function formatTime(ms: number | null | undefined, tz?: string): string {
  if (!valid(ms)) return DASH;
  return fixMidnight(displayFormatter(tz, TIME).format(new Date(ms)));
}

/** "14:03" in the zone (en-US: "02:03 PM"). */
export function formatClock(ms: number | null | undefined, tz?: string): string {
  if (!valid(ms)) return DASH;
  return fixMidnight(displayFormatter(tz, CLOCK).format(new Date(ms)));
}

/** Whether `ms` is at 00:00 in the zone. */
export function isMidnight(ms: number, tz?: string): boolean {
  const p = parts(ms, tz);
  return p.hour === '00' && p.minute === '00';
}

/** Whether the user's locale shows a 24-hour clock. */
export function uses24h(): boolean {
  const o = displayFormatter(undefined, { hour: 'numeric' }).resolvedOptions();
  return o.hourCycle === 'h23' || o.hourCycle === 'h24';
}

/**
 * A span of clock times, "06:00–14:00"; an end at midnight after the start reads
 * "24:00", so a whole-day shift is "00:00–24:00" and not "00:00–00:00".
 */
export function formatClockSpan(
  startMs: number | null | undefined,
  endMs: number | null | undefined,
  tz?: string,
): string {
  let end = formatClock(endMs, tz);
  if (valid(startMs) && valid(endMs) && endMs > startMs && isMidnight(endMs, tz) && uses24h()) {
    end = '24:00';
  }
  return `${formatClock(startMs, tz)}–${end}`;
}

/** The calendar day of a time in the zone, as "2025-Nov-26", for comparisons. */
function dayKey(ms: number, tz: string | undefined): string {
  const p = parts(ms, tz);
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * A time with as much date as needed next to `nowMs`: "14:03:12" today,
 * "25 Nov 14:03:12" this year, "25 Nov 2024 14:03" before.
 */
export function formatDateTime(
  ms: number | null | undefined,
  tz: string | undefined,
  nowMs: number,
): string {
  if (!valid(ms)) return DASH;
  if (dayKey(ms, tz) === dayKey(nowMs, tz)) return formatTime(ms, tz);
  if (parts(ms, tz).year === parts(nowMs, tz).year) return `${formatDay(ms, tz)} ${formatTime(ms, tz)}`;
  return `${formatDate(ms, tz)} ${formatClock(ms, tz)}`;
}

/**
 * A full date and time, always with the year, for lists and the audit log:
 * "25 Nov 2026 14:03:12" (de: "25. Nov. 2026 14:03:12").
 */
export function formatFullDateTime(ms: number | null | undefined, tz?: string): string {
  if (!valid(ms)) return DASH;
  return `${formatDate(ms, tz)} ${formatTime(ms, tz)}`;
}

/** A calendar day with its year: "25 Nov 2026" (zh: "2026年11月25日"). */
export function formatDate(ms: number | null | undefined, tz?: string): string {
  if (!valid(ms)) return DASH;
  return displayFormatter(tz, DAY_YEAR).format(new Date(ms));
}

/** "26 Nov 14:03" — for chart windows and table cells where seconds are noise. */
export function formatDayClock(ms: number | null | undefined, tz?: string): string {
  if (!valid(ms)) return DASH;
  return `${formatDay(ms, tz)} ${formatClock(ms, tz)}`;
}

/**
 * The zone's short name at `ms` in the user's language ("CET", "GMT+1"), shown next to
 * times; the IANA name (`tz`) goes in a tooltip or beside it.
 */
export function zoneName(tz: string | undefined, ms: number = Date.now()): string {
  if (!tz) return '';
  const p = displayFormatter(tz, { timeZoneName: 'short' })
    .formatToParts(new Date(ms))
    .find((x) => x.type === 'timeZoneName');
  return p?.value ?? tz;
}

/** A length of time, coarse: "0 s", "42 s", "5 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const s = Math.floor(ms / 1000);
  const u = (unit: string, n: number) => t(`common.unit.${unit}`, { n });
  if (s < 60) return u('s', s);
  const min = Math.floor(s / 60);
  if (min < 60) return u('min', min);
  const h = Math.floor(min / 60);
  if (h < 24) {
    const m = min % 60;
    return m === 0 ? u('h', h) : `${u('h', h)} ${u('min', m)}`;
  }
  const d = Math.floor(h / 24);
  const hh = h % 24;
  return hh === 0 ? u('d', d) : `${u('d', d)} ${u('h', hh)}`;
}

/**
 * "3 s ago" measured against `nowMs` (the server's clock as the client estimates it).
 * A time slightly in the future (clock skew) reads "0 s ago"; none reads "never".
 */
export function formatAgo(thenMs: number | null | undefined, nowMs: number): string {
  if (!valid(thenMs)) return t('common.never');
  return t('common.ago', { duration: formatDuration(nowMs - thenMs) });
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(decimals: number): Intl.NumberFormat {
  const locale = currentLocale();
  const key = `${locale}|${decimals}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      useGrouping: true,
    });
    numberFormats.set(key, f);
  }
  return f;
}

/** A number with the user's decimal separator and grouping, as many decimals as given. */
export function formatNumber(v: number | null | undefined, decimals = 0): string {
  return formatValue(v, decimals);
}

/** A share as a percentage: 0.853 → "85.3 %" (de: "85,3 %"). */
export function formatPercent(share: number | null | undefined, decimals = 1): string {
  if (typeof share !== 'number' || !Number.isFinite(share)) return DASH;
  return t('common.percent', { value: formatValue(share * 100, decimals) });
}

/** Decimals that show a measured value without noise: 1234 · 48.2 · 1.85 · 0.0123. */
export function autoDecimals(v: number): number {
  const a = Math.abs(v);
  if (a === 0 || Number.isInteger(v)) return 0;
  if (a >= 1000) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  // Three significant digits for small values, at most 6 decimals.
  return Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(a))));
}

/** A measured value; null or not finite reads as a dash. */
export function formatValue(v: number | null | undefined, decimals?: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  const d = decimals ?? autoDecimals(v);
  // A small negative value rounded to zero reads "0", not "-0.00".
  if (Math.round(Math.abs(v) * 10 ** d) === 0) v = 0;
  return numberFormat(d).format(v);
}

/** A count, whole: "1,234". */
export function formatCount(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  return numberFormat(0).format(Math.round(v));
}

/** A rate per minute with one decimal: "23.5". */
export function formatRate(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  return numberFormat(Math.abs(v) >= 1000 ? 0 : 1).format(v);
}

/** Milliseconds of a response time: "1.8 ms", "230 ms". */
export function formatMs(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  return `${numberFormat(v < 1 ? 2 : v < 10 ? 1 : 0).format(v)} ms`;
}

/**
 * How a sample's quality reads: "good", "no answer", "exception 2", "stale", "not a
 * number", "configuration changed" (the tag's decoding changed there: a new series).
 */
export function formatQuality(q: QualityName | string, exceptionCode?: number | null): string {
  switch (q) {
    case 'good':
    case 'no_answer':
    case 'stale':
    case 'bad_value':
    case 'reconfigured':
      return t(`common.quality.${q}`);
    case 'exception':
      return typeof exceptionCode === 'number'
        ? t('common.quality.exception_code', { code: exceptionCode })
        : t('common.quality.exception');
    default:
      return String(q).replace(/_/g, ' ');
  }
}

/** "26 Nov" — a calendar day in the zone (de: "26. Nov.", zh: "11月26日"). */
export function formatDay(ms: number | null | undefined, tz?: string): string {
  if (!valid(ms)) return DASH;
  return displayFormatter(tz, DAY).format(new Date(ms));
}

/** Decimals for axis ticks `incr` apart, so all ticks read alike: 0.5 → 1, 25 → 0. */
export function tickDecimals(incr: number): number {
  if (!Number.isFinite(incr) || incr <= 0) return 0;
  // Round first: increments like 0.30000000000000004 must count as 0.3.
  const r = Number(incr.toPrecision(6));
  let d = 0;
  while (d < 6 && Math.abs(r * 10 ** d - Math.round(r * 10 ** d)) > 1e-9) d++;
  return d;
}

/** Axis tick labels with one number of decimals for all. */
export function formatTicks(values: number[], incr: number): string[] {
  const d = tickDecimals(incr);
  return values.map((v) => formatValue(v, d));
}

/**
 * Decimals for a live value by its size only, so a value that moves does not change
 * width from one second to the next: 1,199,490 · 398.2 · 47.7 · 2.48 · 0.07 · 0.00123.
 */
export function measureDecimals(v: number): number {
  const a = Math.abs(v);
  if (!Number.isFinite(a)) return 0;
  if (a >= 1000) return 0;
  if (a >= 10 || a === 0) return 1;
  if (a >= 0.01) return 2;
  // Three significant digits for small values, at most 6 decimals.
  return Math.min(6, 2 - Math.floor(Math.log10(a)));
}

/** A live value with decimals by its size (see measureDecimals); none reads as a dash. */
export function formatMeasure(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  return formatValue(v, measureDecimals(v));
}
