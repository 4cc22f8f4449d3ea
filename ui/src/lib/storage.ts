// The Storage page's logic: retention per class in words, the edit form into the
// StorageChange the API takes, what a purge removes in words, sizes and free space.

import { ApiError } from './api';
import { formatClock, formatCount, formatNumber, formatDate as formatDay } from './format';
import { t } from './i18n.svelte';
import type {
  DiskStatus,
  PurgeStep,
  Retention,
  RetentionClass,
  Storage,
  StorageChange,
} from './types';

export type DaysField = 'raw_days' | 'minute_days' | 'hour_days' | 'audit_days';

export interface ClassInfo {
  cls: RetentionClass;
  field: DaysField;
  /** The key of its name in the catalogue (`t(c.label)`). */
  label: string;
  /** The key of what it is for, in a few words. */
  what: string;
}

export const CLASSES: readonly ClassInfo[] = [
  { cls: 'raw', field: 'raw_days', label: 'storage.class.raw', what: 'storage.class_what.raw' },
  { cls: 'minute', field: 'minute_days', label: 'storage.class.minute', what: 'storage.class_what.minute' },
  { cls: 'hour', field: 'hour_days', label: 'storage.class.hour', what: 'storage.class_what.hour' },
  { cls: 'audit', field: 'audit_days', label: 'storage.class.audit', what: 'storage.class_what.audit' },
];

/** The longest retention the core takes, in days (100 years). */
export const MAX_DAYS = 36_500;

export function classLabel(cls: string): string {
  const c = CLASSES.find((k) => k.cls === cls);
  return c ? t(c.label) : cls;
}

/**
 * "Keep for ever", "1 day", "365 days (1 year)"; `inSentence` gives "keep for ever"
 * where the language writes it small inside a sentence.
 */
export function retentionWords(days: number | null, inSentence = false): string {
  if (days === null) return t(inSentence ? 'storage.forever_lower' : 'storage.forever');
  if (days >= 365 && days % 365 === 0) {
    return t('storage.days_years', { n: days, count: formatCount(days), y: days / 365 });
  }
  return t('storage.days', { n: days, count: formatCount(days) });
}

// ---- The form -----------------------------------------------------------------------

/** A number as a form holds it: a number input gives a number (null when empty). */
export type Typed = number | string | null | undefined;

export interface RetentionForm {
  /** Days as typed, per class. */
  days: Record<RetentionClass, Typed>;
  /** "Keep for ever" ticked, per class. */
  forever: Record<RetentionClass, boolean>;
  archive: boolean;
  /** The disk warning threshold in MB, as typed. */
  diskWarnMb: Typed;
}

/** The form filled with the saved settings. A class kept for ever offers a year. */
export function formFromStorage(s: Pick<Storage, 'retention' | 'disk_warn_mb'>): RetentionForm {
  const days = {} as Record<RetentionClass, Typed>;
  const forever = {} as Record<RetentionClass, boolean>;
  for (const c of CLASSES) {
    const d = s.retention[c.field];
    forever[c.cls] = d === null;
    days[c.cls] = d === null ? 365 : d;
  }
  return { days, forever, archive: s.retention.archive, diskWarnMb: s.disk_warn_mb };
}

export type FormErrors = Partial<Record<RetentionClass | 'disk_warn_mb', string>>;

function wholeNumber(value: Typed): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The StorageChange the form says, or what is wrong with it, per field. Days are whole
 * numbers from 1 to 36,500; the disk warning a whole number of MB.
 */
export function buildChange(
  form: RetentionForm,
  confirm = false,
): { change: StorageChange } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const days: Partial<Record<DaysField, number | null>> = {};
  for (const c of CLASSES) {
    if (form.forever[c.cls]) {
      days[c.field] = null;
      continue;
    }
    const n = wholeNumber(form.days[c.cls]);
    if (n === null || n < 1 || n > MAX_DAYS) {
      errors[c.cls] = t('storage.err_days', { max: formatCount(MAX_DAYS) });
    } else {
      days[c.field] = n;
    }
  }
  const mb = wholeNumber(form.diskWarnMb);
  if (mb === null) errors.disk_warn_mb = t('storage.err_mb');
  if (Object.keys(errors).length > 0) return { errors };
  return {
    change: {
      raw_days: days.raw_days ?? null,
      minute_days: days.minute_days ?? null,
      hour_days: days.hour_days ?? null,
      audit_days: days.audit_days ?? null,
      archive: form.archive,
      disk_warn_mb: mb as number,
      confirm,
    },
  };
}

