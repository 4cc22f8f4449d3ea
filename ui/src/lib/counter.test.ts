import { describe, expect, it } from 'vitest';
import { COUNT_INCRS, countRange, partsInRange } from './counter';

const T0 = 1_764_136_400_000;

function series(v: (number | null)[], step = 1000) {
  return { t: v.map((_, i) => T0 + i * step), v };
}

describe('parts in view', () => {
  it('is the last value minus the first', () => {
    expect(partsInRange(series([100, 101, 105, 110]), T0, T0 + 10_000)).toBe(10);
  });

  it('counts a drop as a reset: the value after it counts from zero', () => {
    // 100 → 110 (+10), reset, 0 → 3 (+3), 3 → 7 (+4)
    expect(partsInRange(series([100, 110, 3, 7]), T0, T0 + 10_000)).toBe(17);
  });

  it('counts nothing for a small step back, which is no reset', () => {
    expect(partsInRange(series([17_400_000, 17_400_050, 15_495_914, 15_495_920]), T0, T0 + 10_000)).toBe(56);
  });

  it('counts across gaps, where the counter kept counting', () => {
    expect(partsInRange(series([100, null, null, 120]), T0, T0 + 10_000)).toBe(20);
  });

  it('looks only inside the window', () => {
    const s = series([50, 100, 101, 105, 200]);
    expect(partsInRange(s, T0 + 1000, T0 + 3000)).toBe(5);
  });

  it('is zero for a single value and null for none', () => {
    expect(partsInRange(series([100]), T0, T0 + 1000)).toBe(0);
    expect(partsInRange(series([null, null]), T0, T0 + 10_000)).toBeNull();
    expect(partsInRange(series([]), T0, T0 + 10_000)).toBeNull();
  });

  it('is whole even for large counters', () => {
    expect(partsInRange(series([15_493_293, 15_493_402]), T0, T0 + 10_000)).toBe(109);
  });
});

describe('count axis', () => {
  it('steps only by whole numbers', () => {
    expect(COUNT_INCRS.every((x) => Number.isInteger(x) && x >= 1)).toBe(true);
    expect(COUNT_INCRS.slice(0, 4)).toEqual([1, 2, 5, 10]);
  });

  it('has whole ends with room, and a flat counter gets a few parts around it', () => {
    expect(countRange(15_493_293, 15_493_293)).toEqual([15_493_291, 15_493_295]);
    expect(countRange(100, 200)).toEqual([90, 210]);
    expect(countRange(0.5, 3.2)).toEqual([0, 6]);
    expect(countRange(null, null)).toEqual([0, 1]);
  });
});
