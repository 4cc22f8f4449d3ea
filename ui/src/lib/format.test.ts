import { describe, expect, it } from 'vitest';
import {
  DASH,
  autoDecimals,
  formatAgo,
  formatClock,
  formatClockSpan,
  formatCount,
  formatDateTime,
  formatDay,
  formatDayClock,
  formatDuration,
  formatMeasure,
  formatMs,
  formatQuality,
  formatRate,
  formatTime,
  formatTicks,
  formatValue,
  measureDecimals,
  tickDecimals,
} from './format';

// 2025-11-26T05:30:15Z
const T = Date.UTC(2025, 10, 26, 5, 30, 15);

describe('times in the plant time zone', () => {
  it('formats a time in the given zone, 24 h', () => {
    expect(formatTime(T, 'UTC')).toBe('05:30:15');
    expect(formatTime(T, 'Europe/Berlin')).toBe('06:30:15'); // CET, +1
    expect(formatTime(T, 'Asia/Kolkata')).toBe('11:00:15'); // +5:30
    expect(formatTime(T, 'America/New_York')).toBe('00:30:15'); // EST, -5
    expect(formatClock(T, 'Asia/Kolkata')).toBe('11:00');
  });

  it('shows a span ending at midnight as 24:00', () => {
    const midnight = Date.UTC(2025, 10, 26);
    const day = 86_400_000;
    expect(formatClockSpan(midnight, midnight + day, 'UTC')).toBe('00:00–24:00');
    expect(formatClockSpan(T, T + 8 * 3_600_000, 'UTC')).toBe('05:30–13:30');
    expect(formatClockSpan(midnight - 2 * 3_600_000, midnight + 6 * 3_600_000, 'UTC')).toBe('22:00–06:00');
    expect(formatClockSpan(midnight, midnight, 'UTC')).toBe('00:00–00:00');
    expect(formatClockSpan(midnight, null, 'UTC')).toBe(`00:00–${DASH}`);
  });

  it('follows daylight saving time', () => {
    const summer = Date.UTC(2025, 6, 1, 12, 0, 0);
    expect(formatTime(summer, 'Europe/Berlin')).toBe('14:00:00'); // CEST, +2
  });

  it('shows the date only when it is not today in the zone', () => {
    expect(formatDateTime(T, 'UTC', T + 3_600_000)).toBe('05:30:15');
    // 26 Nov 00:30 in New York, seen at 25 Nov 23:00 there: another day.
    expect(formatDateTime(T, 'America/New_York', T - 90 * 60_000)).toBe('26 Nov 00:30:15');
    expect(formatDateTime(T, 'UTC', T + 2 * 86_400_000)).toBe('26 Nov 05:30:15');
    expect(formatDateTime(T, 'UTC', Date.UTC(2026, 0, 2))).toBe('26 Nov 2025 05:30');
  });

  it('formats days and day-times', () => {
    expect(formatDay(T, 'UTC')).toBe('26 Nov');
    expect(formatDayClock(T, 'Europe/Berlin')).toBe('26 Nov 06:30');
  });

  it('prints midnight as 00, not 24', () => {
    expect(formatTime(Date.UTC(2025, 0, 1, 0, 0, 5), 'UTC')).toBe('00:00:05');
  });

  it('falls back to a zone that works for an unknown zone name', () => {
    expect(formatTime(T, 'Not/AZone')).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it('shows a dash for no time', () => {
    expect(formatTime(null, 'UTC')).toBe(DASH);
    expect(formatClock(undefined, 'UTC')).toBe(DASH);
    expect(formatDateTime(null, 'UTC', T)).toBe(DASH);
  });
});

describe('durations and relative times', () => {
  it('formats durations coarsely', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(999)).toBe('0 s');
    expect(formatDuration(3_400)).toBe('3 s');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(59 * 60_000 + 59_000)).toBe('59 min');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(86_400_000)).toBe('1 d');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe('3 d 4 h');
  });

  it('treats negative and non-finite durations as zero', () => {
    expect(formatDuration(-5_000)).toBe('0 s');
    expect(formatDuration(Number.NaN)).toBe('0 s');
  });

  it('says how long ago against the server clock', () => {
    expect(formatAgo(T - 3_000, T)).toBe('3 s ago');
    expect(formatAgo(T - 4 * 60_000, T)).toBe('4 min ago');
    // A time slightly ahead (clock skew) never reads as negative.
    expect(formatAgo(T + 800, T)).toBe('0 s ago');
    expect(formatAgo(null, T)).toBe('never');
  });
});

