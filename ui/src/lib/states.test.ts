import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from './i18n.svelte';
import { describeState, legend, legendFromTimes, segmentAt, segmentsFromColumns, stateName, stateSegments } from './states';
import type { MachineState } from './types';

const T0 = 1_764_136_400_000;
const S = 1000;
const STATES: MachineState[] = [
  { value: 0, label: 'Stopped', kind: 'stopped' },
  { value: 1, label: 'Running', kind: 'running' },
  { value: 2, label: 'Fault', kind: 'fault' },
];

function series(points: [number, number | null][]) {
  return { t: points.map((p) => T0 + p[0] * S), v: points.map((p) => p[1]) };
}

const brief = (segs: ReturnType<typeof stateSegments>) =>
  segs.map((s) => [(s.from - T0) / S, (s.to - T0) / S, s.kind]);

describe('state segments', () => {
  it('holds each value until the next and merges repeats', () => {
    const s = series([[0, 1], [1, 1], [2, 1], [5, 2], [6, 2], [8, 1], [9, 1]]);
    expect(brief(stateSegments(s, STATES, T0, T0 + 10 * S, 3 * S))).toEqual([
      [0, 5, 'running'],
      [5, 8, 'fault'],
      [8, 10, 'running'],
    ]);
  });

  it('draws a gap from a null to the next value', () => {
    const s = series([[0, 1], [3, null], [6, 0], [9, 0]]);
    expect(brief(stateSegments(s, STATES, T0, T0 + 10 * S, 3 * S))).toEqual([
      [0, 3, 'running'],
      [3, 6, 'nodata'],
      [6, 10, 'stopped'],
    ]);
  });

  it('holds the last value only for holdMs, then reads no data', () => {
    const s = series([[0, 1], [2, 1]]);
    expect(brief(stateSegments(s, STATES, T0, T0 + 10 * S, 3 * S))).toEqual([
      [0, 5, 'running'],
      [5, 10, 'nodata'],
    ]);
  });

  it('is no data before a first value that comes late, and clips a value from before', () => {
    expect(brief(stateSegments(series([[4, 1]]), STATES, T0, T0 + 6 * S, 3 * S))).toEqual([
      [0, 4, 'nodata'],
      [4, 6, 'running'],
    ]);
    expect(brief(stateSegments(series([[1, 1]]), STATES, T0, T0 + 3 * S, 3 * S))).toEqual([
      [0, 3, 'running'],
    ]);
    const before = series([[-30, 2], [2, 1]]);
    expect(brief(stateSegments(before, STATES, T0, T0 + 4 * S, 3 * S))).toEqual([
      [0, 2, 'fault'],
      [2, 4, 'running'],
    ]);
  });

  it('is all no data without values', () => {
    expect(brief(stateSegments(series([]), STATES, T0, T0 + 10 * S, 3 * S))).toEqual([
      [0, 10, 'nodata'],
    ]);
  });

  it('names values the plant does not list as the core does', () => {
    expect(describeState(7, STATES)).toEqual({ label: 'State 7', kind: 'unknown' });
    expect(describeState(1.0000001, STATES)).toEqual({ label: 'Running', kind: 'running' });
    const segs = stateSegments(series([[0, 7]]), STATES, T0, T0 + S, 3 * S);
    expect(segs[0]).toMatchObject({ value: 7, label: 'State 7', kind: 'unknown' });
  });
});

describe('state at a time', () => {
  const segs = stateSegments(series([[0, 1], [3, null], [6, 0]]), STATES, T0, T0 + 10 * S, 30 * S);

  it('finds the stretch that covers the time', () => {
    expect(segmentAt(segs, T0)?.kind).toBe('running');
    expect(segmentAt(segs, T0 + 2999)?.kind).toBe('running');
    expect(segmentAt(segs, T0 + 3 * S)?.kind).toBe('nodata');
    expect(segmentAt(segs, T0 + 10 * S)?.kind).toBe('stopped');
  });

  it('is null outside the window', () => {
    expect(segmentAt(segs, T0 - 1)).toBeNull();
    expect(segmentAt(segs, T0 + 11 * S)).toBeNull();
    expect(segmentAt([], T0)).toBeNull();
  });
});

describe('legend', () => {
  it('lists the states present in plant order with their time, no data last', () => {
    const s = series([[0, 2], [2, 1], [5, null], [6, 1], [8, 9]]);
    const l = legend(stateSegments(s, STATES, T0, T0 + 10 * S, 3 * S), STATES);
    expect(l.map((e) => [e.label, e.ms / S])).toEqual([
      ['Running', 5],
      ['Fault', 2],
      ['State 9', 2],
      ['No data', 1],
    ]);
  });
});

describe('legend from exact times', () => {
  it('names and orders the states as the plant lists them, no data last', () => {
    const l = legendFromTimes(
      {
        tag_id: 1,
        from: T0,
        to: T0 + 100 * S,
        states: [
          { value: 7, ms: 5 * S },
          { value: 2, ms: 10 * S },
          { value: 1, ms: 60 * S },
          { value: 0, ms: 0 },
        ],
        no_data_ms: 25 * S,
      },
      STATES,
    );
    expect(l.map((e) => [e.label, e.ms])).toEqual([
      ['Running', 60 * S],
      ['Fault', 10 * S],
      ['State 7', 5 * S],
      ['No data', 25 * S],
    ]);
    expect(l[0].kind).toBe('running');
    expect(l[3].kind).toBe('nodata');
  });
});

describe('timeline from columns', () => {
  it('draws each column in its longest state, neighbours merged', () => {
    const segs = segmentsFromColumns(
      { tag_id: 1, from: T0, to: T0 + 5 * S, states: [], no_data_ms: 0, columns: [1, 1, null, 2, 1] },
      STATES,
    );
    expect(segs.map((s) => [s.from - T0, s.to - T0, s.label])).toEqual([
      [0, 2 * S, 'Running'],
      [2 * S, 3 * S, 'No data'],
      [3 * S, 4 * S, 'Fault'],
      [4 * S, 5 * S, 'Running'],
    ]);
  });
});

describe('state names in the user language', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('translates the names Plantlog gives and keeps the names the plant wrote', () => {
    setLanguage('de', 'de-DE');
    expect(stateName('Running', 'running')).toBe('Läuft');
    expect(stateName('Fault', 'fault')).toBe('Störung');
    expect(stateName('No data', 'unknown')).toBe('Keine Daten');
    expect(stateName('State 7', 'unknown')).toBe(describeState(7, STATES).label);
    // The plant's own words are data, and a standard word under another kind is too.
    expect(stateName('Tool change', 'setup')).toBe('Tool change');
    expect(stateName('Running', 'idle')).toBe('Running');
    expect(describeState(2, STATES).label).toBe('Störung');
    setLanguage('zh');
    expect(stateName('Stopped', 'stopped')).toBe('停机');
  });
});
