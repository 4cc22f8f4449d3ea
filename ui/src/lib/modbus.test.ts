import { describe, expect, it } from 'vitest';
import { setLanguage } from './i18n.svelte';
import {
  addressParts,
  buildReadRequest,
  defaultReadForm,
  describeAddress,
  formatManual,
  formatReadValue,
  formatScale,
  formatTagValue,
  fromManual,
  locationOf,
  manualNumber,
  typeWidth,
  type ReadForm,
} from './modbus';

describe('addresses both ways', () => {
  it('reads manual numbers of every table, 5 and 6 digits', () => {
    expect(fromManual(40001)).toEqual({ kind: 'holding', address: 0 });
    expect(fromManual(30001)).toEqual({ kind: 'input', address: 0 });
    expect(fromManual(30343)).toEqual({ kind: 'input', address: 342 });
    expect(fromManual(10004)).toEqual({ kind: 'discrete', address: 3 });
    expect(fromManual(1)).toEqual({ kind: 'coil', address: 0 });
    expect(fromManual(464513)).toEqual({ kind: 'holding', address: 0xfc00 });
    expect(fromManual(365536)).toEqual({ kind: 'input', address: 65535 });
  });

  it('refuses what is no manual number', () => {
    expect(fromManual(40000)).toBeNull(); // 0 is below the first register
    expect(fromManual(50001)).toBeNull(); // no table 5
    expect(fromManual(20001)).toBeNull();
    expect(fromManual(0)).toBeNull();
    expect(fromManual(1.5)).toBeNull();
    expect(fromManual(465537)).toBeNull(); // beyond 65535
  });

  it('writes addresses in manual notation, 5 digits while they suffice', () => {
    expect(manualNumber('holding', 0)).toBe(40001);
    expect(manualNumber('input', 342)).toBe(30343);
    expect(manualNumber('holding', 9998)).toBe(49999);
    expect(manualNumber('holding', 9999)).toBe(410000);
    expect(manualNumber('holding', 0xfc00)).toBe(464513);
    expect(manualNumber('coil', 0)).toBe(1);
  });

  it('keeps the leading zeros of coils', () => {
    expect(formatManual('coil', 1)).toBe('00001');
    expect(formatManual('coil', 10000)).toBe('010000');
    expect(formatManual('holding', 40001)).toBe('40001');
  });

  it('describes an address both ways, with the function code', () => {
    expect(describeAddress({ kind: 'input', address: 0 })).toBe('30001 · input register, address 0 (fn 04)');
    expect(describeAddress({ kind: 'holding', address: 3 })).toBe('40004 · holding register, address 3 (fn 03)');
    expect(describeAddress({ kind: 'coil', address: 1 })).toBe('00002 · coil, address 1 (fn 01)');
    expect(describeAddress({ kind: 'discrete', address: 3 })).toBe('10004 · discrete input, address 3 (fn 02)');
  });

  it('gives the pieces for a page to lay out', () => {
    expect(addressParts({ kind: 'input', address: 342 })).toEqual({
      number: '30343',
      table: 'input register',
      address: 'address 342 = 0x0156',
      fn: 'fn 04',
    });
  });

  it('adds hex from address 256 up, and the bit of a register', () => {
    expect(describeAddress({ kind: 'holding', address: 0x2100 })).toBe(
      '48449 · holding register, address 8448 = 0x2100 (fn 03)',
    );
    expect(describeAddress({ kind: 'holding', address: 5 }, 3)).toBe('40006 bit 3 · holding register, address 5 (fn 03)');
  });

  it('finds a tag from its register or its function and address', () => {
    expect(locationOf({ register: 30007 })).toEqual({ kind: 'input', address: 6 });
    expect(locationOf({ function: 'holding', address: 8448 })).toEqual({ kind: 'holding', address: 8448 });
    // The register wins, as in the core.
    expect(locationOf({ function: 'input', register: 40001, address: 9 })).toEqual({ kind: 'holding', address: 0 });
    expect(locationOf({ function: null, register: null, address: null })).toBeNull();
    expect(locationOf({ address: 3 })).toBeNull();
  });
});

