import { describe, expect, it } from 'vitest';
import {
  ChartData,
  chartLook,
  legendValues,
  plotHeight,
  plotMinWidth,
  stateHoldMs,
  type PlotTag,
} from './chartdata';
import type { Sample } from './types';

const T0 = 1_764_136_400_000;

function tag(id: number, role: string | null = null, unit: string | null = '°C'): PlotTag {
  return { id, label: `Tag ${id}`, unit, role, poll_ms: 1000 };
}

function good(tag_id: number, ts: number, value: number): Sample {
  return { tag_id, ts, value, quality: 'good' };
}

describe('the look of a chart', () => {
  it('draws one tag by its role', () => {
    expect(chartLook([tag(1)], false)).toBe('line');
    expect(chartLook([tag(1, 'count')], false)).toBe('count');
    expect(chartLook([tag(1, 'state')], false)).toBe('state');
  });

  it('with a legend is the several-tags chart, even for one tag of any role', () => {
    expect(chartLook([tag(1, 'state')], true)).toBe('tags');
    expect(chartLook([tag(1), tag(2)], true)).toBe('tags');
    expect(chartLook([tag(1), tag(2)], false)).toBe('tags');
  });

  it('sizes the plot by look', () => {
    expect(plotHeight('line')).toBe(220);
    expect(plotHeight('count')).toBe(220);
    expect(plotHeight('state')).toBe(104);
    expect(plotHeight('tags')).toBe(420);
    expect(plotMinWidth('line')).toBe(100);
    expect(plotMinWidth('tags')).toBe(200);
  });
});

describe('ChartData', () => {
  it('joins a history answer with the live samples that came while it was on its way', () => {
    const d = new ChartData();
    d.remember([good(1, T0 + 3000, 3), good(2, T0 + 3000, 30)], new Set([1]));
    d.setHistory(1, { t: [T0, T0 + 1000], v: [1, 2] }, true, T0);
    expect(d.get(1)).toEqual({ t: [T0, T0 + 1000, T0 + 3000], v: [1, 2, 3] });
    // A fixed span takes the history as it is.
    d.setHistory(1, { t: [T0], v: [1] }, false, T0);
    expect(d.get(1)).toEqual({ t: [T0], v: [1] });
  });

  it('remembers only the last minutes of live samples, and only of its tags', () => {
    const d = new ChartData(10_000);
    expect(d.remember([good(9, T0, 1)], new Set([1]))).toEqual([]);
    d.remember([good(1, T0, 1)], new Set([1]));
    const mine = d.remember([good(1, T0 + 20_000, 2), good(9, T0 + 20_000, 5)], new Set([1]));
    expect(mine).toEqual([good(1, T0 + 20_000, 2)]);
    d.setHistory(1, { t: [], v: [] }, true, T0);
    expect(d.get(1).t).toEqual([T0 + 20_000]);
  });

  it('appends live samples to their own tags and trims to the window', () => {
    const d = new ChartData();
    d.setHistory(1, { t: [T0, T0 + 1000], v: [1, 2] }, false, T0);
    d.setHistory(2, { t: [T0], v: [10] }, false, T0);
    d.append([good(1, T0 + 2000, 3)], T0 + 1500);
    expect(d.get(1)).toEqual({ t: [T0 + 1000, T0 + 2000], v: [2, 3] });
    expect(d.get(2)).toEqual({ t: [T0], v: [10] });
    d.trim(T0 + 2500);
    expect(d.get(1)).toEqual({ t: [T0 + 2000], v: [3] });
  });

  it('forgets tags taken off the chart and counts, bands and aligns the rest', () => {
    const d = new ChartData();
    d.setHistory(1, { t: [T0, T0 + 1000, T0 + 2000], v: [1, null, 3] }, false, T0);
    d.setHistory(2, { t: [T0 + 500], v: [7] }, false, T0);
    d.setHistory(3, { t: [T0], v: [0] }, false, T0);
    d.keepOnly([1, 2]);
    expect(d.empty([3])).toBe(true);
    expect(d.empty([1, 3])).toBe(false);
    expect(d.pointsIn([1, 2], T0, T0 + 1000)).toEqual({ 1: 1, 2: 1 });
    expect(d.bands([1, 2])).toEqual([[[T0, T0 + 2000]], []]);
    expect(d.plotData([1])).toEqual([
      [T0, T0 + 1000, T0 + 2000],
      [1, null, 3],
    ]);
    expect(d.plotData([1, 2])).toEqual([
      [T0, T0 + 500, T0 + 1000, T0 + 2000],
      [1, undefined, null, 3],
      [undefined, 7, undefined, undefined],
    ]);
  });
});

describe('the legend values', () => {
  const d = new ChartData();
  d.setHistory(1, { t: [T0, T0 + 1000, T0 + 2000], v: [1, 2, null] }, false, T0);
  const tags = [tag(1), tag(2)];

  it('are the latest values when the cursor is off the chart', () => {
    expect(legendValues(tags, (id) => d.get(id), null, 100)).toEqual({ 1: 2, 2: null });
  });

  it('are the nearest values under the cursor, within three columns or two polls', () => {
    expect(legendValues(tags, (id) => d.get(id), T0 + 1400, 100)).toEqual({ 1: 2, 2: null });
    expect(legendValues(tags, (id) => d.get(id), T0 + 1000 + 2500, 100)).toEqual({ 1: null, 2: null });
    expect(legendValues(tags, (id) => d.get(id), T0 + 1000 + 2500, 1000)).toEqual({ 1: null, 2: null });
    expect(legendValues(tags, (id) => d.get(id), T0 - 2500, 1000)).toEqual({ 1: 1, 2: null });
  });
});

describe('the hold of a state timeline', () => {
  it('is three polls, or a pixel column when that is longer', () => {
    expect(stateHoldMs(1000, 3_600_000, 1000)).toBe(3600);
    expect(stateHoldMs(1000, 60_000, 1000)).toBe(3000);
    // Never fewer than 100 columns.
    expect(stateHoldMs(1000, 3_600_000, 10)).toBe(36_000);
  });
});
