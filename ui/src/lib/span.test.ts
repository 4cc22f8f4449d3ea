import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  MAX_SPAN_MS,
  MINUTE,
  MIN_SPAN_MS,
  axisFormat,
  axisLabels,
  customSpan,
  describeSpan,
  durationToken,
  formatMonth,
  fromLocalInput,
  parseDuration,
  pushView,
  selectSpan,
  shiftSpan,
  spanOf,
  toLocalInput,
  viewOf,
  wheelFactor,
  zoneOffset,
  zoomOut,
  zoomSpan,
  ZOOM_HISTORY,
} from './span';

const NOW = Date.UTC(2025, 10, 26, 13, 0, 0); // 26 Nov 2025 14:00 in Berlin
const BERLIN = 'Europe/Berlin';

describe('views and spans', () => {
  it('a live view ends now, a fixed one at its end', () => {
    expect(spanOf({ live: true, rangeMs: HOUR, end: 0 }, NOW)).toEqual({ from: NOW - HOUR, to: NOW });
    expect(spanOf({ live: false, rangeMs: HOUR, end: NOW - DAY }, NOW)).toEqual({
      from: NOW - DAY - HOUR,
      to: NOW - DAY,
    });
  });

  it('a span that reaches now follows live values; none reaches past now', () => {
    expect(viewOf({ from: NOW - HOUR, to: NOW + 5 * MINUTE }, NOW)).toEqual({
      live: true,
      rangeMs: HOUR + 5 * MINUTE,
      end: NOW,
    });
    expect(viewOf({ from: NOW - HOUR, to: NOW - 500 }, NOW).live).toBe(true);
    expect(viewOf({ from: NOW - 2 * HOUR, to: NOW - HOUR }, NOW)).toEqual({
      live: false,
      rangeMs: HOUR,
      end: NOW - HOUR,
    });
  });

  it('keeps spans between a minute and ten years wide', () => {
    expect(viewOf({ from: NOW - 2 * HOUR, to: NOW - 2 * HOUR + 5 }, NOW).rangeMs).toBe(MIN_SPAN_MS);
    expect(viewOf({ from: 0, to: NOW }, NOW).rangeMs).toBe(MAX_SPAN_MS);
  });
});

describe('selectSpan (drag on a chart)', () => {
  it('takes the span between the two ends in any order', () => {
    expect(selectSpan(NOW - HOUR, NOW - 2 * HOUR, NOW)).toEqual({ from: NOW - 2 * HOUR, to: NOW - HOUR });
  });

  it('grows a span narrower than a minute around its middle', () => {
    const mid = NOW - HOUR;
    const s = selectSpan(mid - 5000, mid + 5000, NOW);
    expect(s).toEqual({ from: mid - 30_000, to: mid + 30_000 });
  });

  it('never reaches past now', () => {
    const s = selectSpan(NOW - 10_000, NOW + 10_000, NOW);
    expect(s.to).toBe(NOW);
    expect(s.to - s.from).toBe(MINUTE);
  });
});

describe('zoomSpan (wheel)', () => {
  const span = { from: NOW - 10 * HOUR, to: NOW - 2 * HOUR }; // 8 h

  it('keeps the time under the cursor in its place', () => {
    const anchor = NOW - 8 * HOUR; // a quarter from the left
    const z = zoomSpan(span, anchor, 0.5, NOW);
    expect(z.to - z.from).toBe(4 * HOUR);
    expect((anchor - z.from) / (z.to - z.from)).toBeCloseTo(0.25, 6);
  });

  it('zooming out and in again returns to the span', () => {
    const old = { from: NOW - 20 * HOUR, to: NOW - 12 * HOUR };
    const anchor = NOW - 14 * HOUR;
    const out = zoomSpan(old, anchor, 2, NOW);
    expect(zoomSpan(out, anchor, 0.5, NOW)).toEqual(old);
  });

  it('a span zoomed out past now ends at now, keeping its width', () => {
    const z = zoomSpan({ from: NOW - HOUR, to: NOW }, NOW - 30 * MINUTE, 4, NOW);
    expect(z).toEqual({ from: NOW - 4 * HOUR, to: NOW });
  });

  it('stops at a minute and at ten years', () => {
    const tiny = zoomSpan({ from: NOW - 2 * MINUTE, to: NOW - MINUTE }, NOW - 90_000, 0.1, NOW);
    expect(tiny.to - tiny.from).toBe(MINUTE);
    const huge = zoomSpan({ from: NOW - 5 * 365 * DAY, to: NOW }, NOW, 4, NOW);
    expect(huge.to - huge.from).toBe(MAX_SPAN_MS);
  });

  it('an anchor outside the span counts as its nearest edge', () => {
    const z = zoomSpan(span, NOW + DAY, 0.5, NOW);
    expect(z.to).toBe(span.to);
  });

  it('a wheel notch zooms by about a quarter; up zooms in, down out', () => {
    expect(wheelFactor(100)).toBeCloseTo(1.26, 2);
    expect(wheelFactor(-100)).toBeCloseTo(1 / 1.26, 2);
    expect(wheelFactor(0)).toBe(1);
    expect(wheelFactor(10_000)).toBe(2);
    expect(wheelFactor(-10_000)).toBe(0.5);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(120), 6);
  });
});

