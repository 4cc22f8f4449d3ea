// Production figures as the pages show them: ratios as percentages, times as durations
// with their exact seconds at hand, how each figure was computed (the server says it in
// words), OEE classes for colours, reasons grouped by category for the reason buttons,
// and stops in words.

import { DASH, formatCount } from './format';
import type { Figures, How, Reason, StopView } from './types';

/** "76.9 %"; a null ratio (its denominator was 0) reads as a dash. */
export function pct(x: number | null | undefined, decimals = 1): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return DASH;
  return `${(x * 100).toFixed(decimals)} %`;
}

/** A time in seconds as people say it: "2 h 05 min", "12 min 30 s", "45 s". */
export function dur(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return DASH;
  const neg = seconds < 0;
  const s = Math.round(Math.abs(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const out = h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : m > 0 ? `${m} min ${String(r).padStart(2, '0')} s` : `${r} s`;
  return neg ? `−${out}` : out;
}

/** Minutes with one decimal, for Pareto bars: "12.5 min". */
export function minutes(seconds: number): string {
  return `${(seconds / 60).toFixed(1)} min`;
}

/** The figures a page can explain, with their labels and what the server's `how` says. */
export const FIGURES = {
  oee: { label: 'OEE', how: 'oee' },
  availability: { label: 'Availability', how: 'availability' },
  performance: { label: 'Performance', how: 'performance' },
  quality: { label: 'Quality', how: 'quality' },
  planned: { label: 'Planned time', how: 'planned' },
  run: { label: 'Run time', how: 'run' },
  down: { label: 'Downtime', how: 'down' },
  no_data: { label: 'No data', how: 'no_data' },
  parts: { label: 'Parts', how: 'parts' },
} as const satisfies Record<string, { label: string; how: keyof How }>;

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
  const named = s.segments.map((g) => g.reason ?? 'Not explained');
  const distinct = named.filter((n, i) => named.indexOf(n) === i);
  if (distinct.length === 0) return 'Not explained';
  return distinct.join(', then ');
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
  if (target === null || target <= 0) return { value: formatCount(parts), label: 'Parts (no target)', cls: 'none' };
  const r = parts / target;
  return {
    value: `${formatCount(parts)} / ${formatCount(target)}`,
    label: `Parts / target (${Math.round(r * 100)} %)`,
    cls: r >= 0.95 ? 'good' : r >= 0.8 ? 'fair' : 'poor',
  };
}
