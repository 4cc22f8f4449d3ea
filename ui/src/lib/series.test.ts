import { describe, expect, it } from 'vitest';
import {
  buildSeries,
  countPoints,
  countPointsIn,
  fromHistory,
  gapBands,
  lastValue,
  valueAt,
  liveWindow,
  mergeSamples,
  pan,
  sampleValue,
  toUplot,
  trimBefore,
} from './series';
import type { Sample } from './types';

const T0 = 1_764_136_400_000;

function good(ts: number, value: number, tag_id = 7): Sample {
  return { tag_id, ts, value, quality: 'good' };
}

describe('fromHistory', () => {
  it('keeps nulls as gaps', () => {
    const s = fromHistory({ t: [T0, T0 + 1000, T0 + 2000], v: [48.1, null, 48.3] });
    expect(toUplot(s)).toEqual([
      [T0, T0 + 1000, T0 + 2000],
      [48.1, null, 48.3],
    ]);
    expect(countPoints(s)).toBe(2);
  });

  it('turns non-finite values into gaps and cuts arrays to equal length', () => {
    const s = fromHistory({
      t: [T0, T0 + 1000, T0 + 2000],
      v: [Number.NaN, 2] as (number | null)[],
    });
    expect(s.t).toEqual([T0, T0 + 1000]);
    expect(s.v).toEqual([null, 2]);
  });

  it('sorts times that come out of order', () => {
    const s = fromHistory({ t: [T0 + 2000, T0, T0 + 1000], v: [3, 1, 2] });
    expect(s.t).toEqual([T0, T0 + 1000, T0 + 2000]);
    expect(s.v).toEqual([1, 2, 3]);
  });

  it('handles an empty answer', () => {
    expect(toUplot(fromHistory({ t: [], v: [] }))).toEqual([[], []]);
  });
});

describe('sampleValue', () => {
  it('uses the value only when good', () => {
    expect(sampleValue(good(T0, 5))).toBe(5);
    expect(sampleValue({ tag_id: 7, ts: T0, value: null, quality: 'no_answer' })).toBeNull();
    expect(
      sampleValue({ tag_id: 7, ts: T0, value: null, quality: 'exception', exception_code: 2 }),
    ).toBeNull();
    // A value sent with bad quality is still not drawn.
    expect(sampleValue({ tag_id: 7, ts: T0, value: 9, quality: 'stale' })).toBeNull();
  });
});

describe('mergeSamples', () => {
  const base = fromHistory({ t: [T0, T0 + 1000], v: [1, 2] });

  it('appends newer samples of its own tag, in time order', () => {
    const s = mergeSamples(base, [good(T0 + 3000, 4), good(T0 + 2000, 3), good(T0 + 2500, 99, 8)], 7);
    expect(s.t).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(s.v).toEqual([1, 2, 3, 4]);
  });

  it('does not change its input', () => {
    mergeSamples(base, [good(T0 + 2000, 3)], 7);
    expect(base.t).toEqual([T0, T0 + 1000]);
  });

  it('skips samples that history already covers', () => {
    const s = mergeSamples(base, [good(T0 + 500, 9), good(T0 + 1000, 9), good(T0 + 1500, 3)], 7);
    expect(s.v).toEqual([1, 2, 3]);
  });

  it('adds bad samples as gaps', () => {
    const s = mergeSamples(
      base,
      [
        { tag_id: 7, ts: T0 + 2000, value: null, quality: 'no_answer' },
        good(T0 + 3000, 5),
      ],
      7,
    );
    expect(s.v).toEqual([1, 2, null, 5]);
    expect(countPoints(s)).toBe(3);
  });

  it('rolls the window: drops old points but keeps one to enter the chart', () => {
    const s = mergeSamples(
      fromHistory({ t: [T0, T0 + 1000, T0 + 2000], v: [1, 2, 3] }),
      [good(T0 + 3000, 4)],
      7,
      T0 + 1500,
    );
    expect(s.t).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(countPointsIn(s, T0 + 1500, T0 + 3000)).toBe(2);
  });
});

