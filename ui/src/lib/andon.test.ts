import { describe, expect, it } from 'vitest';
import { grid, headline, pageAt, pages, partsLine, stopLine } from './andon';
import { setLanguage } from './i18n.svelte';
import type { BoardMachine } from './types';

const m = (extra: Partial<BoardMachine> = {}): BoardMachine => ({
  key: 'press-1',
  name: 'Press 1',
  state: { value: 1, label: 'Running', kind: 'running', since_ms: 0 },
  oee: 0.8,
  availability: 0.9,
  parts: 412,
  target: 450,
  stop_since_ms: null,
  stop_reason: null,
  to_explain: 0,
  ...extra,
});

describe('andon board', () => {
  it('fits tiles in a landscape grid, six a page at most', () => {
    expect(grid(1)).toEqual({ cols: 1, rows: 1, perPage: 1 });
    expect(grid(2)).toEqual({ cols: 2, rows: 1, perPage: 2 });
    expect(grid(4)).toEqual({ cols: 2, rows: 2, perPage: 4 });
    expect(grid(6)).toEqual({ cols: 3, rows: 2, perPage: 6 });
    expect(grid(30)).toEqual({ cols: 3, rows: 2, perPage: 6 });
  });

  it('cycles pages by the clock', () => {
    expect(pages([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(pages([], 2)).toEqual([[]]);
    expect(pageAt(0, 20, 3)).toBe(0);
    expect(pageAt(20_000, 20, 3)).toBe(1);
    expect(pageAt(60_000, 20, 3)).toBe(0);
    expect(pageAt(99_000, 0, 3)).toBe(0);
  });

  it('says the state in big words, and a stop\'s length and reason', () => {
    expect(headline(m())).toBe('RUNNING');
    const fault = m({ stop_since_ms: 0, state: { value: 2, label: 'Fault', kind: 'fault', since_ms: 0 } });
    expect(headline(fault)).toBe('FAULT');
    expect(stopLine(fault, 5 * 60_000 + 1)).toBe('5 min · reason not given');
    expect(stopLine({ ...fault, stop_reason: 'Mechanical / Jam' }, 60_000)).toBe('1 min · Mechanical / Jam');
    expect(stopLine(fault, 59_999)).toBe('under 1 min · reason not given');
    expect(stopLine(m(), 0)).toBeNull();
    expect(headline(m({ state: { value: null, label: 'No data', kind: 'unknown', since_ms: 0 } }))).toBe('NO DATA');
    expect(partsLine(m())).toBe('412 / 450');
    expect(partsLine(m({ target: null }))).toBe('412');
  });

  it("speaks the plant's language on the wall, numbers grouped as it writes them", () => {
    setLanguage('de', 'de-DE');
    try {
      const fault = m({ stop_since_ms: 0, parts: 1412, target: 1450, state: { value: 2, label: 'Störung', kind: 'fault', since_ms: 0 } });
      expect(stopLine(fault, 59_999)).toBe('unter 1 min · kein Grund angegeben');
      expect(headline(m({ state: { value: null, label: '', kind: 'unknown', since_ms: 0 } }))).toBe(
        'KEINE DATEN',
      );
      expect(partsLine(fault)).toBe('1.412 / 1.450');
    } finally {
      setLanguage('en', 'en-GB');
    }
  });
});
