import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, errorText } from './api';
import { setLanguage } from './i18n.svelte';
import {
  baselineOf,
  dispositionLabel,
  dueOrder,
  everyText,
  exactValue,
  howIndividuals,
  inSpec,
  ordersFromText,
  ordersText,
  resultText,
  ruleText,
  spcPath,
  spcProblemText,
  spcReportPath,
  specText,
} from './qualityapi';
import type { DueCheck } from './api.gen';

describe('quality pieces', () => {
  it('judges a value on a limit in spec, past it out, like the server', () => {
    expect(inSpec(10.05, 9.95, 10.05)).toBe(true);
    expect(inSpec(9.95, 9.95, 10.05)).toBe(true);
    expect(inSpec(10.0501, 9.95, 10.05)).toBe(false);
    expect(inSpec(9.9, 9.95, null)).toBe(false);
    expect(inSpec(1e9, 9.95, null)).toBe(true);
  });

  it('says the spec and the frequency in words', () => {
    expect(specText({ kind: 'measured', lower: 9.95, upper: 10.05, unit: 'mm' })).toBe('9.95 – 10.05 mm');
    expect(specText({ kind: 'measured', lower: null, upper: 3, unit: 'bar' })).toBe('≤ 3 bar');
    expect(specText({ kind: 'attribute', lower: null, upper: null, unit: null })).toBe('pass / fail');
    expect(everyText('30 minutes')).toBe('every 30 minutes');
    expect(everyText('lot start')).toBe('at lot start');
  });

  it('puts overdue and due checks first', () => {
    const d = (state: string, id: number) => ({ state, characteristic: { id } }) as unknown as DueCheck;
    const order = dueOrder([d('satisfied', 1), d('not_due', 2), d('due', 3), d('overdue', 4)]);
    expect(order.map((x) => x.characteristic.id)).toEqual([4, 3, 2, 1]);
  });

  it('asks for the SPC chart with its baseline and subgroup size', () => {
    expect(spcPath(7, {})).toBe('/api/quality/spc/7');
    expect(spcPath(7, { from: 1, to: 9, baselineFrom: null, baselineTo: null, subgroup: null })).toBe('/api/quality/spc/7?from=1&to=9');
    expect(spcPath(7, { from: 1, to: 9, baselineFrom: 2, baselineTo: 5, subgroup: 3 })).toBe(
      '/api/quality/spc/7?from=1&to=9&baseline_from=2&baseline_to=5&subgroup=3',
    );
  });

  it('reads the order master a line an order, or says which line is wrong', () => {
    const text = '5002,BRK-100\n\n 5003 ; CAP-30 \n';
    expect(ordersFromText(text)).toEqual({
      orders: [
        { code: '5002', product: 'BRK-100' },
        { code: '5003', product: 'CAP-30' },
      ],
    });
    expect(ordersText([{ code: '5002', product: 'BRK-100' }])).toBe('5002,BRK-100');
    const bad = ordersFromText('5002,BRK-100\n5003');
    expect(bad).toHaveProperty('error');
    expect('error' in bad && bad.error).toMatch(/line 2/);
  });

  it('asks for the same SPC chart as a report file', () => {
    expect(spcReportPath(7, {}, 'pdf')).toBe('/api/quality/spc/7/report?format=pdf');
    expect(spcReportPath(7, { from: 1, to: 9, baselineFrom: 2, baselineTo: 5, subgroup: 3 }, 'xlsx')).toBe(
      '/api/quality/spc/7/report?from=1&to=9&baseline_from=2&baseline_to=5&subgroup=3&format=xlsx',
    );
  });

  it('reads the baseline period or says what is wrong with it', () => {
    const parse = (v: string) => (v === '' || Number.isNaN(Number(v)) ? null : Number(v));
    expect(baselineOf('', ' ', parse)).toEqual({ from: null, to: null });
    expect(baselineOf('10', '20', parse)).toEqual({ from: 10, to: 20 });
    expect(baselineOf('10', '', parse)).toHaveProperty('error');
    expect(baselineOf('20', '10', parse)).toEqual({ error: 'The baseline must end after it starts.' });
  });
});

describe('quality words in the user language', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('says spec, frequency, results and rules in German with German decimals', () => {
    setLanguage('de', 'de-DE');
    expect(specText({ kind: 'measured', lower: 9.95, upper: 10.05, unit: 'mm' })).toBe('9,95 – 10,05 mm');
    expect(specText({ kind: 'attribute', lower: null, upper: null, unit: null })).toBe('i.O. / n.i.O.');
    expect(everyText('30 minutes')).toBe('alle 30 Minuten');
    expect(everyText('1 part')).toBe('jedes Teil');
    expect(everyText('lot start')).toBe('bei Losbeginn');
    expect(resultText({ value: 10.012, unit: 'mm', passed: null })).toBe('10,012 mm');
    expect(resultText({ value: null, unit: null, passed: false })).toBe('n.i.O.');
    expect(dispositionLabel('accept_deviation')).toBe('Sonderfreigabe');
    expect(ruleText(4, 'eight points')).toBe('acht Punkte in Folge auf einer Seite der Mittellinie');
    expect(ruleText(9, 'a rule the UI does not know')).toBe('a rule the UI does not know');
  });

  it('keeps all the decimals a limit was written with', () => {
    expect(exactValue(10.05)).toBe('10.05');
    expect(exactValue(0.0125)).toBe('0.0125');
    expect(exactValue(12)).toBe('12');
    expect(everyText('every full moon')).toBe('every full moon');
  });

  it('explains the individuals limits with the constants of the server', () => {
    const how = howIndividuals({ individuals: { center: 10.0123 }, moving_range: { center: 0.02 }, baseline_points: 25 });
    expect(how).toContain('From 25 baseline values');
    expect(how).toContain('over 24 ranges');
    expect(how).toContain('MR / 1.128');
    expect(how).toContain('3.267 × MR');
  });
});

describe('quality and stores refusals in the user language', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('says negative stock with its numbers, and a lot already running with its names', () => {
    const params = { lot: 'NS-4711', on_hand: 280, unit: 'kg', move: 'issue', quantity: 300, left: -20, field: 'quantity' };
    const neg = new ApiError(400, 'negative_stock', 'material lot NS-4711 has 280 kg on hand; …', [], {}, params);
    expect(errorText(neg)).toContain('has 280 kg on hand; issuing 300 kg would leave -20');
    setLanguage('de', 'de-DE');
    expect(errorText(neg)).toContain('hat 280 kg Bestand; eine Ausgabe von 300 kg ließe -20 übrig');
    const running = new ApiError(400, 'lot_running', 'lot "A-1" is running on press-1; …', [], {}, { lot: 'A-1', machine: 'press-1' });
    expect(errorText(running)).toBe('Das Los „A-1“ läuft an press-1; beenden Sie es, bevor Sie ein neues starten.');
  });
});

describe('SPC problems in the user language', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('says why there are no limits from the code and its values', () => {
    expect(spcProblemText({ code: 'too_few', params: { got: 1, need: 2 } }, 'the baseline has 1 values; …')).toBe(
      'The baseline has 1 values; control limits need at least 2.',
    );
    setLanguage('de', 'de-DE');
    expect(spcProblemText({ code: 'no_variation', params: 10.05 }, 'x')).toContain('jeder Wert ist 10,05');
    expect(spcProblemText({ code: 'something_new', params: {} }, 'the server says so')).toBe('the server says so');
    expect(spcProblemText(null, null)).toBeNull();
  });
});
