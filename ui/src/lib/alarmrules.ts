// Alarm rules and alarm settings edited in the configuration model (GET/PUT
// /api/config/model), so nobody needs to write [[alarms]] tables by hand: the rule form
// as strings, the rule it becomes, the new model, and how a rule reads in the list. The
// core checks the whole configuration (a mistake comes back with its place); the form
// only makes sure the numbers are numbers the JSON can carry.

import { t } from './i18n.svelte';
import type { AlarmKind, AlarmRule, AlarmSettings, Priority } from './api.gen';
import type { ConfigModel } from './types';

export { keyFromName } from './setup';

export const KINDS: readonly AlarmKind[] = [
  'high',
  'low',
  'rate',
  'bit',
  'state',
  'demand',
  'offline',
  'stale',
  'stop_without_reason',
  'counter_stalled',
];

/** A tag a rule may watch: its "device/tag" reference and how the form names it. */
export interface TagChoice {
  ref: string;
  label: string;
}

/** The catalogue key of what each kind is called (`t(KIND_LABELS[k])`). */
export const KIND_LABELS: Record<AlarmKind, string> = {
  high: 'alarms.kind.high',
  low: 'alarms.kind.low',
  rate: 'alarms.kind.rate',
  bit: 'alarms.kind.bit',
  state: 'alarms.kind.state',
  demand: 'alarms.kind.demand',
  offline: 'alarms.kind.offline',
  stale: 'alarms.kind.stale',
  stop_without_reason: 'alarms.kind.stop_without_reason',
  counter_stalled: 'alarms.kind.counter_stalled',
};

/** What a kind is called, in the user's language. */
export function kindLabel(kind: AlarmKind): string {
  return t(KIND_LABELS[kind]);
}

export type KindField = 'tag' | 'device' | 'machine' | 'limit' | 'deadband' | 'after_s' | 'after_min' | 'bits' | 'values' | 'interval_min';

/** The fields of each kind, as the core's check wants them (src/config/alarm_rules.rs). */
export const KIND_FIELDS: Record<AlarmKind, readonly KindField[]> = {
  high: ['tag', 'limit', 'deadband'],
  low: ['tag', 'limit', 'deadband'],
  rate: ['tag', 'limit'],
  bit: ['tag', 'bits'],
  state: ['tag', 'values'],
  demand: ['tag', 'limit', 'interval_min'],
  offline: ['device', 'after_s'],
  stale: ['tag', 'after_s'],
  stop_without_reason: ['machine', 'after_min'],
  counter_stalled: ['machine', 'after_min'],
};

export const ROLES = ['operator', 'supervisor', 'maintenance', 'quality', 'stores', 'management', 'admin'] as const;
export const PRIORITY_NAMES: readonly Priority[] = ['critical', 'high', 'medium', 'low'];

/** One text of a fault word's bit or a state word's value, as typed. */
export interface NumberText {
  n: string;
  text: string;
}

/** The rule form, as typed: numbers are strings, empty means not given. */
export interface RuleForm {
  key: string;
  name: string;
  kind: AlarmKind;
  tag: string;
  device: string;
  /** The machine watched (stop, counter) or, for the other kinds, the one the alarm is of. */
  machine: string;
  limit: string;
  deadband: string;
  on_delay_s: string;
  off_delay_s: string;
  after_s: string;
  after_min: string;
  interval_min: string;
  bits: NumberText[];
  values: NumberText[];
  priority: Priority;
  roles: string[];
  action: string;
  escalate_after_min: string;
  /** Roles in order, separated by commas. */
  escalate_to: string;
}

export function emptyRuleForm(): RuleForm {
  return {
    key: '',
    name: '',
    kind: 'high',
    tag: '',
    device: '',
    machine: '',
    limit: '',
    deadband: '',
    on_delay_s: '0',
    off_delay_s: '0',
    after_s: '',
    after_min: '',
    interval_min: '15',
    bits: [{ n: '0', text: '' }],
    values: [{ n: '', text: '' }],
    priority: 'medium',
    roles: ['operator'],
    action: '',
    escalate_after_min: '',
    escalate_to: '',
  };
}

const str = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