describe('shiftSpan', () => {
  it('moves by a share of the width and not past now', () => {
    expect(shiftSpan({ from: NOW - 3 * HOUR, to: NOW - 2 * HOUR }, -0.5, NOW)).toEqual({
      from: NOW - 3.5 * HOUR,
      to: NOW - 2.5 * HOUR,
    });
    expect(shiftSpan({ from: NOW - 2 * HOUR, to: NOW - HOUR }, 2, NOW)).toEqual({ from: NOW - HOUR, to: NOW });
  });
});

describe('zoom history', () => {
  const a = { live: true, rangeMs: HOUR, end: 0 };
  const b = { live: false, rangeMs: 10 * MINUTE, end: NOW - HOUR };

  it('Zoom out returns to the span before the last zoom', () => {
    let stack = pushView([], a);
    stack = pushView(stack, b);
    const r = zoomOut(stack, { live: false, rangeMs: MINUTE, end: NOW - HOUR }, NOW);
    expect(r.view).toEqual(b);
    expect(r.stack).toEqual([a]);
    expect(zoomOut(r.stack, r.view, NOW).view).toEqual(a);
  });

  it('without history it doubles the span around its middle', () => {
    const r = zoomOut([], { live: false, rangeMs: HOUR, end: NOW - DAY }, NOW);
    expect(r.view).toEqual({ live: false, rangeMs: 2 * HOUR, end: NOW - DAY + 30 * MINUTE });
    expect(r.stack).toEqual([]);
  });

  it('does not keep one span twice in a row, and forgets the oldest', () => {
    expect(pushView(pushView([], a), { ...a, end: 123 })).toHaveLength(1);
    let stack: ReturnType<typeof pushView> = [];
    for (let i = 0; i < ZOOM_HISTORY + 5; i++) stack = pushView(stack, { live: false, rangeMs: HOUR, end: i });
    expect(stack).toHaveLength(ZOOM_HISTORY);
    expect(stack[0].end).toBe(5);
  });
});

describe('axisFormat', () => {
  it('chooses by span when the ticks are not known', () => {
    expect(axisFormat(15 * MINUTE)).toBe('hms');
    expect(axisFormat(HOUR)).toBe('hm');
    expect(axisFormat(24 * HOUR)).toBe('hm');
    expect(axisFormat(7 * DAY)).toBe('day');
    expect(axisFormat(30 * DAY)).toBe('day');
    expect(axisFormat(365 * DAY)).toBe('month');
  });

  it('follows the ticks, so no two ticks read alike', () => {
    expect(axisFormat(15 * MINUTE, MINUTE)).toBe('hms');
    expect(axisFormat(2 * HOUR, 30_000)).toBe('hms');
    expect(axisFormat(8 * HOUR, 30 * MINUTE)).toBe('hm');
    expect(axisFormat(7 * DAY, 12 * HOUR)).toBe('hm');
    expect(axisFormat(7 * DAY, DAY)).toBe('day');
    expect(axisFormat(30 * DAY, 2 * DAY)).toBe('day');
    expect(axisFormat(365 * DAY, 30 * DAY)).toBe('month');
    expect(axisFormat(365 * DAY, 15 * DAY)).toBe('day');
  });

  it('labels ticks in the plant time zone', () => {
    const t = Date.UTC(2025, 10, 26, 13, 4, 5);
    expect(axisLabels([t], 'hms', BERLIN)).toEqual(['14:04:05']);
    expect(axisLabels([t], 'hm', BERLIN)).toEqual(['14:04']);
    expect(axisLabels([t], 'day', BERLIN)).toEqual(['26 Nov']);
    expect(axisLabels([t], 'month', BERLIN)).toEqual(['Nov 2025']);
    expect(formatMonth(Date.UTC(2025, 11, 31, 23, 30), BERLIN)).toBe('Jan 2026');
  });

  it('names the day at midnight among hours', () => {
    const midnight = Date.UTC(2025, 10, 26, 23, 0); // 27 Nov 00:00 in Berlin
    expect(axisLabels([midnight - 6 * HOUR, midnight], 'hm', BERLIN)).toEqual(['18:00', '27 Nov']);
  });
});

