// The data of one chart: each tag's series for the span on screen (a history answer
// joined with the live samples that came while it was on its way, live samples appended
// while the span follows live values, points left of the window dropped), and what the
// chart shows of it: the look by the tags' roles, values in the window, gaps, uPlot's
// data, the legend's values. Knows nothing of drawing, fetching or the page.

import {
  countPointsIn,
  emptySeries,
  gapBands,
  lastValue,
  mergeSamples,
  toUplot,
  trimBefore,
  valueAt,
  type Series,
} from './series';
import { alignSeries } from './trends';
import type { Sample } from './types';

/** Ranges longer than this reload history every minute while live. */
export const REFRESH_ABOVE_MS = 3_600_000;
/** Live samples kept to fill the time a history request takes. */
export const KEEP_RECENT_MS = 5 * 60_000;

/** What a chart needs of a tag (a machine's tag, or a Trends tag with its machine). */
export interface PlotTag {
  id: number;
  label: string;
  unit: string | null;
  role: string | null;
  poll_ms: number;
  /** Trends: the machine the tag belongs to. */
  machineName?: string;
}

/**
 * How a chart looks: one tag as a line (`line`), a part counter (`count`: whole-number
 * ticks, parts in view) or a state timeline (`state`); or several tags with a legend and
 * an axis per unit (`tags`, the Trends chart).
 */
export type ChartLook = 'line' | 'count' | 'state' | 'tags';

export function chartLook(tags: readonly PlotTag[], legend: boolean): ChartLook {
  if (legend || tags.length !== 1) return 'tags';
  const role = tags[0].role;
  return role === 'state' ? 'state' : role === 'count' ? 'count' : 'line';
}

/** The plot's height in CSS pixels by look. */
export function plotHeight(look: ChartLook): number {
  return look === 'tags' ? 420 : look === 'state' ? 104 : 220;
}

/** The plot's least width in CSS pixels by look. */
export function plotMinWidth(look: ChartLook): number {
  return look === 'tags' ? 200 : 100;
}

/** The series of a chart's tags, and the live samples of the last minutes. */
export class ChartData {
  private readonly series = new Map<number, Series>();
  private recent: Sample[] = [];

  constructor(private readonly keepRecentMs = KEEP_RECENT_MS) {}

  get(id: number): Series {
    return this.series.get(id) ?? emptySeries();
  }

  /** Forgets the series of tags that are not in `ids`. */
  keepOnly(ids: readonly number[]): void {
    for (const id of [...this.series.keys()]) if (!ids.includes(id)) this.series.delete(id);
  }

  /** True when none of these tags has a point yet. */
  empty(ids: readonly number[]): boolean {
    return ids.every((id) => this.get(id).t.length === 0);
  }

  /**
   * Remembers the live samples of these tags (the last `keepRecentMs`, for the next
   * history answer) and returns them.
   */
  remember(batch: readonly Sample[], ids: ReadonlySet<number>): Sample[] {
    const mine = batch.filter((s) => ids.has(s.tag_id));
    if (mine.length === 0) return mine;
    this.recent.push(...mine);
    const newest = mine[mine.length - 1].ts;
    if (this.recent[0].ts < newest - this.keepRecentMs) {
      this.recent = this.recent.filter((s) => s.ts >= newest - this.keepRecentMs);
    }
    return mine;
  }

  /** Appends live samples to their tags' series; points before `from` leave. */
  append(samples: readonly Sample[], from: number): void {
    const ids = new Set(samples.map((s) => s.tag_id));
    for (const id of ids) this.series.set(id, mergeSamples(this.get(id), samples, id, from));
  }

  /**
   * A tag's history for the span; following live values, with the live samples that
   * came while it was on its way.
   */
  setHistory(id: number, history: Series, live: boolean, from: number): void {
    this.series.set(id, live ? mergeSamples(history, this.recent, id, from) : history);
  }

  /** Drops points before `from` (keeping each line's entry point). */
  trim(from: number): void {
    for (const [id, s] of this.series) this.series.set(id, trimBefore(s, from));
  }

  /** Values (not gaps) inside [from, to], per tag. */
  pointsIn(ids: readonly number[], from: number, to: number): Record<number, number> {
    const out: Record<number, number> = {};
    for (const id of ids) out[id] = countPointsIn(this.get(id), from, to);
    return out;
  }

  /** Where each tag's line breaks, for the light bands. */
  bands(ids: readonly number[]): [number, number][][] {
    return ids.map((id) => gapBands(this.get(id)));
  }

  /** uPlot's data: one series as it is, several joined on one time column. */
  plotData(ids: readonly number[]): [number[], ...(number | null | undefined)[][]] {
    if (ids.length === 1) return toUplot(this.get(ids[0]));
    return alignSeries(ids.map((id) => this.get(id)));
  }
}

/**
 * The legend's values: each tag's value at `at` (the nearest point within three pixel
 * columns or two polls), or its latest value when the cursor is off the chart (`at`
 * null). Null where there is none.
 */
export function legendValues(
  tags: readonly PlotTag[],
  seriesOf: (id: number) => Series,
  at: number | null,
  columnMs: number,
): Record<number, number | null> {
  const out: Record<number, number | null> = {};
  for (const t of tags) {
    const s = seriesOf(t.id);
    out[t.id] = at === null ? (lastValue(s)?.v ?? null) : valueAt(s, at, Math.max(3 * columnMs, 2 * t.poll_ms));
  }
  return out;
}

/**
 * How long a state timeline holds a value before it reads "no data": three polls, or a
 * pixel column of the window when that is longer (the core's gap).
 */
export function stateHoldMs(pollMs: number, spanMs: number, columns: number): number {
  return Math.max(3 * pollMs, spanMs / Math.max(100, columns));
}
