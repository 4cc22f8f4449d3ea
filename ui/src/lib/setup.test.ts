import { describe, expect, test } from 'vitest';
import {
  buildMachine,
  buildTag,
  emptyTagForm,
  freeName,
  keyFromName,
  rowAddress,
  rowReadRequest,
  tagFormFromRead,
  tagFormOf,
  withTags,
} from './setup';
import type { ConfigModel } from './types';

describe('machine form', () => {
  test('the key follows the name', () => {
    expect(keyFromName('Press 2 (old)')).toBe('press-2-old');
    expect(keyFromName('Presse Nr. 3 – Öfen')).toBe('presse-nr-3-ofen');
  });
  test('a machine needs a name and a free key', () => {
    expect(buildMachine({ name: ' ', key: '', line: '' }, null)).toHaveProperty('error');
    const model = { site: { name: 'P', timezone: 'UTC' }, machines: [{ key: 'press-2', name: 'Press 2' }] } as ConfigModel;
    const dup = buildMachine({ name: 'Press 2', key: '', line: '' }, model);
    expect('error' in dup && dup.error).toContain('press-2');
    expect(buildMachine({ name: 'Press 3', key: '', line: 'A' }, model)).toEqual({
      machine: { key: 'press-3', name: 'Press 3', line: 'A' },
    });
  });
});

describe('tag rows', () => {
  test('a register as the manual writes it, coils with their zeros', () => {
    expect(rowAddress({ function: '', register: '40001' })).toEqual({ register: 40001, kind: 'holding' });
    expect(rowAddress({ function: '', register: '00017' })).toEqual({ register: 17, kind: 'coil' });
    expect(rowAddress({ function: 'input', register: '8448' })).toEqual({ function: 'input', address: 8448 });
    expect(rowAddress({ function: '', register: '50001' })).toHaveProperty('error');
  });

  test('a typed counter becomes the tag the TOML would hold', () => {
    const f = { ...emptyTagForm(), name: 'count', register: '40001', type: 'u32' as const, order: 'CDAB' as const, role: 'count' as const };
    expect(buildTag(f)).toEqual({ tag: { name: 'count', register: 40001, type: 'u32', order: 'CDAB', role: 'count' } });
    const t = { ...emptyTagForm(), name: 'temp', register: '30002', type: 'i16' as const, scale: '0,1', unit: '°C' };
    expect(buildTag(t)).toEqual({ tag: { name: 'temp', register: 30002, type: 'i16', scale: 0.1, unit: '°C' } });
    expect(buildTag({ ...t, type: 'bool' })).toHaveProperty('error');
    expect(buildTag({ ...t, type: 'string', length: '' })).toHaveProperty('error');
  });

  test('a tag round-trips through its row', () => {
    const tag = { name: 'run', register: 17, type: 'bool' as const };
    expect(tagFormOf(tag).register).toBe('00017');
    expect(buildTag(tagFormOf(tag))).toEqual({ tag });
    const wide = { name: 'kwh', function: 'input' as const, address: 342, type: 'f32' as const, order: 'CDAB' as const, unit: 'kWh', scale: 0.001 };
    expect(buildTag(tagFormOf(wide))).toEqual({ tag: wide });
  });

  test('the test read of a row carries its decoding and the earlier reads', () => {
    const f = { ...emptyTagForm(), name: 'count', register: '40001', type: 'u32' as const, role: 'count' as const, unit: 'parts' };
    const prev = [{ ms: 1, raw: [0, 5] }];
    expect(rowReadRequest('plc', f, prev)).toEqual({
      request: { device: 'plc', register: 40001, type: 'u32', order: 'ABCD', scale: 1, offset: 0, value_unit: 'parts', role: 'count', previous: prev },
    });
  });

  test('an ad-hoc read becomes a new row', () => {
    const f = tagFormFromRead({ function: 'holding', address: 4, type: 'f32', order: 'CDAB' });
    expect(f).toMatchObject({ function: 'holding', register: '4', type: 'f32', order: 'CDAB' });
    expect(freeName('tag', ['tag', 'tag-2'])).toBe('tag-3');
  });

  test('saving tags drops the template, so trimmed tags stay trimmed', () => {
    const model = {
      site: { name: 'P', timezone: 'UTC' },
      devices: [{ key: 'm', protocol: 'modbus-tcp', template: 'eastron-sdm120', tags: [] }],
    } as ConfigModel;
    const next = withTags(model, 'm', [{ name: 'v', register: 30001, type: 'f32' }]);
    expect(next?.devices?.[0]).toEqual({ key: 'm', protocol: 'modbus-tcp', tags: [{ name: 'v', register: 30001, type: 'f32' }] });
    expect(model.devices?.[0].template).toBe('eastron-sdm120');
    expect(withTags(model, 'x', [])).toBeNull();
  });
});
