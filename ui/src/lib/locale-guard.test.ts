import { describe, expect, it } from 'vitest';
import { usableLanguage } from './locale-guard';

describe('usableLanguage', () => {
  it('keeps a real language tag', () => {
    expect(usableLanguage('de-DE')).toBe('de-DE');
  });
  it('rejects the POSIX locale and nothing', () => {
    expect(usableLanguage('C')).toBeNull();
    expect(usableLanguage(undefined)).toBeNull();
  });
});
