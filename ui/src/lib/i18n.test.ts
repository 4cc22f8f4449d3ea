import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalogues, i18n, localeFor, missingKeys, setLanguage, t, tryT } from './i18n.svelte';
import {
  formatAgo,
  formatClock,
  formatClockSpan,
  formatDateTime,
  formatDay,
  formatDuration,
  formatFullDateTime,
  formatPercent,
  formatQuality,
  formatTime,
  formatValue,
  zoneName,
} from './format';

afterEach(() => setLanguage('en', 'en-GB'));

// 2026-11-26 14:03:12 UTC; Berlin is UTC+1 in November.
const T = Date.UTC(2026, 10, 26, 14, 3, 12);
const BERLIN = 'Europe/Berlin';

describe('t', () => {
  it('says a key in the chosen language and falls back to English, then to the key', () => {
    expect(t('common.never')).toBe('never');
    setLanguage('de');
    expect(i18n.lang).toBe('de');
    expect(t('common.never')).toBe('nie');
    expect(t('common.ago', { duration: '3 s' })).toBe('vor 3 s');
    expect(t('no.such_key')).toBe('no.such_key');
    expect(missingKeys.has('no.such_key')).toBe(true);
    expect(tryT('no.such_key')).toBeNull();
  });

  it('takes an unknown language as English', () => {
    setLanguage('fr');
    expect(i18n.lang).toBe('en');
  });

  it('builds keys from the folder and nested names', () => {
    const c = buildCatalogues({ '/src/i18n/shell/de.json': { menu: { overview: 'Übersicht' }, logout: 'Abmelden' } });
    expect(c.de).toEqual({ 'shell.menu.overview': 'Übersicht', 'shell.logout': 'Abmelden' });
  });
});

describe('locale', () => {
  it('follows the browser region of the same language, else the language region', () => {
    expect(localeFor('en', 'en-US')).toBe('en-US');
    expect(localeFor('en', 'de-DE')).toBe('en-GB');
    expect(localeFor('de', 'de-AT')).toBe('de-AT');
    expect(localeFor('zh', 'zh-TW')).toBe('zh-CN');
    expect(localeFor('es', null)).toBe('es-ES');
  });

  it('formats times with the clock of the locale, in the plant zone', () => {
    expect(formatTime(T, BERLIN)).toBe('15:03:12');
    setLanguage('en', 'en-US');
    expect(formatClock(T, BERLIN)).toMatch(/^03:03\sPM$/);
    // A whole-day shift: 24:00 only where clocks have it.
    expect(formatClockSpan(Date.UTC(2026, 10, 25, 23), Date.UTC(2026, 10, 26, 23), BERLIN)).not.toContain('24:00');
    setLanguage('de');
    expect(formatClock(T, BERLIN)).toBe('15:03');
    expect(formatClockSpan(Date.UTC(2026, 10, 25, 23), Date.UTC(2026, 10, 26, 23), BERLIN)).toBe('00:00–24:00');
  });

  it('formats dates in the user language', () => {
    setLanguage('de');
    expect(formatDay(T, BERLIN)).toBe('26. Nov.');
    expect(formatFullDateTime(T, BERLIN)).toBe('26. Nov. 2026 15:03:12');
    expect(formatDateTime(T - 86_400_000, BERLIN, T)).toBe('25. Nov. 15:03:12');
    setLanguage('zh');
    expect(formatDay(T, BERLIN)).toBe('11月26日');
    expect(formatFullDateTime(T, BERLIN)).toBe('2026年11月26日 15:03:12');
    setLanguage('es');
    expect(formatDay(T, BERLIN)).toBe('26 nov');
  });

  it('formats numbers with the decimal separator of the locale', () => {
    expect(formatValue(1234.5, 1)).toBe('1,234.5');
    setLanguage('de');
    expect(formatValue(1234.5, 1)).toBe('1.234,5');
    expect(formatValue(-0.001, 2)).toBe('0,00');
    expect(formatPercent(0.853)).toBe('85,3 %');
    setLanguage('zh');
    expect(formatPercent(0.853)).toBe('85.3%');
  });

  it('says durations, ages and qualities in the user language', () => {
    setLanguage('zh');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 小时 5 分钟');
    expect(formatAgo(T - 3_000, T)).toBe('3 秒前');
    expect(formatQuality('no_answer')).toBe('无应答');
    setLanguage('es');
    expect(formatAgo(null, T)).toBe('nunca');
    expect(formatQuality('exception', 2)).toBe('excepción 2');
  });

  it('names the plant zone', () => {
    expect(zoneName(BERLIN, T)).toMatch(/^(CET|GMT\+1)$/);
    expect(zoneName(undefined, T)).toBe('');
  });
});

describe('tSplit', () => {
  it('splits a message around a value wherever the language puts it', async () => {
    const { tSplit } = await import('./i18n.svelte');
    expect(tSplit('machine.this_shift', { unit: 'parts' }, 'count')).toEqual(['', ' parts this shift']);
    setLanguage('zh');
    expect(tSplit('machine.this_shift', { unit: '件' }, 'count')).toEqual(['本班 ', ' 件']);
  });
});
