// Quality's refusals with the shared codes say what to fix in the user's language from
// the params the server sends (src/quality/store.rs); the same code from another room,
// without those params, keeps the server's own words.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, errorText } from './api';
import { setLanguage } from './i18n.svelte';

const err = (code: string, params: Record<string, string | number>, message = 'english words') =>
  new ApiError(400, code, message, [], {}, params);

describe('quality refusals', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('say which field, what was given and what is allowed', () => {
    expect(errorText(err('bad_field', { field: 'parts', rule: 'range', min: 1, max: 1_000_000, given: 0 }))).toBe(
      'Scrap is 1 to 1,000,000 parts; 0 is not.',
    );
    expect(errorText(err('bad_field', { field: 'code', rule: 'length', max: 60, given: 0 }))).toBe(
      'Give the lot number: 1 to 60 characters (now 0).',
    );
    expect(errorText(err('bad_value', { field: 'value', rule: 'measured', name: 'Bore', unit: 'mm' }))).toBe(
      '“Bore” is measured: give the value in mm.',
    );
    expect(errorText(err('bad_kind', { field: 'kind', rule: 'move', given: 'steal', allowed: 'issue, return, scrap' }))).toBe(
      '“steal” is no stock move: choose issue, return or scrap (receiving has its own form).',
    );
    expect(errorText(err('bad_paper', { given: 'a3', allowed: 'a4, letter' }))).toBe(
      'Paper “a3” is not known: choose A4 or Letter.',
    );
    setLanguage('de', 'de-DE');
    expect(errorText(err('bad_field', { field: 'parts', rule: 'range', min: 1, max: 1_000_000, given: 0 }))).toBe(
      'Ausschuss ist 1 bis 1.000.000 Teile; 0 ist es nicht.',
    );
    expect(errorText(err('bad_time', { field: 'at', rule: 'start_future', given: 1 }))).toBe(
      'Ein Los wird jetzt oder in der Vergangenheit gestartet, nicht in der Zukunft.',
    );
    setLanguage('zh', 'zh-CN');
    expect(errorText(err('bad_field', { field: 'comment', rule: 'deviation_comment' }))).toBe(
      '让步接收需要填写备注：说明这些零件为何可以使用。',
    );
  });

  it('leave the same code from elsewhere, without its params, in the server words', () => {
    expect(errorText(err('bad_field', { field: 'reason' }, 'give a reason'))).toBe('Give a reason.');
    expect(errorText(err('bad_time', {}, 'that time is in the future'))).toBe('That time is in the future.');
    expect(errorText(err('bad_kind', {}, 'kind "x" is no report'))).toBe('Kind "x" is no report.');
  });
});
