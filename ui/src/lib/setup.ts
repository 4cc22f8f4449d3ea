// The setup path (issue 9): a machine form and a tag editor that make configuration
// model edits (PUT /api/config/model), so nobody needs to write TOML. The forms hold
// strings as typed; these functions turn them into the model's shapes, say what is
// wrong in words, and make the test read request of a tag row. The core checks the
// configuration as a whole; here only what keeps a request from being built.

import type { ByteOrder, DataType } from './modbus';
import { fromManual, kindInfo, locationOf } from './modbus';
import { t } from './i18n.svelte';
import type { ConfigModel, ModelDevice, ReadRequest, RegisterKind, TemplateTag } from './types';

/** A machine's key from its name: "Press 2 (old)" → "press-2-old". */
export function keyFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export interface MachineForm {
  name: string;
  key: string;
  line: string;
}

/** The machine the form describes, or what is missing. */
export function buildMachine(
  form: MachineForm,
  model: ConfigModel | null,
): { machine: { key: string; name: string; line?: string } } | { error: string } {
  const name = form.name.trim();
  if (name === '') return { error: t('devices.machine.enter_name') };
  const key = (form.key.trim() || keyFromName(name)).toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(key))
    return { error: t('devices.machine.bad_key') };
  if ((model?.machines ?? []).some((m) => m.key === key))
    return { error: t('devices.machine.key_taken', { key }) };
  const machine: { key: string; name: string; line?: string } = { key, name };
  if (form.line.trim() !== '') machine.line = form.line.trim();
  return { machine };
}

/** The model with the machine added; the model given stays as it was. */
export function withMachine(model: ConfigModel, machine: { key: string; name: string; line?: string }): ConfigModel {
  return { ...model, machines: [...(model.machines ?? []), machine] };
}

export const ROLES = ['', 'count', 'state', 'run', 'scrap'] as const;
export const ROLE_LABEL: Record<(typeof ROLES)[number], string> = {
  get ''() {
    return t('devices.role.none');
  },
  get count() {
    return t('devices.role.count');
  },
  get state() {
    return t('devices.role.state');
  },
  get run() {
    return t('devices.role.run');
  },
  get scrap() {
    return t('devices.role.scrap');
  },
};
export const RECORDS = ['every_poll', 'on_change', 'deadband', 'swinging_door'] as const;
export const RECORD_LABEL: Record<(typeof RECORDS)[number], string> = {
  get every_poll() {
    return t('devices.record.every_poll');
  },
  get on_change() {
    return t('devices.record.on_change');
  },
  get deadband() {
    return t('devices.record.deadband');
  },
  get swinging_door() {
    return t('devices.record.swinging_door');
  },
};

/** One row of the tag editor, as typed. */
export interface TagForm {
  name: string;
  label: string;
  /** "" : the register is a number as in the manual (40001); else the table, and
   * `register` holds the 0-based address. */
  function: '' | RegisterKind;
  register: string;
  type: DataType;
  order: ByteOrder;
  bit: string;
  length: string;
  scale: string;
  offset: string;
  unit: string;
  role: (typeof ROLES)[number];
  record: (typeof RECORDS)[number];
  deadband: string;
}

export function emptyTagForm(): TagForm {
  return {
    name: '',
    label: '',
    function: '',
    register: '',
    type: 'u16',
    order: 'ABCD',
    bit: '0',
    length: '',
    scale: '1',
    offset: '0',
    unit: '',
    role: '',
    record: 'every_poll',
    deadband: '',
  };
}

/** The row for a tag of the model (or of a template). */
export function tagFormOf(t: TemplateTag): TagForm {
  const f = emptyTagForm();
  f.name = t.name;
  f.label = t.label ?? '';
  if (typeof t.register === 'number') {
    f.register = String(t.register).padStart(kindOfNumber(t.register) === 'coil' ? 5 : 0, '0');
  } else if (t.function && typeof t.address === 'number') {
    f.function = t.function;
    f.register = String(t.address);
  }
  const loc = locationOf(t);
  f.type = (t.type ?? (loc && kindInfo(loc.kind)?.bits ? 'bool' : 'u16')) as DataType;
  f.order = (t.order ?? 'ABCD') as ByteOrder;
  if (typeof t.bit === 'number') f.bit = String(t.bit);
  if (typeof t.length === 'number') f.length = String(t.length);
  f.scale = String(t.scale ?? 1);
  f.offset = String(t.offset ?? 0);
  f.unit = t.unit ?? '';
  f.role = (t.role ?? '') as TagForm['role'];
  f.record = (t.record ?? 'every_poll') as TagForm['record'];
  if (typeof t.deadband === 'number') f.deadband = String(t.deadband);
  return f;
}

function kindOfNumber(n: number): RegisterKind | null {
  return fromManual(n)?.kind ?? null;
}

