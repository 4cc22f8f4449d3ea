// Production figures as the pages show them: ratios as percentages, times as durations
// with their exact seconds at hand, how each figure was computed (the server says it in
// words), OEE classes for colours, reasons grouped by category for the reason buttons,
// and stops in words.

import { DASH, formatCount, formatPercent, formatValue } from './format';
import { t } from './i18n.svelte';
import type { Figures, How, Reason, StopView } from './types';

/** "76.9 %"; a null ratio (its denominator was 0) reads as a dash. */
export function pct(x: number | null | undefined, decimals = 1): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return DASH;
  return formatPercent(x, decimals);
}

/** A time in seconds as people say it: "2 h 05 min", "12 min 30 s", "45 s". */
export function dur(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return DASH;
  const neg = seconds < 0;
  const s = Math.round(Math.abs(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const out =
    h > 0
      ? t('production.dur.hm', { h, m: two(m) })
      : m > 0
        ? t('production.dur.ms', { m, s: two(r) })
        : t('production.dur.s', { s: r });
  return neg ? `−${out}` : out;
}

/** Minutes with one decimal, for Pareto bars: "12.5 min". */
export function minutes(seconds: number): string {
  return t('production.dur.min', { m: formatValue(seconds / 60, 1) });
}

/** The figures a page can explain, with their labels and what the server's `how` says. */
export const FIGURES = {
  oee: { label: 'production.figure.oee', how: 'oee' },
  availability: { label: 'production.figure.availability', how: 'availability' },
  performance: { label: 'production.figure.performance', how: 'performance' },
  quality: { label: 'production.figure.quality', how: 'quality' },
  planned: { label: 'production.figure.planned', how: 'planned' },
  run: { label: 'production.figure.run', how: 'run' },
  down: { label: 'production.figure.down', how: 'down' },
  no_data: { label: 'production.figure.no_data', how: 'no_data' },
  parts: { label: 'production.figure.parts', how: 'parts' },
} as const satisfies Record<string, { label: string; how: keyof How }>;

/** A figure's name in the user's language. */
export function figureLabel(key: FigureKey): string {
  return t(FIGURES[key].label);
}

export type FigureKey = keyof typeof FIGURES;

/** The value of a figure as text. */
export function figureText(f: Figures, key: FigureKey): string {
  switch (key) {
    case 'oee':
    case 'availability':
    case 'performance':
    case 'quality':
      return pct(f[key]);
    case 'planned':
      return dur(f.planned_s);
    case 'run':
      return dur(f.run_s);
    case 'down':
      return dur(f.down_s);
    case 'no_data':
      return dur(f.no_data_s);
    case 'parts':
      return formatCount(f.parts_total);
  }
}

/** How a figure was computed, in the server's words. */
export function howOf(f: Figures, key: FigureKey): string {
  return f.how[FIGURES[key].how];
}

/** A colour class for an OEE (or availability): good from 85 %, fair from 60 %. */
export function oeeClass(x: number | null | undefined): 'good' | 'fair' | 'poor' | 'none' {
  if (typeof x !== 'number' || !Number.isFinite(x)) return 'none';
  return x >= 0.85 ? 'good' : x >= 0.6 ? 'fair' : 'poor';
}

export interface ReasonGroup {
  category: string;
  reasons: Reason[];
}

/** Active downtime reasons by category, in the tree's order, for the reason buttons. */
export function reasonGroups(reasons: readonly Reason[]): ReasonGroup[] {
  const out: ReasonGroup[] = [];
  for (const r of reasons) {
    if (!r.active || r.kind !== 'downtime') continue;
    let g = out.find((x) => x.category === r.category);
    if (!g) {
      g = { category: r.category, reasons: [] };
      out.push(g);
    }
    g.reasons.push(r);
  }
  return out;
}

/** How long a stop lasted, or has lasted by `nowMs` while still stopped. */
export function stopMs(s: StopView, nowMs: number): number {
  return Math.max(0, (s.end_ms ?? nowMs) - s.start_ms);
}

/** A stop's reasons in words: "Mechanical / Jam", "Jam, then Waiting for material",
 * "Not explained". */
export function stopReasons(s: StopView): string {
  const named = s.segments.map((g) => g.reason ?? t('production.not_explained'));
  const distinct = named.filter((n, i) => named.indexOf(n) === i);
  if (distinct.length === 0) return t('production.not_explained');
  return distinct.reduce((a, b) => t('production.then', { first: a, second: b }));
}

/** The state that took most of a stop: "fault", "stopped", ... */
export function stopState(s: StopView): 'stopped' | 'idle' | 'setup' | 'fault' {
  const d = s.down_by_state;
  const list: [number, 'stopped' | 'idle' | 'setup' | 'fault'][] = [
    [d.stopped_s, 'stopped'],
    [d.idle_s, 'idle'],
    [d.setup_s, 'setup'],
    [d.fault_s, 'fault'],
  ];
  return list.reduce((a, b) => (b[0] > a[0] ? b : a))[1];
}

/**
 * A point to split a stop at, `fraction` (0..1) of the way through it, on a whole second,
 * strictly inside the stop (a split at its start would replace its first reason).
 */
export function splitPoint(s: StopView, nowMs: number, fraction: number): number | null {
  const end = s.end_ms ?? nowMs;
  const f = Math.min(1, Math.max(0, fraction));
  const t = Math.round((s.start_ms + (end - s.start_ms) * f) / 1000) * 1000;
  return t > s.start_ms && t < end ? t : null;
}

/** Parts against the target so far, as a figure: value "412 / 450", label "Parts / target
 * (92 %)", and a class for its colour. */
export function versusTarget(
  parts: number,
  target: number | null,
): { value: string; label: string; cls: 'good' | 'fair' | 'poor' | 'none' } {
  if (target === null || target <= 0) {
    return { value: formatCount(parts), label: t('production.figure.no_target'), cls: 'none' };
  }
  const r = parts / target;
  return {
    value: `${formatCount(parts)} / ${formatCount(target)}`,
    label: t('production.figure.vs_target', { pct: formatPercent(r, 0) }),
    cls: r >= 0.95 ? 'good' : r >= 0.8 ? 'fair' : 'poor',
  };
}