/** The form for a rule of the configuration. */
export function formFromRule(r: AlarmRule): RuleForm {
  const empty = emptyRuleForm();
  return {
    key: r.key,
    name: r.name,
    kind: r.kind,
    tag: r.tag ?? '',
    device: r.device ?? '',
    machine: r.machine ?? '',
    limit: str(r.limit),
    deadband: str(r.deadband),
    on_delay_s: str(r.on_delay_s ?? 0),
    off_delay_s: str(r.off_delay_s ?? 0),
    after_s: str(r.after_s),
    after_min: str(r.after_min),
    interval_min: r.interval_min === null || r.interval_min === undefined ? empty.interval_min : String(r.interval_min),
    bits: r.bits && r.bits.length > 0 ? r.bits.map((b) => ({ n: String(b.bit), text: b.text })) : empty.bits,
    values: r.values && r.values.length > 0 ? r.values.map((v) => ({ n: String(v.value), text: v.text })) : empty.values,
    priority: r.priority,
    roles: [...(r.roles ?? [])],
    action: r.action ?? '',
    escalate_after_min: str(r.escalate_after_min),
    escalate_to: (r.escalate_to ?? []).join(', '),
  };
}

/** A mistake the form finds before sending: the field and what to do. */
export interface RuleFormProblem {
  field: string;
  message: string;
}

/**
 * The rule the form describes, or the numbers that are not numbers. Only the kind's own
 * fields are written; everything else (limits in range, tags that exist, roles) is the
 * core's check, whose problems come back with their place.
 */
export function ruleFromForm(f: RuleForm): { rule: AlarmRule } | { problems: RuleFormProblem[] } {
  const problems: RuleFormProblem[] = [];
  // `label` is the catalogue key of the field's name.
  const num = (field: string, label: string, raw: string, whole: boolean): number | undefined => {
    const v = raw.trim().replace(',', '.');
    if (v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || (whole && !/^-?\d+$/.test(v))) {
      const words = { label: t(label), raw: raw.trim() };
      problems.push({ field, message: whole ? t('alarms.field.not_whole', words) : t('alarms.field.not_number', words) });
      return undefined;
    }
    return n;
  };
  const uses = KIND_FIELDS[f.kind];
  const rule: AlarmRule = { key: f.key.trim(), name: f.name.trim(), kind: f.kind, priority: f.priority };
  if (uses.includes('tag')) rule.tag = f.tag.trim() || null;
  if (uses.includes('device')) rule.device = f.device.trim() || null;
  if (f.machine.trim() !== '') rule.machine = f.machine.trim();
  if (uses.includes('limit')) rule.limit = num('limit', 'alarms.field.limit', f.limit, false) ?? null;
  if (uses.includes('deadband')) {
    const d = num('deadband', 'alarms.field.deadband', f.deadband, false);
    if (d !== undefined) rule.deadband = d;
  }
  if (uses.includes('after_s')) rule.after_s = num('after_s', 'alarms.field.after_s', f.after_s, true) ?? null;
  if (uses.includes('after_min')) rule.after_min = num('after_min', 'alarms.field.after_min', f.after_min, true) ?? null;
  if (uses.includes('interval_min')) rule.interval_min = num('interval_min', 'alarms.field.interval', f.interval_min, true) ?? null;
  const on = num('on_delay_s', 'alarms.field.on_delay', f.on_delay_s, false) ?? 0;
  const off = num('off_delay_s', 'alarms.field.off_delay', f.off_delay_s, false) ?? 0;
  if (on !== 0) rule.on_delay_s = on;
  if (off !== 0) rule.off_delay_s = off;
  const texts = (list: NumberText[], field: 'bits' | 'values', label: string) =>
    list
      .filter((x) => x.n.trim() !== '' || x.text.trim() !== '')
      .map((x) => ({ n: num(field, label, x.n, true), text: x.text.trim() }))
      .filter((x): x is { n: number; text: string } => x.n !== undefined);
  if (uses.includes('bits')) rule.bits = texts(f.bits, 'bits', 'alarms.field.bit').map((x) => ({ bit: x.n, text: x.text }));
  if (uses.includes('values')) rule.values = texts(f.values, 'values', 'alarms.field.value').map((x) => ({ value: x.n, text: x.text }));
  rule.roles = ROLES.filter((r) => f.roles.includes(r));
  rule.action = f.action.trim();
  const esc = num('escalate_after_min', 'alarms.field.escalate', f.escalate_after_min, true);
  if (esc !== undefined) rule.escalate_after_min = esc;
  const to = f.escalate_to
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (to.length > 0) rule.escalate_to = to;
  return problems.length > 0 ? { problems } : { rule };
}

/**
 * The model with the rule saved: in place of the rule keyed `replacing`, or appended
 * when that is null. The model given is left as it was.
 */
