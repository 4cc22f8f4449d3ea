// A date and time typed as the user's locale writes it, in the plant's zone: the text
// inputs of a form that asks for a time (a native datetime-local input shows the
// browser's format, "11/28/2026, 06:00 AM", whatever language the user chose). Shown
// as "28.11.2026 06:00" (de), "28/11/2026 06:00" (en-GB, es), "11/28/2026 06:00 AM"
// (en-US), "2026/11/28 06:00" (zh); read back from the same form, and from
// "2026-11-28 06:00" (ISO) in every language.

import { displayFormatter } from './format';
import { fromLocalInput, toLocalInput } from './span';

const OPTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
};

type Field = 'year' | 'month' | 'day';

/** The locale's parts of `ms` in the zone. */
function partsOf(ms: number, tz: string | undefined): Intl.DateTimeFormatPart[] {
  return displayFormatter(tz, OPTS).formatToParts(new Date(ms));
}

/** A time as the user's locale writes it, in the zone: "28.11.2026 06:00". */
export function toLocaleInput(ms: number, tz: string | undefined): string {
  const p = partsOf(ms, tz);
  const hourAt = p.findIndex((x) => x.type === 'hour');
  const periodAt = p.findIndex((x) => x.type === 'dayPeriod');
  const lastDate = Math.max(...(['year', 'month', 'day'] as const).map((f) => p.findIndex((x) => x.type === f)));
  const date = p.slice(0, lastDate + 1).filter((_, i) => i !== periodAt).map((x) => x.value).join('');
  const timeEnd = p.findIndex((x, i) => i > hourAt && x.type === 'minute');
  let time = p
    .slice(hourAt, timeEnd + 1)
    .map((x) => x.value)
    .join('')
    .replace(/^24(?=\D)/, '00');
  if (periodAt >= 0) time = periodAt < hourAt ? `${p[periodAt].value} ${time}` : `${time} ${p[periodAt].value}`;
  return `${date.trim()} ${time.trim()}`;
}

/** The order of year, month and day in the user's locale: ["day", "month", "year"]. */
function dateOrder(): Field[] {
  return partsOf(Date.UTC(2026, 10, 28, 6), 'UTC')
    .map((x) => x.type)
    .filter((x): x is Field => x === 'year' || x === 'month' || x === 'day');
}

/** The locale's words for the afternoon and the morning, lower case ("pm", "下午"). */
function periods(): { am: string[]; pm: string[] } {
  const f = displayFormatter('UTC', { hour: 'numeric', hour12: true });
  const word = (h: number) =>
    (f.formatToParts(new Date(Date.UTC(2026, 0, 1, h))).find((x) => x.type === 'dayPeriod')?.value ?? '').toLowerCase();
  return { am: [word(9), 'am', 'a.m.'], pm: [word(15), 'pm', 'p.m.'] };
}

/**
 * A time typed as the user's locale writes it (or as ISO "2026-11-28 06:00"), read as a
 * wall clock time in the zone, in UTC ms; null when it is no such time.
 */
export function fromLocaleInput(text: string, tz: string | undefined): number | null {
  const s = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)$/.exec(s);
  if (iso) return fromLocalInput(`${iso[1]}T${iso[2]}`, tz);
  const nums = s.match(/\d+/g);
  if (!nums || nums.length !== 5) return null;
  const order = dateOrder();
  const v: Record<Field, number> = { year: 0, month: 0, day: 0 };
  order.forEach((f, i) => (v[f] = Number(nums[i])));
  if (String(v.year).length !== 4) return null;
  let hour = Number(nums[3]);
  const minute = Number(nums[4]);
  const lower = s.toLowerCase();
  const { am, pm } = periods();
  const has = (words: string[]) => words.some((w) => w !== '' && lower.includes(w));
  if (has(pm) && hour >= 1 && hour < 12) hour += 12;
  else if (has(am) && hour === 12) hour = 0;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}`;
  const ms = fromLocalInput(`${day}T${pad(hour)}:${pad(minute)}`, tz);
  // 31.02. is no day: the day read back must be the one typed.
  if (ms === null || toLocalInput(ms, tz).slice(0, 10) !== day) return null;
  return ms;
}

/** A day ("2026-11-28", as a date input holds it) as the user's locale writes it: "28.11.2026". */
export function toLocaleDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const p = partsOf(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12), 'UTC');
  const lastDate = Math.max(...(['year', 'month', 'day'] as const).map((f) => p.findIndex((x) => x.type === f)));
  const firstDate = Math.min(...(['year', 'month', 'day'] as const).map((f) => p.findIndex((x) => x.type === f)));
  return p
    .slice(firstDate, lastDate + 1)
    .map((x) => x.value)
    .join('')
    .trim();
}

/** A day typed as the user's locale writes it (or ISO "2026-11-28"): "2026-11-28", or null. */
export function fromLocaleDay(text: string): string | null {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return checkDay(s);
  const nums = s.match(/\d+/g);
  if (!nums || nums.length !== 3) return null;
  const v: Record<Field, number> = { year: 0, month: 0, day: 0 };
  dateOrder().forEach((f, i) => (v[f] = Number(nums[i])));
  if (String(v.year).length !== 4) return null;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return checkDay(`${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}`);
}

/** The day if it is one (not 2026-02-31). */
function checkDay(day: string): string | null {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? day : null;
}