/** True when the form says what is saved (nothing to save). */
export function unchanged(form: RetentionForm, s: Pick<Storage, 'retention' | 'disk_warn_mb'>): boolean {
  const built = buildChange(form);
  if (!('change' in built)) return false;
  const c = built.change;
  return (
    CLASSES.every((k) => c[k.field] === s.retention[k.field]) &&
    c.archive === s.retention.archive &&
    c.disk_warn_mb === s.disk_warn_mb
  );
}

/** The classes whose data the change keeps for less time than now. */
export function shortened(old: Retention, change: Retention): RetentionClass[] {
  return CLASSES.filter((c) => {
    const a = old[c.field];
    const b = change[c.field];
    return b !== null && (a === null || b < a);
  }).map((c) => c.cls);
}

/**
 * The classes a change keeps for less time, in words: "Raw samples: 365 days (1 year)
 * → 30 days". The server's list of what goes names only classes with data old enough.
 */
export function describeShortening(old: Retention, change: Retention): { cls: RetentionClass; text: string }[] {
  return shortened(old, change).map((cls) => {
    const c = CLASSES.find((k) => k.cls === cls)!;
    return {
      cls,
      text: t('storage.shortening', {
        class: t(c.label),
        from: retentionWords(old[c.field], true),
        to: retentionWords(change[c.field], true),
      }),
    };
  });
}

/** Where a class's retention cuts off now: data older than this goes. */
export function cutoff(days: number, nowMs: number): number {
  return nowMs - days * 86_400_000;
}

// ---- What goes ----------------------------------------------------------------------

/** "26 Nov 2024 14:03" in the zone, in the user's locale. */
export function formatDate(ms: number, tz?: string): string {
  return `${formatDay(ms, tz)} ${formatClock(ms, tz)}`;
}

/** How much of a class a step removes: "7,200,000 samples in 12,000 blocks", "840 rows". */
export function stepAmount(step: Pick<PurgeStep, 'class' | 'rows' | 'samples'>): string {
  switch (step.class) {
    case 'raw':
      return t('storage.amount.raw', {
        samples: step.samples,
        s: formatCount(step.samples),
        blocks: step.rows,
        b: formatCount(step.rows),
      });
    case 'audit':
      return t('storage.amount.audit', { n: step.rows, c: formatCount(step.rows) });
    default:
      return t('storage.amount.rows', { n: step.rows, c: formatCount(step.rows) });
  }
}

/** "Raw samples older than 26 Nov 2024 14:03: 7,200,000 samples in 12,000 blocks". */
export function describeStep(step: PurgeStep, tz?: string): string {
  return t('storage.step', { class: classLabel(step.class), time: formatDate(step.before_ms, tz), amount: stepAmount(step) });
}

/** True when a step removes nothing. */
export function emptyStep(step: Pick<PurgeStep, 'rows' | 'samples'>): boolean {
  return step.rows === 0 && step.samples === 0;
}

function isStep(x: unknown): x is PurgeStep {
  if (!x || typeof x !== 'object') return false;
  const s = x as Record<string, unknown>;
  return typeof s.class === 'string' && typeof s.before_ms === 'number';
}

/** The `would_remove` list of a 409 `confirm_required` answer; empty for any other error. */
export function wouldRemove(err: unknown): PurgeStep[] {
  if (!(err instanceof ApiError) || err.code !== 'confirm_required') return [];
  const list = err.details.would_remove;
  if (!Array.isArray(list)) return [];
  return list.filter(isStep).map((s) => ({
    class: s.class,
    before_ms: s.before_ms,
    rows: typeof s.rows === 'number' ? s.rows : 0,
    samples: typeof s.samples === 'number' ? s.samples : 0,
  }));
}

// ---- Sizes and free space -----------------------------------------------------------

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** A size as people read it (1 KB = 1024 bytes, as the MB of the disk warning): "1.2 GB". */
export function formatBytes(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return t('storage.bytes', { n: Math.round(n) });
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const d = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${formatNumber(v, d)} ${UNITS[u]}`;
}

/** The drive's space for a bar: the used share 0..1 and words; null when not known. */
export function diskUse(
  disk: Pick<DiskStatus, 'free_bytes' | 'total_bytes'>,
): { used: number; text: string } | null {
  const { free_bytes: free, total_bytes: total } = disk;
  if (typeof free !== 'number' || typeof total !== 'number' || total <= 0) return null;
  const used = Math.min(1, Math.max(0, (total - free) / total));
  return { used, text: t('storage.free_of', { free: formatBytes(free), total: formatBytes(total) }) };
}
