import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from './i18n.svelte';
import { countUnit } from './units';

describe('units Plantlog names', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('translates the default count unit and keeps a typed one', () => {
    setLanguage('de', 'de-DE');
    expect(countUnit('parts')).toBe('Teile');
    expect(countUnit('Flaschen')).toBe('Flaschen');
    expect(countUnit(null)).toBe('');
    setLanguage('en', 'en-GB');
    expect(countUnit('parts')).toBe('parts');
  });
});
