// The UI's words in the user's language. Every catalogue is a JSON file
// ui/src/i18n/<area>/<lang>.json (one folder per area, so pages are translated in
// parallel without editing one file), all bundled and loaded at start. A key is
// `<area>.<name>`, names may nest (`{"tile": {"idle": "…"}}` is `area.tile.idle`).
// Messages are ICU MessageFormat (plurals, selects, numbers) through FormatJS'
// intl-messageformat. `t()` reads the language from reactive state, so a template that
// calls it shows the new language as soon as the user picks one.

import { IntlMessageFormat } from 'intl-messageformat';

/** The languages Plantlog ships (the server's `auth::prefs::LANGUAGES`). */
export const LANGUAGES = ['en', 'de', 'es', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the picker. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'Deutsch',
  es: 'Español',
  zh: '简体中文',
};

/** The region a language formats dates and numbers for when the browser names none. */
const DEFAULT_REGION: Record<Language, string> = {
  en: 'en-GB',
  de: 'de-DE',
  es: 'es-ES',
  zh: 'zh-CN',
};

export type Catalogue = Record<string, string>;
export type Params = Record<string, string | number | boolean | Date | null | undefined>;

/** Flattens a catalogue file's nested names into `prefix.name` keys. */
export function flatten(prefix: string, obj: unknown, out: Catalogue = {}): Catalogue {
  if (typeof obj === 'string') {
    out[prefix] = obj;
  } else if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  }
  return out;
}

/** Every catalogue file by language, keyed `<area>.<name>`. */
export function buildCatalogues(files: Record<string, unknown>): Record<string, Catalogue> {
  const out: Record<string, Catalogue> = {};
  for (const [path, content] of Object.entries(files)) {
    const m = /\/i18n\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    const [, area, lang] = m;
    flatten(area, content, (out[lang] ??= {}));
  }
  return out;
}

const files = import.meta.glob('../i18n/*/*.json', { eager: true, import: 'default' });
export const catalogues: Record<string, Catalogue> = buildCatalogues(files);

/** The browser's own locale, when it has a usable one. */
function browserLocale(): string | null {
  if (typeof navigator === 'undefined' || !navigator.language) return null;
  try {
    return new Intl.Locale(navigator.language).toString();
  } catch {
    return null;
  }
}

export function isLanguage(l: unknown): l is Language {
  return typeof l === 'string' && (LANGUAGES as readonly string[]).includes(l);
}

/**
 * The locale dates and numbers follow: the browser's when it is of the same language
 * (an American browser gets a 12-hour English clock), else the language's usual region.
 */
export function localeFor(lang: Language, browser: string | null = browserLocale()): string {
  if (browser && new Intl.Locale(browser).language === lang) {
    // Chinese without a script or region reads as Simplified, as the catalogue is.
    return lang === 'zh' && !/-(CN|SG|Hans)/i.test(browser) ? DEFAULT_REGION.zh : browser;
  }
  return DEFAULT_REGION[lang];
}

export const i18n = $state<{ lang: Language; locale: string }>({
  lang: 'en',
  locale: DEFAULT_REGION.en,
});

/** Keys asked for that no catalogue has (the e2e walk asserts there are none). */
export const missingKeys = new Set<string>();

/**
 * Switches the UI's language (and the locale dates and numbers follow). `locale`
 * overrides the region (tests pin en-GB). The page's `lang` follows, so screen readers
 * and fonts for Chinese pick the right voice and glyphs.
 */
export function setLanguage(lang: string | null | undefined, locale?: string): void {
  const l: Language = isLanguage(lang) ? lang : 'en';
  i18n.lang = l;
  i18n.locale = locale ?? localeFor(l);
  if (typeof document !== 'undefined') document.documentElement.lang = l === 'zh' ? 'zh-Hans' : l;
}

/** The locale for Intl formatters now (reactive: a template that formats re-renders). */
export function currentLocale(): string {
  return i18n.locale;
}

const compiled = new Map<string, IntlMessageFormat>();

function message(lang: string, key: string): IntlMessageFormat | null {
  const id = `${lang}\u0000${key}`;
  let m = compiled.get(id);
  if (m) return m;
  const text = catalogues[lang]?.[key];
  if (text === undefined) return null;
  m = new IntlMessageFormat(text, lang === 'zh' ? 'zh-CN' : lang, undefined, { ignoreTag: true });
  compiled.set(id, m);
  return m;
}

let errorIndex: Map<string, string> | null = null;

/**
 * The key of an API error code's words: `errors.<code>`, else `<area>.errors.<code>` of
 * the area that owns it (each area keeps the codes of its own endpoints); null if none.
 */
export function errorKey(code: string): string | null {
  if (hasKey(`errors.${code}`)) return `errors.${code}`;
  if (!errorIndex) {
    errorIndex = new Map();
    for (const k of Object.keys(catalogues.en ?? {})) {
      const m = /^[^.]+\.errors\.([^.]+)$/.exec(k);
      if (m && !errorIndex.has(m[1])) errorIndex.set(m[1], k);
    }
  }
  return errorIndex.get(code) ?? null;
}

/** Whether the catalogue (English, which has every key) has `key`. */
export function hasKey(key: string): boolean {
  return catalogues.en?.[key] !== undefined;
}

/** The names of the select arguments of a message (a select left out reads `other`). */
const selects = new WeakMap<IntlMessageFormat, string[]>();

function selectNames(m: IntlMessageFormat): string[] {
  let names = selects.get(m);
  if (!names) {
    names = [];
    // The AST's select elements are type 5 (TYPE.select of the ICU parser).
    for (const e of m.getAst()) if (e.type === 5) names.push(e.value);
    selects.set(m, names);
  }
  return names;
}

function format(m: IntlMessageFormat, params?: Params): string {
  const values: Record<string, unknown> = { ...params };
  for (const n of selectNames(m)) if (values[n] === undefined || values[n] === null) values[n] = 'other';
  return String(m.format(values as Record<string, string | number | boolean | Date>));
}

/**
 * The message `key` in the user's language with `params`, or null when no catalogue
 * has it or a parameter it needs is missing (the caller has its own words then).
 */
export function tryT(key: string, params?: Params): string | null {
  const m = message(i18n.lang, key) ?? message('en', key);
  if (!m) return null;
  try {
    return format(m, params);
  } catch {
    return null;
  }
}

/**
 * The message `key` in the user's language with `params` filled in; English when the
 * language lacks it; the key itself (and noted in `missingKeys`) when no catalogue has
 * it, so a missing word shows as its key and never as nothing.
 */
export function t(key: string, params?: Params): string {
  const lang = i18n.lang;
  const m = message(lang, key) ?? message('en', key);
  if (!m) {
    missingKeys.add(key);
    if (typeof globalThis !== 'undefined') {
      (globalThis as { __plantlogMissingKeys?: string[] }).__plantlogMissingKeys = [...missingKeys];
    }
    return key;
  }
  try {
    return format(m, params);
  } catch {
    // A parameter the message needs was not given: show the message's text as written.
    return catalogues[lang]?.[key] ?? catalogues.en[key] ?? key;
  }
}

/**
 * The message split around one of its params, so a template can set that value apart
 * (bold, a link) wherever the language puts it: `[before, after]`, the value between.
 */
export function tSplit(key: string, params: Params, around: string): [string, string] {
  const mark = '\u0001';
  const s = t(key, { ...params, [around]: mark });
  const i = s.indexOf(mark);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + mark.length)];
}