describe('numbers', () => {
  it('chooses decimals by magnitude', () => {
    expect(autoDecimals(1234.5)).toBe(0);
    expect(autoDecimals(48.25)).toBe(1);
    expect(autoDecimals(1.855)).toBe(2);
    expect(autoDecimals(0.01234)).toBe(4);
    expect(autoDecimals(7)).toBe(0);
  });

  it('formats values', () => {
    expect(formatValue(48.25)).toBe('48.3');
    expect(formatValue(48)).toBe('48');
    expect(formatValue(12345.6)).toBe('12,346');
    expect(formatValue(-0.0001, 2)).toBe('0.00');
    expect(formatValue(-0.2, 0)).toBe('0');
    expect(formatValue(-2.5)).toBe('-2.50');
    expect(formatValue(1.5, 3)).toBe('1.500');
    expect(formatValue(null)).toBe(DASH);
    expect(formatValue(Number.NaN)).toBe(DASH);
  });

  it('formats counts, rates and response times', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(null)).toBe(DASH);
    expect(formatRate(23.54)).toBe('23.5');
    expect(formatRate(0)).toBe('0.0');
    expect(formatRate(null)).toBe(DASH);
    expect(formatMs(1.84)).toBe('1.8 ms');
    expect(formatMs(0.042)).toBe('0.04 ms');
    expect(formatMs(230.4)).toBe('230 ms');
    expect(formatMs(null)).toBe(DASH);
  });
});

describe('quality', () => {
  it('reads as words a person understands', () => {
    expect(formatQuality('good')).toBe('good');
    expect(formatQuality('no_answer')).toBe('no answer');
    expect(formatQuality('bad_value')).toBe('not a number');
    expect(formatQuality('reconfigured')).toBe('configuration changed');
    expect(formatQuality('exception', 2)).toBe('exception 2');
    expect(formatQuality('exception')).toBe('exception');
    expect(formatQuality('stale')).toBe('stale');
  });
});

describe('axis ticks', () => {
  it('use the decimals of the tick increment', () => {
    expect(tickDecimals(25)).toBe(0);
    expect(tickDecimals(1)).toBe(0);
    expect(tickDecimals(0.5)).toBe(1);
    expect(tickDecimals(0.1 + 0.2)).toBe(1);
    expect(tickDecimals(0.05)).toBe(2);
    expect(tickDecimals(0)).toBe(0);
  });

  it('read alike across one axis', () => {
    expect(formatTicks([3.8, 3.9, 4, 4.1, 4.2], 0.1)).toEqual(['3.8', '3.9', '4.0', '4.1', '4.2']);
    expect(formatTicks([15_000_000, 15_500_000], 500_000)).toEqual(['15,000,000', '15,500,000']);
  });
});

describe('live values on tiles', () => {
  it('picks decimals by size, not by whether the value happens to be whole', () => {
    expect(formatMeasure(1199490.3)).toBe('1,199,490');
    expect(formatMeasure(398.2321)).toBe('398.2');
    expect(formatMeasure(95)).toBe('95.0');
    expect(formatMeasure(47.7)).toBe('47.7');
    expect(formatMeasure(2.4789789)).toBe('2.48');
    expect(formatMeasure(0)).toBe('0.0');
    expect(formatMeasure(0.07)).toBe('0.07');
    expect(formatMeasure(0.00123)).toBe('0.00123');
    expect(formatMeasure(-12.34)).toBe('-12.3');
  });

  it('keeps the width of a value that crosses a whole number', () => {
    expect(formatMeasure(22)).toHaveLength(formatMeasure(22.3).length);
  });

  it('reads a missing value as a dash', () => {
    expect(formatMeasure(null)).toBe(DASH);
    expect(formatMeasure(Number.NaN)).toBe(DASH);
    expect(measureDecimals(Number.POSITIVE_INFINITY)).toBe(0);
  });
});