describe('custom from/to in the plant time zone', () => {
  it('reads and writes datetime-local values as Berlin wall time', () => {
    expect(toLocalInput(NOW, BERLIN)).toBe('2025-11-26T14:00');
    expect(fromLocalInput('2025-11-26T14:00', BERLIN)).toBe(NOW);
    expect(fromLocalInput('2025-07-01T12:30', BERLIN)).toBe(Date.UTC(2025, 6, 1, 10, 30));
    expect(toLocalInput(Date.UTC(2025, 6, 1, 10, 30), BERLIN)).toBe('2025-07-01T12:30');
  });

  it('knows the offset in summer and winter', () => {
    expect(zoneOffset(NOW, BERLIN)).toBe(HOUR);
    expect(zoneOffset(Date.UTC(2025, 6, 1), BERLIN)).toBe(2 * HOUR);
    expect(zoneOffset(NOW, 'UTC')).toBe(0);
  });

  it('round-trips around the clock changes', () => {
    for (const ms of [Date.UTC(2025, 2, 30, 0, 30), Date.UTC(2025, 2, 30, 1, 30), Date.UTC(2025, 9, 26, 1, 30)]) {
      const text = toLocalInput(ms, BERLIN);
      const back = fromLocalInput(text, BERLIN)!;
      expect(toLocalInput(back, BERLIN)).toBe(text);
    }
  });

  it('refuses what is no date', () => {
    expect(fromLocalInput('', BERLIN)).toBeNull();
    expect(fromLocalInput('2025-13-01T00:00', BERLIN)).toBeNull();
    expect(fromLocalInput('yesterday', BERLIN)).toBeNull();
  });

  it('checks a custom window', () => {
    expect(customSpan('2025-11-26T10:00', '2025-11-26T12:00', BERLIN, NOW)).toEqual({
      from: Date.UTC(2025, 10, 26, 9),
      to: Date.UTC(2025, 10, 26, 11),
    });
    expect(customSpan('2025-11-26T12:00', '2025-11-26T10:00', BERLIN, NOW)).toEqual({
      error: 'The end must be after the start.',
    });
    expect(customSpan('', '2025-11-26T10:00', BERLIN, NOW)).toEqual({ error: 'Enter the start date and time.' });
    expect(customSpan('2025-11-27T10:00', '2025-11-28T10:00', BERLIN, NOW)).toEqual({ error: 'The start is in the future.' });
    // An end in the future is cut at now.
    expect(customSpan('2025-11-26T10:00', '2025-11-27T10:00', BERLIN, NOW)).toEqual({
      from: Date.UTC(2025, 10, 26, 9),
      to: NOW,
    });
  });
});

describe('describeSpan', () => {
  it('says the window in words, with the year only when it is another', () => {
    expect(describeSpan({ from: NOW - HOUR, to: NOW }, BERLIN, NOW)).toBe('26 Nov 13:00 – 14:00 (1 h)');
    expect(describeSpan({ from: NOW - 7 * DAY, to: NOW }, BERLIN, NOW)).toBe('19 Nov 14:00 – 26 Nov 14:00 (7 d)');
    expect(describeSpan({ from: NOW - 365 * DAY, to: NOW }, BERLIN, NOW)).toBe(
      '26 Nov 2024 14:00 – 26 Nov 2025 14:00 (365 d)',
    );
  });
});

describe('durations in addresses', () => {
  it('writes and reads durations', () => {
    expect(durationToken(15 * MINUTE)).toBe('15m');
    expect(durationToken(HOUR)).toBe('1h');
    expect(durationToken(7 * DAY)).toBe('7d');
    expect(durationToken(90_000)).toBe('90s');
    expect(durationToken(1234)).toBe('1234');
    for (const ms of [15 * MINUTE, HOUR, 8 * HOUR, 7 * DAY, 365 * DAY, 90_000, 1234]) {
      expect(parseDuration(durationToken(ms))).toBe(ms);
    }
    expect(parseDuration('1y')).toBe(365 * DAY);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('0h')).toBeNull();
  });
});
