// Trend data: History JSON and live samples into the arrays uPlot draws. A null value
// is a gap (no answer, device exception, nothing stored) and is drawn as a break.
// Times stay UTC milliseconds (the chart runs with uPlot's `ms: 1`).

import type { History, Sample } from './types';

export interface Series {
  t: number[];
  v: (number | null)[];
}

export function emptySeries(): Series {
  return { t: [], v: [] };
}

function clean(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A series from a History answer: arrays of equal length, times ascending. */
export function fromHistory(h: Pick<History, 't' | 'v'>): Series {
  const n = Math.min(h.t.length, h.v.length);
  const t: number[] = [];
  const v: (number | null)[] = [];
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const ti = h.t[i];
    if (typeof ti !== 'number' || !Number.isFinite(ti)) continue;
    if (t.length > 0 && ti < t[t.length - 1]) sorted = false;
    t.push(ti);
    v.push(clean(h.v[i]));
  }
  if (sorted) return { t, v };
  const idx = t.map((_, i) => i).sort((a, b) => t[a] - t[b]);
  return { t: idx.map((i) => t[i]), v: idx.map((i) => v[i]) };
}

/** The value a sample contributes to a chart: its value when good, else a gap. */
export function sampleValue(s: Sample): number | null {
  return s.quality === 'good' ? clean(s.value) : null;
}

/**
 * Appends the samples of one tag that are newer than the series' last point (older ones
 * are already covered by history), then drops points that left the window: everything
 * before `windowStart` except the last such point, so the line still enters at the
 * left edge. Returns a new series; the input is not changed.
 */
export function mergeSamples(
  series: Series,
  samples: readonly Sample[],
  tagId: number,
  windowStart?: number,
): Series {
  const t = series.t.slice();
  const v = series.v.slice();
  const mine = samples
    .filter((s) => s.tag_id === tagId && Number.isFinite(s.ts))
    .sort((a, b) => a.ts - b.ts);
  for (const s of mine) {
    if (t.length > 0 && s.ts <= t[t.length - 1]) continue;
    t.push(s.ts);
    v.push(sampleValue(s));
  }
  if (windowStart !== undefined) return trimBefore({ t, v }, windowStart);
  return { t, v };
}

/** Drops points before `start`, keeping the last one before it as the line's entry. */
export function trimBefore(series: Series, start: number): Series {
  let i = 0;
  while (i < series.t.length && series.t[i] < start) i++;
  const from = Math.max(0, i - 1);
  if (from === 0) return series;
  return { t: series.t.slice(from), v: series.v.slice(from) };
}

/** Points that carry a value (not gaps). */
export function countPoints(series: Series): number {
  let n = 0;
  for (const x of series.v) if (x !== null) n++;
  return n;
}

/** Points with a value inside [from, to]. */
export function countPointsIn(series: Series, from: number, to: number): number {
  let n = 0;
  for (let i = 0; i < series.t.length; i++) {
    if (series.v[i] !== null && series.t[i] >= from && series.t[i] <= to) n++;
  }
  return n;
}

/** uPlot's aligned data: [x values, y values]. */
export function toUplot(series: Series): [number[], (number | null)[]] {
  return [series.t, series.v];
}

/** History plus the live samples that arrived since, trimmed to the window. */
export function buildSeries(
  history: Pick<History, 't' | 'v'>,
  samples: readonly Sample[],
  tagId: number,
  windowStart: number,
): Series {
  return mergeSamples(fromHistory(history), samples, tagId, windowStart);
}

/** Chart windows: range in ms and the window [from, to] it shows. */
export interface Window {
  from: number;
  to: number;
}

export const RANGES: readonly { label: string; ms: number }[] = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 3_600_000 },
  { label: '8 h', ms: 8 * 3_600_000 },
  { label: '24 h', ms: 24 * 3_600_000 },
  { label: '7 d', ms: 7 * 24 * 3_600_000 },
  { label: '30 d', ms: 30 * 24 * 3_600_000 },
  { label: '1 year', ms: 365 * 24 * 3_600_000 },
];

/** The window that ends now and is `rangeMs` wide. */
export function liveWindow(nowMs: number, rangeMs: number): Window {
  return { from: nowMs - rangeMs, to: nowMs };
}

/**
 * Pans a window by its own width: -1 back, +1 forward. Forward never goes past `nowMs`;
 * `live` is true when the result reaches now (the chart can follow live values again).
 */
export function pan(w: Window, dir: -1 | 1, nowMs: number): Window & { live: boolean } {
  const width = w.to - w.from;
  let to = w.to + dir * width;
  if (to >= nowMs) to = nowMs;
  return { from: to - width, to, live: to >= nowMs };
}

/**
 * The breaks of a series as stretches of time, for shading: from the last value before
 * a run of gaps (null) to the first value after it. A run at the start begins at its
 * first null, one at the end ends at its last null.
 */
export function gapBands(series: Series): [number, number][] {
  const bands: [number, number][] = [];
  const n = Math.min(series.t.length, series.v.length);
  let i = 0;
  while (i < n) {
    if (series.v[i] !== null) {
      i++;
      continue;
    }
    const start = i > 0 ? series.t[i - 1] : series.t[i];
    let j = i;
    while (j < n && series.v[j] === null) j++;
    const end = j < n ? series.t[j] : series.t[j - 1];
    if (end > start) bands.push([start, end]);
    i = j;
  }
  return bands;
}

/**
 * The value at time `t`: the nearest point no further than `maxDistMs` away; null when
 * that point is a gap or there is none. Times must be ascending.
 */
export function valueAt(series: Series, t: number, maxDistMs: number): number | null {
  const ts = series.t;
  if (ts.length === 0 || !Number.isFinite(t)) return null;
  let lo = 0;
  let hi = ts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  let best = lo;
  if (lo > 0 && Math.abs(ts[lo - 1] - t) <= Math.abs(ts[lo] - t)) best = lo - 1;
  if (Math.abs(ts[best] - t) > maxDistMs) return null;
  return series.v[best] ?? null;
}

/** The newest value that is not a gap, with its time; null when there is none. */
export function lastValue(series: Series): { t: number; v: number } | null {
  for (let i = series.v.length - 1; i >= 0; i--) {
    const v = series.v[i];
    if (v !== null) return { t: series.t[i], v };
  }
  return null;
}