function whole(s: string): number | null {
  const t = s.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

function decimal(s: string): number | null {
  const t = s.trim().replace(',', '.');
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  return Number(t);
}

/**
 * Where the row reads: the register as the manual writes it ("40001", coils "00001";
 * leading zeros are fine, as manuals print them), or a table and a 0-based address.
 */
export function rowAddress(
  f: Pick<TagForm, 'function' | 'register'>,
): { register: number; kind: RegisterKind } | { function: RegisterKind; address: number } | { error: string } {
  const n = whole(f.register);
  if (f.function === '') {
    const loc = n === null ? null : fromManual(n);
    if (!loc || n === null)
      return {
        error: t('devices.te.bad_register'),
      };
    return { register: n, kind: loc.kind };
  }
  if (n === null || n > 65535) return { error: t('devices.te.bad_address') };
  return { function: f.function, address: n };
}

/** The tag the row describes, or what is wrong with it in words. */
export function buildTag(f: TagForm): { tag: TemplateTag } | { error: string } {
  const name = f.name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name))
    return { error: t('devices.te.bad_name') };
  const where = rowAddress(f);
  if ('error' in where) return where;
  const kind = 'kind' in where ? where.kind : where.function;
  const bits = kindInfo(kind)?.bits ?? false;
  if (bits && f.type !== 'bool') return { error: t('devices.modbus.bits_need_bool') };
  if (!bits && f.type === 'bool') return { error: t('devices.modbus.bool_for_bits') };
  const tag: TemplateTag = { name };
  if (f.label.trim() !== '') tag.label = f.label.trim();
  if ('register' in where) tag.register = where.register;
  else {
    tag.function = where.function;
    tag.address = where.address;
  }
  tag.type = f.type;
  if (f.type === 'bit') {
    const b = whole(f.bit);
    if (b === null || b > 15) return { error: t('devices.modbus.bad_bit') };
    tag.bit = b;
  }
  if (f.type === 'string') {
    const l = whole(f.length);
    if (l === null || l < 1 || l > 125) return { error: t('devices.te.string_length') };
    tag.length = l;
  }
  if (f.type !== 'bool' && f.type !== 'bit' && f.order !== 'ABCD') tag.order = f.order;
  const scale = decimal(f.scale === '' ? '1' : f.scale);
  if (scale === null || scale === 0) return { error: t('devices.te.bad_scale') };
  if (scale !== 1) tag.scale = scale;
  const offset = decimal(f.offset === '' ? '0' : f.offset);
  if (offset === null) return { error: t('devices.te.bad_offset') };
  if (offset !== 0) tag.offset = offset;
  if (f.unit.trim() !== '') tag.unit = f.unit.trim();
  if (f.role !== '') tag.role = f.role;
  if (f.record !== 'every_poll') {
    tag.record = f.record;
    if (f.record === 'deadband' || f.record === 'swinging_door') {
      const d = decimal(f.deadband);
      if (d === null || d <= 0) return { error: t('devices.te.bad_deadband') };
      tag.deadband = d;
    }
  }
  return { tag };
}

/** A test read of the row as it stands (saved or not), with the earlier reads. */
export function rowReadRequest(
  device: string,
  f: TagForm,
  previous: { ms: number; raw: number[] }[] = [],
): { request: ReadRequest } | { error: string } {
  const where = rowAddress(f);
  if ('error' in where) return where;
  const req: ReadRequest = { device, type: f.type };
  if ('register' in where) req.register = where.register;
  else {
    req.function = where.function;
    req.address = where.address;
  }
  if (f.type !== 'bool' && f.type !== 'bit') req.order = f.order;
  if (f.type === 'bit') req.bit = whole(f.bit) ?? 0;
  if (f.type === 'string') req.count = whole(f.length) ?? 1;
  const scale = decimal(f.scale);
  if (scale !== null && scale !== 0) req.scale = scale;
  const offset = decimal(f.offset);
  if (offset !== null) req.offset = offset;
  if (f.unit.trim() !== '') req.value_unit = f.unit.trim();
  if (f.role !== '') req.role = f.role;
  if (previous.length > 0) req.previous = previous;
  return { request: req };
}

/** A row for a tag that does not exist yet, from an ad-hoc read's settings. */
export function tagFormFromRead(r: {
  register?: number | null;
  function?: RegisterKind | null;
  address?: number | null;
  type?: string | null;
  order?: string | null;
  bit?: number | null;
  count?: number | null;
}): TagForm {
  const f = emptyTagForm();
  if (typeof r.register === 'number') {
    f.register = String(r.register).padStart(kindOfNumber(r.register) === 'coil' ? 5 : 0, '0');
  } else if (r.function && typeof r.address === 'number') {
    f.function = r.function;
    f.register = String(r.address);
  }
  if (r.type) f.type = r.type as DataType;
  if (r.order) f.order = r.order as ByteOrder;
  if (typeof r.bit === 'number') f.bit = String(r.bit);
  if (r.type === 'string' && typeof r.count === 'number') f.length = String(r.count);
  return f;
}

/** A name not yet used among `taken`: "tag", "tag-2", ... */
export function freeName(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * The model with the device's tags replaced. The device's tags are its own from now
 * on: a template only fills them (its `template` key is dropped, or the template's
 * tags would come back on every import and could not be trimmed).
 */
export function withTags(model: ConfigModel, deviceKey: string, tags: TemplateTag[]): ConfigModel | null {
  const devices = model.devices ?? [];
  if (!devices.some((d) => d.key === deviceKey)) return null;
  return {
    ...model,
    devices: devices.map((d): ModelDevice => {
      if (d.key !== deviceKey) return d;
      const out: ModelDevice = { ...d, tags };
      delete out.template;
      return out;
    }),
  };
}
