// The setup path (issue 9): a machine form and a tag editor that make configuration
// model edits (PUT /api/config/model), so nobody needs to write TOML. The forms hold
// strings as typed; these functions turn them into the model's shapes, say what is
// wrong in words, and make the test read request of a tag row. The core checks the
// configuration as a whole; here only what keeps a request from being built.

import type { ByteOrder, DataType } from './modbus';
import { fromManual, kindInfo, locationOf } from './modbus';
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
  if (name === '') return { error: 'Enter the machine’s name as people on the floor call it, e.g. “Press 2”.' };
  const key = (form.key.trim() || keyFromName(name)).toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(key))
    return { error: 'The key may hold lowercase letters, digits, “-” and “_”, e.g. “press-2”.' };
  if ((model?.machines ?? []).some((m) => m.key === key))
    return { error: `There is already a machine with the key “${key}”; choose another.` };
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
  '': 'none',
  count: 'part counter',
  state: 'machine state',
  run: 'run bit',
  scrap: 'scrap counter',
};
export const RECORDS = ['every_poll', 'on_change', 'deadband', 'swinging_door'] as const;
export const RECORD_LABEL: Record<(typeof RECORDS)[number], string> = {
  every_poll: 'every poll',
  on_change: 'on change',
  deadband: 'deadband',
  swinging_door: 'swinging door',
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
        error:
          'Enter the register as the manual writes it: 40001 holding, 30001 input, 10001 discrete input, 00001 coil.',
      };
    return { register: n, kind: loc.kind };
  }
  if (n === null || n > 65535) return { error: 'Enter the 0-based address, 0 to 65535.' };
  return { function: f.function, address: n };
}

/** The tag the row describes, or what is wrong with it in words. */
export function buildTag(f: TagForm): { tag: TemplateTag } | { error: string } {
  const name = f.name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name))
    return { error: 'Give the tag a name: letters, digits, “-”, “_” or “.”, e.g. “count” or “temp_zone1”.' };
  const where = rowAddress(f);
  if ('error' in where) return where;
  const kind = 'kind' in where ? where.kind : where.function;
  const bits = kindInfo(kind)?.bits ?? false;
  if (bits && f.type !== 'bool') return { error: 'Coils and discrete inputs hold bits: choose the type bool.' };
  if (!bits && f.type === 'bool') return { error: 'bool is for coils and discrete inputs; for one bit of a register choose bit.' };
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
    if (b === null || b > 15) return { error: 'Enter the bit as a number from 0 (lowest) to 15.' };
    tag.bit = b;
  }
  if (f.type === 'string') {
    const l = whole(f.length);
    if (l === null || l < 1 || l > 125) return { error: 'A string needs its length: the registers it takes, two characters each.' };
    tag.length = l;
  }
  if (f.type !== 'bool' && f.type !== 'bit' && f.order !== 'ABCD') tag.order = f.order;
  const scale = decimal(f.scale === '' ? '1' : f.scale);
  if (scale === null || scale === 0) return { error: 'Enter the scale as a number, e.g. 0.1 for tenths (1 when the value is as read).' };
  if (scale !== 1) tag.scale = scale;
  const offset = decimal(f.offset === '' ? '0' : f.offset);
  if (offset === null) return { error: 'Enter the offset as a number (0 for none).' };
  if (offset !== 0) tag.offset = offset;
  if (f.unit.trim() !== '') tag.unit = f.unit.trim();
  if (f.role !== '') tag.role = f.role;
  if (f.record !== 'every_poll') {
    tag.record = f.record;
    if (f.record === 'deadband' || f.record === 'swinging_door') {
      const d = decimal(f.deadband);
      if (d === null || d <= 0) return { error: 'Enter the deadband: the change that counts, in the tag’s unit.' };
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
