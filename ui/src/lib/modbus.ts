// Modbus addresses both ways, data types and byte orders, and the ad-hoc test read form.
// Two notations meet here: the 0-based address sent on the wire with a function code,
// and the number printed in manuals (40001 = holding register at address 0).

import { formatCount, formatMeasure, formatNumber } from './format';
import { t } from './i18n.svelte';
import type { ReadRequest, RegisterKind } from './types';

interface KindInfo {
  kind: RegisterKind;
  /** What manuals call the table. */
  name: string;
  /** The Modbus function code that reads it. */
  code: number;
  /** The first digit of its numbers in manual notation. */
  prefix: number;
  bits: boolean;
}

export const REGISTER_KINDS: readonly KindInfo[] = [
  {
    kind: 'coil',
    get name() {
      return t('devices.modbus.coil');
    },
    code: 1,
    prefix: 0,
    bits: true,
  },
  {
    kind: 'discrete',
    get name() {
      return t('devices.modbus.discrete');
    },
    code: 2,
    prefix: 1,
    bits: true,
  },
  {
    kind: 'input',
    get name() {
      return t('devices.modbus.input');
    },
    code: 4,
    prefix: 3,
    bits: false,
  },
  {
    kind: 'holding',
    get name() {
      return t('devices.modbus.holding');
    },
    code: 3,
    prefix: 4,
    bits: false,
  },
];

export const DATA_TYPES = [
  'bool',
  'bit',
  'u16',
  'i16',
  'u32',
  'i32',
  'u64',
  'i64',
  'f32',
  'f64',
  'string',
] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type ByteOrder = (typeof ORDERS)[number];

/** What each order means, for a hint next to the select. */
export const ORDER_HINT: Record<ByteOrder, string> = {
  get ABCD() {
    return t('devices.modbus.abcd');
  },
  get CDAB() {
    return t('devices.modbus.cdab');
  },
  get BADC() {
    return t('devices.modbus.badc');
  },
  get DCBA() {
    return t('devices.modbus.dcba');
  },
};

export function kindInfo(kind: string | null | undefined): KindInfo | null {
  return REGISTER_KINDS.find((k) => k.kind === kind) ?? null;
}

export interface Location {
  kind: RegisterKind;
  address: number;
}

/**
 * The table and 0-based address of a number in manual notation: 5 digits (40001 =
 * holding register 0) or 6 digits (400001). Null when it is no such number.
 */
export function fromManual(n: number): Location | null {
  if (!Number.isInteger(n) || n < 1) return null;
  const [prefix, offset] = n >= 100_000 ? [Math.floor(n / 100_000), n % 100_000] : [Math.floor(n / 10_000), n % 10_000];
  const info = REGISTER_KINDS.find((k) => k.prefix === prefix);
  if (!info) return null;
  const address = offset - 1;
  if (address < 0 || address > 0xffff) return null;
  return { kind: info.kind, address };
}

/** The number in manual notation of a 0-based address: 5 digits while they suffice. */
export function manualNumber(kind: RegisterKind, address: number): number {
  const info = kindInfo(kind);
  const prefix = info ? info.prefix : 4;
  const n = address + 1;
  return n <= 9999 ? prefix * 10_000 + n : prefix * 100_000 + n;
}

/** A manual number as manuals print it: coils keep their leading zeros ("00001"). */
export function formatManual(kind: RegisterKind, n: number): string {
  if (kind !== 'coil') return String(n);
  return String(n).padStart(n <= 9999 ? 5 : 6, '0');
}

/** "fn 04". */
export function formatFunctionCode(code: number): string {
  return `fn ${String(code).padStart(2, '0')}`;
}

/** "0x2100". */
export function hex16(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(4, '0');
}

export interface AddressParts {
  /** In manual notation, with the bit of a register: "30001", "40006 bit 3". */
  number: string;
  /** "input register". */
  table: string;
  /** "address 0", "address 8448 = 0x2100". */
  address: string;
  /** "fn 04". */
  fn: string;
}

/** The pieces of an address both ways, for pages that lay them out. */
export function addressParts(loc: Location, bit?: number | null): AddressParts {
  const info = kindInfo(loc.kind);
  const b = typeof bit === 'number' ? ` ${t('devices.modbus.bit', { bit })}` : '';
  const a = loc.address >= 256 ? `${loc.address} = ${hex16(loc.address)}` : String(loc.address);
  return {
    number: `${formatManual(loc.kind, manualNumber(loc.kind, loc.address))}${b}`,
    table: info ? info.name : '',
    address: t('devices.modbus.address', { address: a }),
    fn: info ? formatFunctionCode(info.code) : '',
  };
}

/**
 * An address both ways: "30001 · input register, address 0 (fn 04)". Addresses from
 * 256 up also in hex, as many manuals list them; a bit of a register after the number.
 */
