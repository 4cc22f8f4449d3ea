// Adding and removing a device in the configuration model (GET/PUT /api/config/model):
// the add-device form as strings, the device it becomes, the new model, and which form
// field a mistake the server reports belongs to. The core checks the configuration; the
// form only makes sure the numbers are numbers the JSON can carry.

import { t } from './i18n.svelte';
import type { ConfigModel, ConfigProblem, ModelDevice } from './types';

export const PROTOCOLS = ['modbus-tcp', 'modbus-rtu', 'modbus-rtu-over-tcp'] as const;
export type FormProtocol = (typeof PROTOCOLS)[number];

export function isTcp(protocol: string): boolean {
  return protocol === 'modbus-tcp' || protocol === 'modbus-rtu-over-tcp';
}

/** The add-device form, as typed. Empty numbers mean the template's or core's default. */
export interface DeviceForm {
  key: string;
  name: string;
  protocol: FormProtocol;
  host: string;
  port: string;
  bus: string;
  unit_id: string;
  poll_ms: string;
  timeout_ms: string;
  machine: string;
  template: string;
}

export type FormField = keyof DeviceForm;

/** The form's labels, to name a field in the list of mistakes. */
export const FIELD_LABELS: Record<FormField, string> = {
  get key() {
    return t('devices.field.key');
  },
  get name() {
    return t('devices.field.name');
  },
  get protocol() {
    return t('devices.field.protocol');
  },
  get host() {
    return t('devices.field.host');
  },
  get port() {
    return t('devices.field.port');
  },
  get bus() {
    return t('devices.field.bus');
  },
  get unit_id() {
    return t('devices.field.unit_id');
  },
  get poll_ms() {
    return t('devices.field.poll_ms');
  },
  get timeout_ms() {
    return t('devices.field.timeout_ms');
  },
  get machine() {
    return t('devices.field.machine');
  },
  get template() {
    return t('devices.field.template');
  },
};

export function emptyDeviceForm(): DeviceForm {
  return {
    key: '',
    name: '',
    protocol: 'modbus-tcp',
    host: '',
    port: '502',
    bus: '',
    unit_id: '1',
    poll_ms: '',
    timeout_ms: '',
    machine: '',
    template: '',
  };
}

/** The core's own defaults for a device's timings. */
export const CORE_DEFAULTS = { timeout_ms: 1000, poll_ms: 1000 };

/** Timings a template suggests for its device (its `device` table). */
export interface TimingDefaults {
  timeout_ms?: number | null;
  poll_ms?: number | null;
}

/** What an empty timing field stands for: the template's value, else the core's. */
export function effectiveDefaults(template: TimingDefaults | null | undefined): {
  timeout_ms: number;
  poll_ms: number;
} {
  return {
    timeout_ms: template?.timeout_ms ?? CORE_DEFAULTS.timeout_ms,
    poll_ms: template?.poll_ms ?? CORE_DEFAULTS.poll_ms,
  };
}

/** A mistake in the form, or one the server reported, with the field it belongs to. */
export interface FormProblem {
  field: FormField | null;
  place: string;
  message: string;
}

function whole(s: string): number | null {
  const t = s.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/**
 * The device the form describes, or the mistakes that keep it from being sent. The
 * template fills the tags on the server, so `tags` is empty. An empty timing takes the
 * template's value, written out: the configuration as JSON always carries the timings,
 * so the server would otherwise use its own defaults rather than the template's.
 */
export function buildDevice(
  form: DeviceForm,
  templateDefaults?: TimingDefaults | null,
): { device: ModelDevice } | { problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const bad = (field: FormField, message: string) =>
    problems.push({ field, place: FIELD_LABELS[field], message });
  const number = (field: FormField, max: number, optional: boolean): number | undefined => {
    const raw = form[field].trim();
    if (raw === '') {
      if (!optional) bad(field, t('devices.form.enter', { field }));
      return undefined;
    }
    const n = whole(raw);
    if (n === null || n > max) {
      bad(field, t('devices.form.whole', { field, max }));
      return undefined;
    }
    return n;
  };

  const key = form.key.trim();
  if (key === '') bad('key', t('devices.form.enter_key'));
  const device: ModelDevice = { key, protocol: form.protocol };
  const name = form.name.trim();
  if (name !== '') device.name = name;
  if (isTcp(form.protocol)) {
    const host = form.host.trim();
    if (host === '') bad('host', t('devices.form.enter_host'));
    device.host = host;
    const port = number('port', 65535, true);
    if (port !== undefined) device.port = port;
  } else {
    if (form.bus === '') bad('bus', t('devices.form.choose_bus'));
    device.bus = form.bus;
  }
  const unit = number('unit_id', 255, false);
  if (unit !== undefined) device.unit_id = unit;
  const timeout = number('timeout_ms', 60_000, true) ?? templateDefaults?.timeout_ms ?? undefined;
  if (timeout !== undefined) device.timeout_ms = timeout;
  const poll = number('poll_ms', 86_400_000, true) ?? templateDefaults?.poll_ms ?? undefined;
  if (poll !== undefined) device.poll_ms = poll;
  if (form.machine !== '') device.machine = form.machine;
  if (form.template !== '') device.template = form.template;
  device.tags = [];
  return problems.length > 0 ? { problems } : { device };
}

/** The model with the device appended; the model given is left as it was. */
export function withDevice(model: ConfigModel, device: ModelDevice): ConfigModel {
  return { ...model, devices: [...(model.devices ?? []), device] };
}

/** The model without the device, or null when it has no device of that key. */
export function withoutDevice(model: ConfigModel, key: string): ConfigModel | null {
  const devices = model.devices ?? [];
  if (!devices.some((d) => d.key === key)) return null;
  return { ...model, devices: devices.filter((d) => d.key !== key) };
}

const MODEL_FIELDS: Record<string, FormField> = {
  key: 'key',
  name: 'name',
  protocol: 'protocol',
  host: 'host',
  port: 'port',
  bus: 'bus',
  unit_id: 'unit_id',
  timeout_ms: 'timeout_ms',
  poll_ms: 'poll_ms',
  machine: 'machine',
  template: 'template',
};

/**
 * The form field a server mistake belongs to: its place names the new device and one
 * of the form's fields (`device "meter-3", field "bus"`). Null for anything else.
 */
export function problemField(place: string, deviceKey: string): FormField | null {
  const m = /^device "((?:[^"\\]|\\.)*)", field "([^"]+)"$/.exec(place.trim());
  if (!m || m[1] !== deviceKey) return null;
  return MODEL_FIELDS[m[2]] ?? null;
}

/** The server's mistakes, each with its form field where it has one. */
export function formProblems(problems: ConfigProblem[], deviceKey: string): FormProblem[] {
  return problems.map((p) => ({ ...p, field: problemField(p.place, deviceKey) }));
}
