// Part counters on charts: parts made in a window (counted as the core counts them: a
// counter that drops below half was reset and counts from zero again; a smaller step
// back counts nothing), and whole-number axis ticks.

import type { Series } from './series';

/**
 * Parts made between the first and the last value inside [from, to]: the sum of the
 * increases between consecutive values. A drop to less than half is a counter reset
 * (or roll-over), so the value after it counts from zero; a smaller step back (a device
 * swapped, a glitch) counts nothing. Gaps (null) are skipped: the counter kept
 * counting while nobody read it. Null when the window holds no value at all.
 */
export function partsInRange(series: Series, from: number, to: number): number | null {
  let prev: number | null = null;
  let total = 0;
  let seen = false;
  for (let i = 0; i < series.t.length; i++) {
    const t = series.t[i];
    const v = series.v[i];
    if (t < from || t > to || v === null || !Number.isFinite(v)) continue;
    if (prev !== null) total += v >= prev ? v - prev : v < prev / 2 ? Math.max(0, v) : 0;
    prev = v;
    seen = true;
  }
  return seen ? Math.round(total) : null;
}

/** Tick steps for a count axis: whole numbers only, 1 · 2 · 5 · 10 · … · 5e12. */
export const COUNT_INCRS: readonly number[] = (() => {
  const out: number[] = [];
  for (let mag = 1; mag <= 1e12; mag *= 10) out.push(mag, 2 * mag, 5 * mag);
  return out;
})();

/**
 * The y range of a count chart: whole-number ends with a little room, never narrower
 * than a few parts, so a counter standing still reads as one flat line on whole ticks.
 */
export function countRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const lo = Math.floor(Math.min(min, max));
  const hi = Math.ceil(Math.max(min, max));
  const pad = Math.max(2, Math.ceil((hi - lo) * 0.1));
  return [Math.max(0, lo - pad), hi + pad];
}
