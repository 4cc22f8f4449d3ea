import { describe, expect, it } from 'vitest';
import type uPlot from 'uplot';
import type { PlotTag } from './chartdata';
import { lineOptions, stateOptions, tagsOptions, type PlotFrame } from './chartoptions';
import { COUNT_INCRS } from './counter';
import { COLOURS } from './trends';

const frame: PlotFrame = {
  width: 800,
  height: 220,
  syncKey: 'page',
  zone: () => 'Europe/Berlin',
  window: () => ({ from: 1000, to: 2000 }),
  zoom: { hooks: {} },
};

function tag(id: number, unit: string | null, role: string | null = null): PlotTag {
  return { id, label: `Tag ${id}`, unit, role, poll_ms: 1000, machineName: `M${id}` };
}

const noBands = () => [];

describe('a one-tag line chart', () => {
  it('draws the window on x, in ms, sharing the cursor, without uPlot legend', () => {
    const o = lineOptions(frame, tag(1, '°C'), noBands);
    expect(o.ms).toBe(1);
    expect(o.legend?.show).toBe(false);
    expect(o.cursor?.sync?.key).toBe('page');
    expect(o.cursor?.drag?.x).toBe(true);
    const range = o.scales?.x.range as () => [number, number];
    expect(range()).toEqual([1000, 2000]);
    expect(o.series).toHaveLength(2);
    expect(o.series[1].spanGaps).toBe(false);
    expect(o.plugins).toHaveLength(2);
    expect(o.hooks?.setCursor).toBeUndefined();
  });

  it('puts a counter on whole-number ticks', () => {
    const count = lineOptions(frame, tag(1, 'parts', 'count'), noBands);
    expect(count.axes?.[1].incrs).toEqual([...COUNT_INCRS]);
    const range = count.scales?.y.range as (u: uPlot, min: number, max: number) => [number, number];
    expect(range({} as uPlot, 10, 10)).toEqual([8, 12]);
    const line = lineOptions(frame, tag(1, '°C'), noBands);
    expect(line.axes?.[1].incrs).toBeUndefined();
  });
});

describe('a state timeline', () => {
  it('has no y axis and no line, and reports the time under the cursor', () => {
    let hovered: number | null = -1;
    const draw = () => {};
    const o = stateOptions({ ...frame, hover: (ms) => (hovered = ms) }, 'State', draw);
    expect(o.axes?.[1].show).toBe(false);
    expect(o.cursor?.y).toBe(false);
    expect(o.hooks?.draw).toEqual([draw]);
    const paths = o.series[1].paths as () => null;
    expect(paths()).toBeNull();
    const setCursor = o.hooks!.setCursor![0]!;
    const u = { cursor: { left: -10 }, posToVal: (x: number) => x * 10 } as unknown as uPlot;
    setCursor(u);
    expect(hovered).toBeNull();
    setCursor({ ...u, cursor: { left: 5 } } as unknown as uPlot);
    expect(hovered).toBe(50);
  });
});

describe('a chart of several tags', () => {
  const list = [tag(1, '°C'), tag(2, 'kW'), tag(3, 'kw ', 'state')];

  it('has one y axis per unit, left and right in turn, labelled with the unit', () => {
    const o = tagsOptions(frame, list, () => []);
    const axes = o.axes ?? [];
    expect(axes).toHaveLength(3);
    expect(axes.slice(1).map((a) => [a.scale, a.side, a.label])).toEqual([
      ['y0', 3, '°C'],
      ['y1', 1, 'kW'],
    ]);
    expect(Object.keys(o.scales ?? {})).toEqual(['x', 'y0', 'y1']);
    expect(o.series.slice(1).map((s) => s.scale)).toEqual(['y0', 'y1', 'y1']);
  });

  it('colours an axis like its series when it carries one, each series in its colour', () => {
    const o = tagsOptions(frame, list, () => []);
    expect(o.axes?.[1].stroke).toBe(COLOURS[0]);
    expect(o.axes?.[2].stroke).not.toBe(COLOURS[1]);
    expect(o.series.slice(1).map((s) => s.stroke)).toEqual(COLOURS.slice(0, 3));
  });

  it('draws a state tag as a stepped line, the others straight', () => {
    const o = tagsOptions(frame, list, () => []);
    expect(o.series[1].paths).toBeUndefined();
    expect(typeof o.series[3].paths).toBe('function');
  });

  it('names an axis of tags without a unit', () => {
    const o = tagsOptions(frame, [tag(1, null)], () => []);
    expect(o.axes?.[1].label).toBe('no unit');
  });
});
