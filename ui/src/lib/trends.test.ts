import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from './span';
import {
  chartMachines,
  COLOURS,
  MAX_TAGS,
  alignSeries,
  assignAxes,
  colourFor,
  decodeTrends,
  encodeTrends,
  filterPicker,
  parseTagList,
  type PickMachine,
} from './trends';

const NOW = Date.UTC(2025, 10, 26, 13, 0, 0);

describe('the Trends address', () => {
  it('keeps tags and a fixed window', () => {
    const q = encodeTrends({ tags: [3, 7, 12], view: { live: false, rangeMs: HOUR, end: NOW } });
    expect(q).toBe(`tags=3,7,12&from=${NOW - HOUR}&to=${NOW}`);
    expect(decodeTrends(q)).toEqual({ tags: [3, 7, 12], view: { live: false, rangeMs: HOUR, end: NOW } });
  });

  it('keeps a window that follows live values as its width', () => {
    const q = encodeTrends({ tags: [5], view: { live: true, rangeMs: 24 * HOUR, end: NOW } });
    expect(q).toBe('tags=5&last=1d');
    expect(decodeTrends(q)).toEqual({ tags: [5], view: { live: true, rangeMs: DAY, end: 0 } });
    expect(decodeTrends('tags=5&last=1y').view).toEqual({ live: true, rangeMs: 365 * DAY, end: 0 });
  });

  it('reads a leading "?" and leaves out what makes no sense', () => {
    expect(decodeTrends('?tags=1,x,2,2,-4,0&from=20&to=10')).toEqual({ tags: [1, 2], view: null });
    expect(decodeTrends('last=soon')).toEqual({ tags: [], view: null });
    expect(decodeTrends('')).toEqual({ tags: [], view: null });
    expect(encodeTrends({ tags: [], view: null })).toBe('');
  });

  it('takes at most eight tags', () => {
    expect(parseTagList('1,2,3,4,5,6,7,8,9,10')).toHaveLength(MAX_TAGS);
    expect(parseTagList(null)).toEqual([]);
  });

  it('survives the router (the query of #/trends?...)', () => {
    const q = encodeTrends({ tags: [1, 2], view: { live: false, rangeMs: 30 * DAY, end: NOW } });
    expect(decodeTrends(decodeURIComponent(q))).toEqual(decodeTrends(q));
  });
});

describe('assignAxes', () => {
  it('gives each unit one axis, left and right in turn', () => {
    const r = assignAxes(['°C', 'A', '°C', 'kW', 'bar']);
    expect(r.axes.map((a) => [a.unit, a.side])).toEqual([
      ['°C', 3],
      ['A', 1],
      ['kW', 3],
      ['bar', 1],
    ]);
    expect(r.seriesAxis).toEqual([0, 1, 0, 2, 3]);
    expect(new Set(r.axes.map((a) => a.scale)).size).toBe(4);
  });

  it('puts tags without a unit on one axis of their own, and ignores case and spaces', () => {
    const r = assignAxes([null, 'kW', ' kw', '', undefined]);
    expect(r.axes.map((a) => a.unit)).toEqual(['', 'kW']);
    expect(r.seriesAxis).toEqual([0, 1, 1, 0, 0]);
  });

  it('has no axis without tags', () => {
    expect(assignAxes([])).toEqual({ axes: [], seriesAxis: [] });
  });
});

describe('colours', () => {
  it('are distinct for the most tags a chart holds', () => {
    expect(new Set(Array.from({ length: MAX_TAGS }, (_, i) => colourFor(i))).size).toBe(MAX_TAGS);
    expect(colourFor(COLOURS.length)).toBe(COLOURS[0]);
  });
});

describe('alignSeries', () => {
  it('joins series of their own times; missing points are undefined, gaps stay null', () => {
    const a = { t: [10, 20, 30], v: [1, null, 3] };
    const b = { t: [15, 20, 40], v: [5, 6, 7] };
    expect(alignSeries([a, b])).toEqual([
      [10, 15, 20, 30, 40],
      [1, undefined, null, 3, undefined],
      [undefined, 5, 6, undefined, 7],
    ]);
  });

  it('lets a gap win over a value at the same time', () => {
    expect(alignSeries([{ t: [10, 10], v: [null, 4] }])).toEqual([[10], [null]]);
  });

  it('handles no series and empty ones', () => {
    expect(alignSeries([])).toEqual([[]]);
    expect(alignSeries([{ t: [], v: [] }])).toEqual([[], []]);
  });
});

describe('filterPicker', () => {
  const machines: PickMachine[] = [
    {
      key: 'press-1',
      name: 'Press 1',
      tags: [
        { id: 1, label: 'Oil temperature', name: 'oil_temp', unit: '°C', role: null },
        { id: 2, label: 'Motor current', name: 'current', unit: 'A', role: null },
      ],
    },
    {
      key: 'oven',
      name: 'Curing oven',
      tags: [{ id: 3, label: 'Zone 1 temperature', name: 'z1', unit: '°C', role: null }],
    },
  ];

  it('finds tags by all words in machine and tag', () => {
    expect(filterPicker(machines, 'press temp').map((m) => m.tags.map((t) => t.id))).toEqual([[1]]);
    expect(filterPicker(machines, 'temperature').map((m) => m.key)).toEqual(['press-1', 'oven']);
    expect(filterPicker(machines, '°c').flatMap((m) => m.tags.map((t) => t.id))).toEqual([1, 3]);
  });

  it('keeps all tags of a machine found by its name, and all for no search', () => {
    expect(filterPicker(machines, 'oven')[0].tags).toHaveLength(1);
    expect(filterPicker(machines, 'PRESS')[0].tags).toHaveLength(2);
    expect(filterPicker(machines, '  ')).toEqual(machines);
    expect(filterPicker(machines, 'nothing like it')).toEqual([]);
  });
});

describe('chartMachines', () => {
  it('names each machine of the chart once, in the order of its tags', () => {
    expect(chartMachines([{ machineKey: 'press-2' }, { machineKey: 'press-1' }, { machineKey: 'press-2' }])).toEqual([
      'press-2',
      'press-1',
    ]);
    expect(chartMachines([])).toEqual([]);
  });
});
