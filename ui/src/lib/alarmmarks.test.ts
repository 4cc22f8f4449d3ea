import { describe, expect, it } from 'vitest';
import { markAt, markColour, marksFrom, marksFromJournals } from './alarmmarks';
import type { JournalEntry } from './types';

function entry(id: number, at: number, what: string, priority = 'high'): JournalEntry {
  return { id, alarm_id: 1, at, what, by: 'plantlog', comment: '', key: 'hot', name: 'Oil hot', priority, machine: 'press-1' };
}

describe('alarm marks on charts', () => {
  const journal = [
    entry(5, 9_000, 'cleared'),
    entry(4, 7_000, 'acknowledged'),
    entry(3, 5_000, 'returned'),
    entry(2, 3_000, 'cleared'),
    entry(1, 1_000, 'raised', 'critical'),
    entry(0, 500, 'raised'),
  ];

  it('marks raises, returns and clears within the window, oldest first', () => {
    const m = marksFrom(journal, 1_000, 9_000);
    expect(m.map((x) => [x.at, x.what])).toEqual([
      [1_000, 'raised'],
      [3_000, 'cleared'],
      [5_000, 'raised'],
      [9_000, 'cleared'],
    ]);
    expect(markColour(m[0])).toBe('#7f1d1d');
    expect(markColour(m[1])).toBe('#16a34a');
    expect(markColour(m[2])).toBe('#dc2626');
  });

  it('finds the mark nearest the cursor within the tolerance', () => {
    const m = marksFrom(journal, 0, 10_000);
    expect(markAt(m, 2_900, 200)?.at).toBe(3_000);
    expect(markAt(m, 2_000, 200)).toBeNull();
  });

  it('marks the alarms of several machines (Trends) on one chart, each entry once', () => {
    const other = { ...entry(7, 4_000, 'raised', 'low'), machine: 'press-2', name: 'Press 2 slow' };
    const m = marksFromJournals([journal, [other, entry(3, 5_000, 'returned')]], 1_000, 9_000);
    expect(m.map((x) => [x.at, x.what, x.name])).toEqual([
      [1_000, 'raised', 'Oil hot'],
      [3_000, 'cleared', 'Oil hot'],
      [4_000, 'raised', 'Press 2 slow'],
      [5_000, 'raised', 'Oil hot'],
      [9_000, 'cleared', 'Oil hot'],
    ]);
    expect(marksFromJournals([], 0, 1)).toEqual([]);
  });
});