export function describeAddress(loc: Location, bit?: number | null): string {
  const p = addressParts(loc, bit);
  if (!p.table) return p.address;
  return `${p.number} · ${p.table}, ${p.address} (${p.fn})`;
}

/**
 * Where a tag is, from `register` (manual notation) or from `function` and `address`,
 * the same way the core decides. Null for a tag without a Modbus address.
 */
export function locationOf(t: {
  function?: string | null;
  register?: number | null;
  address?: number | null;
}): Location | null {
  if (typeof t.register === 'number') return fromManual(t.register);
  const info = kindInfo(t.function);
  if (info && typeof t.address === 'number') return { kind: info.kind, address: t.address };
  return null;
}

/** Registers (or bits) a type takes; a string its `length`. */
export function typeWidth(type: string, length?: number | null): number {
  switch (type) {
    case 'u32':
    case 'i32':
    case 'f32':
      return 2;
    case 'u64':
    case 'i64':
    case 'f64':
      return 4;
    case 'string':
      return length && length > 0 ? length : 1;
    default:
      return 1;
  }
}

/** Whether the byte order matters for a type (more than one byte). */
export function orderMatters(type: string | null | undefined): boolean {
  return type !== 'bool' && type !== 'bit' && type !== null && type !== undefined;
}

/** A number as written, with all its decimals, in the user's locale (0.001 stays 0,001). */
function exactNumber(v: number): string {
  const written = String(v);
  if (written.includes('e')) return written;
  return formatNumber(v, (written.split('.')[1] ?? '').length);
}

/** "× 0.1", "× 0.1 + 5", "" when the value is taken as read. */
export function formatScale(scale: number | null | undefined, offset: number | null | undefined): string {
  const s = typeof scale === 'number' && scale !== 1 ? `× ${exactNumber(scale)}` : '';
  const o =
    typeof offset === 'number' && offset !== 0
      ? `${offset < 0 ? '−' : '+'} ${exactNumber(Math.abs(offset))}`
      : '';
  return [s, o].filter((x) => x !== '').join(' ');
}

/** A decoded test read value with the precision a register can hold: 230.1 · 2.501844. */
export function formatReadValue(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  const s = v.toPrecision(7);
  if (s.includes('e')) return s;
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * A tag's current value: whole numbers of integer types as counts ("15,494,644", "1"),
 * everything else with decimals by its size (see formatMeasure).
 */
export function formatTagValue(v: number | null | undefined, type: string | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v) && type && type !== 'f32' && type !== 'f64') return formatCount(v);
  return formatMeasure(v);
}

/** What the ad-hoc read form holds: strings as typed. */
export interface ReadForm {
  /** "register": manual notation; "address": function and 0-based address. */
  mode: 'register' | 'address';
  register: string;
  function: RegisterKind;
  address: string;
  type: DataType;
  order: ByteOrder;
  bit: string;
  unit: string;
  count: string;
}

export function defaultReadForm(unitId: number): ReadForm {
  return {
    mode: 'register',
    register: '40001',
    function: 'holding',
    address: '0',
    type: 'u16',
    order: 'ABCD',
    bit: '0',
    unit: String(unitId),
    count: '',
  };
}

function whole(s: string): number | null {
  const t = s.trim();
  if (!/^\d+$/.test(t)) return null;
  return Number(t);
}

/** The read request for the form, or what is wrong with it, in words. */
export function buildReadRequest(
  device: string,
  form: ReadForm,
): { request: ReadRequest } | { error: string } {
  const req: ReadRequest = { device };
  let kind: RegisterKind;
  if (form.mode === 'register') {
    const n = whole(form.register);
    const loc = n === null ? null : fromManual(n);
    if (!loc)
      return {
        error: t('devices.modbus.bad_register'),
      };
    req.register = n as number;
    kind = loc.kind;
  } else {
    const a = whole(form.address);
    if (a === null || a > 65535) return { error: t('devices.modbus.bad_address') };
    req.function = form.function;
    req.address = a;
    kind = form.function;
  }
  const bits = kindInfo(kind)?.bits ?? false;
  if (bits && form.type !== 'bool')
    return { error: t('devices.modbus.bits_need_bool') };
  if (!bits && form.type === 'bool')
    return { error: t('devices.modbus.bool_for_bits') };
  req.type = form.type;
  if (orderMatters(form.type)) req.order = form.order;
  if (form.type === 'bit') {
    const b = whole(form.bit);
    if (b === null || b > 15) return { error: t('devices.modbus.bad_bit') };
    req.bit = b;
  }
  const u = whole(form.unit);
  if (u === null || u > 255) return { error: t('devices.modbus.bad_unit') };
  req.unit = u;
  if (form.count.trim() !== '') {
    const c = whole(form.count);
    const max = bits ? 2000 : 125;
    if (c === null || c < 1 || c > max)
      return { error: t('devices.modbus.bad_count', { max }) };
    req.count = c;
  } else if (form.type === 'string') {
    return { error: t('devices.modbus.string_count') };
  }
  return { request: req };
}
