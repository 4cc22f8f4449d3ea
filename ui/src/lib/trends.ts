// The Trends page's logic: which tags it shows and the window, kept in the address so a
// trend can be bookmarked or shared; one y axis per unit; a colour per series; several
// series of their own times joined into the one time column a uPlot chart draws; the
// tag picker's search.

import { durationToken, parseDuration, type ViewState } from './span';
import type { Series } from './series';
import { currentTheme } from './theme';

/** At most this many tags on one chart. */
export const MAX_TAGS = 8;

/** Series colours, told apart also by people with the common colour blindnesses. */
export const COLOURS: readonly string[] = [
  '#1d4ed8', // blue
  '#c2410c', // orange
  '#15803d', // green
  '#9333ea', // purple
  '#be123c', // crimson
  '#0e7490', // teal
  '#a16207', // ochre
  '#334155', // slate
];

/** The same hues, lighter, for the dark theme (each at least 4.5:1 on its cards). */
export const COLOURS_DARK: readonly string[] = [
  '#60a5fa', // blue
  '#fb923c', // orange
  '#4ade80', // green
  '#c084fc', // purple
  '#fb7185', // crimson
  '#22d3ee', // teal
  '#facc15', // ochre
  '#cbd5e1', // slate
];

/** The colour of series `index` in the theme shown (charts are made anew on a change). */
export function colourFor(index: number): string {
  const list = currentTheme() === 'dark' ? COLOURS_DARK : COLOURS;
  return list[((index % list.length) + list.length) % list.length];
}

// ---- The address --------------------------------------------------------------------

export interface TrendsAddress {
  tags: number[];
  /** Null: the page's default window. */
  view: ViewState | null;
}

/** Tag ids from text such as "3,7,12": whole positive numbers, each once, at most 8. */
export function parseTagList(text: string | null): number[] {
  if (!text) return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!/^\d+$/.test(p)) continue;
    const id = Number(p);
    if (id > 0 && Number.isSafeInteger(id) && !out.includes(id)) out.push(id);
    if (out.length === MAX_TAGS) break;
  }
  return out;
}

/**
 * The query part of a Trends address: "tags=3,7,12&from=<ms>&to=<ms>" for a fixed
 * window, "tags=3,7&last=24h" for one that follows live values.
 */
export function encodeTrends(a: TrendsAddress): string {
  const q: string[] = [];
  if (a.tags.length > 0) q.push(`tags=${a.tags.join(',')}`);
  if (a.view) {
    if (a.view.live) {
      q.push(`last=${durationToken(a.view.rangeMs)}`);
    } else {
      q.push(`from=${Math.round(a.view.end - a.view.rangeMs)}`, `to=${Math.round(a.view.end)}`);
    }
  }
  return q.join('&');
}

/** Reads encodeTrends' text; parts that make no sense are left out. */
export function decodeTrends(query: string): TrendsAddress {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const tags = parseTagList(params.get('tags'));
  let view: ViewState | null = null;
  const from = Number(params.get('from') ?? NaN);
  const to = Number(params.get('to') ?? NaN);
  const last = params.get('last');
  if (params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from) {
    view = { live: false, rangeMs: Math.round(to - from), end: Math.round(to) };
  } else if (last !== null) {
    const ms = parseDuration(last);
    if (ms !== null) view = { live: true, rangeMs: ms, end: 0 };
  }
  return { tags, view };
}

// ---- One y axis per unit ------------------------------------------------------------

export interface UnitAxis {
  /** The unit as the tags name it; "" for tags without a unit. */
  unit: string;
  /** The uPlot scale key. */
  scale: string;
  /** uPlot sides: 3 left, 1 right. The first axis is on the left, then alternating. */
  side: 1 | 3;
}

/**
 * One axis per distinct unit, in the order the units first appear, left and right in
 * turn; `seriesAxis[i]` is the axis of the i-th series. Units that differ only in
 * spaces or letter case ("kw", "kW ") share an axis.
 */
export function assignAxes(units: readonly (string | null | undefined)[]): {
  axes: UnitAxis[];
  seriesAxis: number[];
} {
  const axes: UnitAxis[] = [];
  const byKey = new Map<string, number>();
  const seriesAxis: number[] = [];
  for (const raw of units) {
    const unit = (raw ?? '').trim();
    const key = unit.toLowerCase();
    let i = byKey.get(key);
    if (i === undefined) {
      i = axes.length;
      byKey.set(key, i);
      axes.push({ unit, scale: `y${i}`, side: i % 2 === 0 ? 3 : 1 });
    }
    seriesAxis.push(i);
  }
  return { axes, seriesAxis };
}

// ---- Series on one time column ------------------------------------------------------

/**
 * Joins series of their own times into uPlot's aligned data: one ascending time column
 * and one value column per series. A series without a point at a time gets `undefined`
 * there (uPlot draws across it); its own gaps stay null (uPlot breaks the line).
 */
export function alignSeries(list: readonly Series[]): [number[], ...(number | null | undefined)[][]] {
  const times = new Set<number>();
  for (const s of list) for (const t of s.t) times.add(t);
  const t = [...times].sort((a, b) => a - b);
  const index = new Map<number, number>();
  t.forEach((x, i) => index.set(x, i));
  const columns = list.map((s) => {
    const col: (number | null | undefined)[] = new Array(t.length).fill(undefined);
    const n = Math.min(s.t.length, s.v.length);
    for (let i = 0; i < n; i++) {
      const at = index.get(s.t[i]);
      if (at === undefined) continue;
      // Two points at one time: a gap wins, so a break is never hidden.
      if (col[at] === null) continue;
      col[at] = s.v[i];
    }
    return col;
  });
  return [t, ...columns];
}

// ---- The tag picker -----------------------------------------------------------------

export interface PickTag {
  id: number;
  label: string;
  name: string;
  unit: string | null;
  role: string | null;
}

export interface PickMachine {
  key: string;
  name: string;
  tags: PickTag[];
}

/**
 * The machines and tags that match a search: every word must appear in the machine's
 * name or key, or the tag's label, name or unit. A machine whose name matches keeps all
 * its tags. Machines without a matching tag are left out.
 */
export function filterPicker(machines: readonly PickMachine[], query: string): PickMachine[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return machines.slice();
  const out: PickMachine[] = [];
  for (const m of machines) {
    const mText = `${m.name} ${m.key}`.toLowerCase();
    const tags = m.tags.filter((t) => {
      const text = `${mText} ${t.label} ${t.name} ${t.unit ?? ''}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
    if (tags.length > 0) out.push({ ...m, tags });
  }
  return out;
}

/** A tag on the Trends chart, with the name of its machine. */
export interface ChartTag extends PickTag {
  poll_ms: number;
  machineKey: string;
  machineName: string;
}

/**
 * The machines of the tags on a chart, each once, in the order of the tags: their
 * alarms are marked on it.
 */
export function chartMachines(tags: readonly Pick<ChartTag, 'machineKey'>[]): string[] {
  const out: string[] = [];
  for (const t of tags) if (!out.includes(t.machineKey)) out.push(t.machineKey);
  return out;
}