describe('trimBefore', () => {
  it('returns the same series when nothing is old', () => {
    const s = fromHistory({ t: [T0, T0 + 1000], v: [1, 2] });
    expect(trimBefore(s, T0)).toBe(s);
    expect(trimBefore(s, T0 + 500)).toBe(s);
  });

  it('keeps the last point before the start', () => {
    const s = fromHistory({ t: [T0, T0 + 1000, T0 + 2000], v: [1, null, 3] });
    expect(trimBefore(s, T0 + 1500).t).toEqual([T0 + 1000, T0 + 2000]);
    expect(trimBefore(s, T0 + 5000).t).toEqual([T0 + 2000]);
  });
});

describe('buildSeries', () => {
  it('joins history and live samples into uPlot data with gaps as null', () => {
    const hist = { t: [T0, T0 + 1000, T0 + 2000], v: [10, null, 12] };
    const live: Sample[] = [
      good(T0 + 2000, 12),
      good(T0 + 3000, 13),
      { tag_id: 7, ts: T0 + 4000, value: null, quality: 'exception', exception_code: 2 },
      good(T0 + 5000, 15),
    ];
    const data = toUplot(buildSeries(hist, live, 7, T0));
    expect(data).toEqual([
      [T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000, T0 + 5000],
      [10, null, 12, 13, null, 15],
    ]);
  });
});

describe('windows', () => {
  const now = T0 + 10 * 3_600_000;
  const H = 3_600_000;

  it('the live window ends now', () => {
    expect(liveWindow(now, H)).toEqual({ from: now - H, to: now });
  });

  it('pans back and forward by one width', () => {
    const back = pan({ from: now - H, to: now }, -1, now);
    expect(back).toEqual({ from: now - 2 * H, to: now - H, live: false });
    const fwd = pan({ from: now - 3 * H, to: now - 2 * H }, 1, now);
    expect(fwd).toEqual({ from: now - 2 * H, to: now - H, live: false });
  });

  it('forward stops at now and reports live', () => {
    const w = pan({ from: now - 1.5 * H, to: now - 0.5 * H }, 1, now);
    expect(w).toEqual({ from: now - H, to: now, live: true });
  });
});

describe('gapBands', () => {
  it('shades from the value before a run of gaps to the value after it', () => {
    const s = { t: [0, 10, 20, 30, 40, 50], v: [1, 2, null, null, 5, 6] };
    expect(gapBands(s)).toEqual([[10, 40]]);
  });

  it('handles gaps at the start and the end, and several runs', () => {
    const s = { t: [0, 10, 20, 30, 40, 50, 60], v: [null, 1, null, 2, 3, null, null] };
    expect(gapBands(s)).toEqual([
      [0, 10],
      [10, 30],
      [40, 60],
    ]);
    expect(gapBands({ t: [0, 10], v: [1, 2] })).toEqual([]);
    expect(gapBands({ t: [5], v: [null] })).toEqual([]);
  });
});

describe('valueAt and lastValue', () => {
  const s = { t: [0, 10, 20, 30], v: [1, 2, null, 4] };

  it('takes the nearest point within reach', () => {
    expect(valueAt(s, 11, 5)).toBe(2);
    expect(valueAt(s, 14, 5)).toBe(2);
    expect(valueAt(s, 26, 5)).toBe(4);
    expect(valueAt(s, -3, 5)).toBe(1);
  });

  it('reads a gap, a point too far away and an empty series as no value', () => {
    expect(valueAt(s, 19, 5)).toBeNull();
    expect(valueAt(s, 100, 5)).toBeNull();
    expect(valueAt({ t: [], v: [] }, 0, 5)).toBeNull();
  });

  it('finds the newest value that is not a gap', () => {
    expect(lastValue({ t: [0, 10, 20], v: [1, 2, null] })).toEqual({ t: 10, v: 2 });
    expect(lastValue({ t: [0], v: [null] })).toBeNull();
  });
});