describe('types and values', () => {
  it('knows how many registers a type takes', () => {
    expect(typeWidth('u16')).toBe(1);
    expect(typeWidth('f32')).toBe(2);
    expect(typeWidth('i64')).toBe(4);
    expect(typeWidth('string', 8)).toBe(8);
    expect(typeWidth('string')).toBe(1);
  });

  it('writes scale and offset only when they change the value', () => {
    expect(formatScale(1, 0)).toBe('');
    expect(formatScale(0.1, 0)).toBe('× 0.1');
    expect(formatScale(0.1, -40)).toBe('× 0.1 − 40');
    expect(formatScale(1, 5)).toBe('+ 5');
  });

  it('speaks the user\'s language: decimal commas, table and address words', () => {
    setLanguage('de', 'de-DE');
    try {
      expect(formatScale(0.001, -2.5)).toBe('× 0,001 − 2,5');
      expect(describeAddress({ kind: 'holding', address: 1 })).toBe('40002 · Holding-Register, Adresse 1 (fn 03)');
      expect(buildReadRequest('d', { ...defaultReadForm(1), register: 'x' })).toEqual({
        error: 'Geben Sie das Register so ein, wie das Handbuch es schreibt, z. B. 40001 (Holding), 30001 (Input), 10001 oder 00001.',
      });
    } finally {
      setLanguage('en', 'en-GB');
    }
  });

  it('shows whole values of integer types as counts', () => {
    expect(formatTagValue(1, 'u16')).toBe('1');
    expect(formatTagValue(15494644, 'u32')).toBe('15,494,644');
    expect(formatTagValue(43.4, 'i16')).toBe('43.4'); // scaled
    expect(formatTagValue(2, 'f32')).toBe('2.00');
    expect(formatTagValue(null, 'u16')).toBe('—');
  });

  it('shows a read value with the precision a register holds', () => {
    expect(formatReadValue(230.1)).toBe('230.1');
    expect(formatReadValue(2.5018442)).toBe('2.501844');
    expect(formatReadValue(15494508)).toBe('15494508');
    expect(formatReadValue(0.5)).toBe('0.5');
    expect(formatReadValue(null)).toBe('—');
    expect(formatReadValue(Number.NaN)).toBe('—');
  });
});

describe('the ad-hoc read form', () => {
  const form = (patch: Partial<ReadForm>): ReadForm => ({ ...defaultReadForm(3), ...patch });

  it('sends a register in manual notation with the device unit by default', () => {
    expect(buildReadRequest('meter-1', form({ register: '30001', type: 'f32', order: 'CDAB' }))).toEqual({
      request: { device: 'meter-1', register: 30001, type: 'f32', order: 'CDAB', unit: 3 },
    });
  });

  it('sends function and address instead', () => {
    expect(
      buildReadRequest('d', form({ mode: 'address', function: 'input', address: '8448', unit: '7', count: '4' })),
    ).toEqual({
      request: { device: 'd', function: 'input', address: 8448, type: 'u16', order: 'ABCD', unit: 7, count: 4 },
    });
  });

  it('reads a bit of a register and a coil', () => {
    expect(buildReadRequest('d', form({ type: 'bit', bit: '15' }))).toEqual({
      request: { device: 'd', register: 40001, type: 'bit', bit: 15, unit: 3 },
    });
    expect(buildReadRequest('d', form({ register: '00001', type: 'bool' }))).toEqual({
      request: { device: 'd', register: 1, type: 'bool', unit: 3 },
    });
  });

  it('says what is wrong', () => {
    const err = (p: Partial<ReadForm>) => {
      const r = buildReadRequest('d', form(p));
      return 'error' in r ? r.error : '';
    };
    expect(err({ register: '50001' })).toMatch(/as the manual writes it/);
    expect(err({ register: 'abc' })).toMatch(/as the manual writes it/);
    expect(err({ mode: 'address', address: '70000' })).toMatch(/0 to 65535/);
    expect(err({ register: '00001', type: 'u16' })).toMatch(/choose the type bool/);
    expect(err({ type: 'bool' })).toMatch(/choose bit/);
    expect(err({ type: 'bit', bit: '16' })).toMatch(/0 \(lowest\) to 15/);
    expect(err({ unit: '256' })).toMatch(/unit id/);
    expect(err({ count: '126' })).toMatch(/1 to 125/);
    expect(err({ type: 'string' })).toMatch(/needs the count/);
  });
});
