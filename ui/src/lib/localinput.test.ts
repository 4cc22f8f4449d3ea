import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from './i18n.svelte';
import { fromLocaleDay, fromLocaleInput, toLocaleDay, toLocaleInput } from './localinput';
import { customSpan } from './span';

const BERLIN = 'Europe/Berlin';
// 28 Nov 2026 06:00 in Berlin (CET, UTC+1)
const T = Date.UTC(2026, 10, 28, 5, 0);
const PM = Date.UTC(2026, 10, 28, 17, 30);

describe('locale date and time inputs', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('shows and reads a time as each locale writes it, in the plant zone', () => {
    const cases: [string, string, string][] = [
      ['en', 'en-GB', '28/11/2026 06:00'],
      ['de', 'de-DE', '28.11.2026 06:00'],
      ['es', 'es-ES', '28/11/2026 06:00'],
      ['zh', 'zh-CN', '2026/11/28 06:00'],
    ];
    for (const [lang, locale, text] of cases) {
      setLanguage(lang as 'en', locale);
      expect(toLocaleInput(T, BERLIN), locale).toBe(text);
      expect(fromLocaleInput(text, BERLIN), locale).toBe(T);
      expect(fromLocaleInput(toLocaleInput(PM, BERLIN), BERLIN), locale).toBe(PM);
      // ISO is read in every language
      expect(fromLocaleInput('2026-11-28 06:00', BERLIN)).toBe(T);
      expect(fromLocaleInput('2026-11-28T06:00', BERLIN)).toBe(T);
    }
  });

  it('reads the 12-hour clock of en-US', () => {
    setLanguage('en', 'en-US');
    expect(toLocaleInput(PM, BERLIN)).toBe('11/28/2026 06:30 PM');
    expect(fromLocaleInput('11/28/2026 06:30 PM', BERLIN)).toBe(PM);
    expect(fromLocaleInput('11/28/2026 6:30 pm', BERLIN)).toBe(PM);
    expect(fromLocaleInput('11/28/2026 12:00 AM', BERLIN)).toBe(Date.UTC(2026, 10, 27, 23, 0));
  });

  it('refuses what is no time', () => {
    setLanguage('de', 'de-DE');
    expect(fromLocaleInput('31.02.2026 06:00', BERLIN)).toBeNull();
    expect(fromLocaleInput('28.11.26 06:00', BERLIN)).toBeNull();
    expect(fromLocaleInput('morgen', BERLIN)).toBeNull();
    expect(fromLocaleInput('28.11.2026 25:00', BERLIN)).toBeNull();
  });

  it('reads the custom range of the charts as the locale writes it', () => {
    setLanguage('de', 'de-DE');
    const now = Date.UTC(2026, 10, 29, 12, 0);
    const r = customSpan('28.11.2026 06:00', '28.11.2026 18:30', BERLIN, now, fromLocaleInput);
    expect(r).toEqual({ from: T, to: PM });
    setLanguage('en', 'en-US');
    expect(customSpan('11/28/2026 06:00 AM', '11/28/2026 06:30 PM', BERLIN, now, fromLocaleInput)).toEqual({ from: T, to: PM });
    expect('error' in customSpan('11/28/2026 06:00', 'later', BERLIN, now, fromLocaleInput)).toBe(true);
  });

  it('shows and reads a whole day as each locale writes it', () => {
    const cases: [string, string, string][] = [
      ['de', 'de-DE', '28.11.2026'],
      ['en', 'en-US', '11/28/2026'],
      ['en', 'en-GB', '28/11/2026'],
      ['es', 'es-ES', '28/11/2026'],
      ['zh', 'zh-CN', '2026/11/28'],
    ];
    for (const [lang, locale, text] of cases) {
      setLanguage(lang as 'en', locale);
      expect(toLocaleDay('2026-11-28'), locale).toBe(text);
      expect(fromLocaleDay(text), locale).toBe('2026-11-28');
      expect(fromLocaleDay('2026-11-28'), locale).toBe('2026-11-28');
    }
    setLanguage('de', 'de-DE');
    expect(fromLocaleDay('31.02.2026')).toBeNull();
    expect(fromLocaleDay('28.11.26')).toBeNull();
    expect(fromLocaleDay('gestern')).toBeNull();
  });
});