export function withRule(model: ConfigModel, rule: AlarmRule, replacing: string | null): ConfigModel {
  const rules = model.alarms ?? [];
  const at = replacing === null ? -1 : rules.findIndex((r) => r.key === replacing);
  const next = at < 0 ? [...rules, rule] : rules.map((r, i) => (i === at ? rule : r));
  return { ...model, alarms: next };
}

/** The model without the rule, or null when it has no rule of that key. */
export function withoutRule(model: ConfigModel, key: string): ConfigModel | null {
  const rules = model.alarms ?? [];
  if (!rules.some((r) => r.key === key)) return null;
  return { ...model, alarms: rules.filter((r) => r.key !== key) };
}

/** The model with these alarm settings. */
export function withSettings(model: ConfigModel, settings: AlarmSettings): ConfigModel {
  return { ...model, alarm_settings: settings };
}

/** What the rule watches: its tag, device or machine. */
export function ruleTarget(r: AlarmRule): string {
  return r.tag ?? r.device ?? r.machine ?? '';
}

const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? '?' : String(n));

/** When the rule's alarm comes, in a few words ("above 80, clears at 77"). */
export function ruleCondition(r: AlarmRule): string {
  let s: string;
  switch (r.kind) {
    case 'high':
      s = r.deadband
        ? t('alarms.cond.above_clears', { limit: fmt(r.limit), clear: fmt((r.limit ?? 0) - r.deadband) })
        : t('alarms.cond.above', { limit: fmt(r.limit) });
      break;
    case 'low':
      s = r.deadband
        ? t('alarms.cond.below_clears', { limit: fmt(r.limit), clear: fmt((r.limit ?? 0) + r.deadband) })
        : t('alarms.cond.below', { limit: fmt(r.limit) });
      break;
    case 'rate':
      s = t('alarms.cond.rate', { limit: fmt(r.limit) });
      break;
    case 'bit':
      s = t('alarms.cond.bits', { list: (r.bits ?? []).map((b) => `${b.bit} “${b.text}”`).join(', ') });
      break;
    case 'state':
      s = t('alarms.cond.values', { list: (r.values ?? []).map((v) => `${v.value} “${v.text}”`).join(', ') });
      break;
    case 'demand':
      s = t('alarms.cond.demand', { limit: fmt(r.limit), interval: fmt(r.interval_min) });
      break;
    case 'offline':
      s = t('alarms.cond.offline', { n: fmt(r.after_s) });
      break;
    case 'stale':
      s = t('alarms.cond.stale', { n: fmt(r.after_s) });
      break;
    case 'stop_without_reason':
      s = t('alarms.cond.stop', { n: fmt(r.after_min) });
      break;
    case 'counter_stalled':
      s = t('alarms.cond.counter', { n: fmt(r.after_min) });
      break;
  }
  const delays = [
    r.on_delay_s ? t('alarms.cond.on_delay', { n: r.on_delay_s }) : '',
    r.off_delay_s ? t('alarms.cond.off_delay', { n: r.off_delay_s }) : '',
  ].filter((x) => x !== '');
  return delays.length > 0 ? t('alarms.cond.with_delays', { condition: s, delays: delays.join(', ') }) : s;
}

/** The number tags of the model a rule may watch, device by device. */
export function tagChoices(model: ConfigModel): TagChoice[] {
  const out: TagChoice[] = [];
  for (const d of model.devices ?? []) {
    for (const t of d.tags ?? []) {
      if (t.type === 'string') continue;
      const unit = t.unit ? ` (${t.unit})` : '';
      out.push({ ref: `${d.key}/${t.name}`, label: `${d.name || d.key} · ${t.label || t.name}${unit}` });
    }
  }
  return out;
}

/**
 * The form fields the core's problems name for the rule keyed `key`
 * (`alarm "oil-hot", field "limit"` → limit; `alarm "f", bit 3` → bits; the rule's
 * place alone, as for a key used twice → key).
 */
export function problemFields(places: readonly string[], key: string): string[] {
  const out = new Set<string>();
  const head = `alarm "${key}"`;
  for (const raw of places) {
    const place = raw.trim();
    if (place === head) out.add('key');
    if (!place.startsWith(`${head}, `)) continue;
    const rest = place.slice(head.length + 2);
    const field = /^field "([^"]+)"$/.exec(rest);
    if (field) out.add(field[1]);
    else if (rest.startsWith('bit ')) out.add('bits');
    else if (rest.startsWith('value ')) out.add('values');
  }
  return [...out];
}
