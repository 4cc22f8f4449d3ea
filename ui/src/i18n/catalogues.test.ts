// The catalogues are complete and consistent: every key of the English catalogue is in
// every shipped language and no language has a key English lacks; every message parses
// as ICU MessageFormat; every translation uses the same placeholders (with the same
// kind: plural, select, number...) as the English; and every key the code asks for with
// a literal `t('area.name')` exists. Run: `npx vitest run src/i18n`.

import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LANGUAGES, buildCatalogues, flatten } from '../lib/i18n.svelte';

const files = import.meta.glob('./*/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;
// buildCatalogues reads paths like ".../i18n/<area>/<lang>.json".
const catalogues = buildCatalogues(
  Object.fromEntries(Object.entries(files).map(([p, c]) => [p.replace(/^\.\//, '/i18n/'), c])),
);

const sources = import.meta.glob(['../**/*.ts', '../**/*.svelte', '!../**/*.test.ts'], {
  eager: true,
  query: '?raw',
  import: 'default',
}) as Record<string, string>;

/** "name:kind" of every argument a message uses, nested ones too. */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    switch (e.type) {
      case TYPE.argument:
        out.add(`${e.value}:text`);
        break;
      case TYPE.number:
        out.add(`${e.value}:number`);
        break;
      case TYPE.date:
        out.add(`${e.value}:date`);
        break;
      case TYPE.time:
        out.add(`${e.value}:time`);
        break;
      case TYPE.select:
        out.add(`${e.value}:select`);
        for (const o of Object.values(e.options)) placeholders(o.value, out);
        break;
      case TYPE.plural:
        out.add(`${e.value}:plural`);
        for (const o of Object.values(e.options)) placeholders(o.value, out);
        break;
      case TYPE.tag:
        placeholders(e.children, out);
        break;
      default:
        break;
    }
  }
  return out;
}

function parsed(text: string): MessageFormatElement[] {
  return parse(text, { ignoreTag: true, requiresOtherClause: true });
}

describe('catalogues', () => {
  const en = catalogues.en ?? {};
  const areas = [...new Set(Object.keys(files).map((p) => p.split('/')[1]))];

  it('exist for every area in every shipped language', () => {
    expect(Object.keys(en).length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const area of areas) {
      for (const lang of LANGUAGES) {
        if (!(`./${area}/${lang}.json` in files)) missing.push(`${area}/${lang}.json`);
      }
    }
    for (const p of Object.keys(files)) {
      const lang = p.split('/')[2].replace(/\.json$/, '');
      if (!(LANGUAGES as readonly string[]).includes(lang)) missing.push(`${p} is no shipped language`);
    }
    expect(missing).toEqual([]);
  });

  it('hold only text (nested names allowed)', () => {
    for (const [p, content] of Object.entries(files)) {
      const flat = flatten('', content);
      const count = (o: unknown): number =>
        typeof o === 'string'
          ? 1
          : o && typeof o === 'object' && !Array.isArray(o)
            ? Object.values(o).reduce<number>((n, v) => n + count(v), 0)
            : 1000000;
      expect(count(content), `${p} has a value that is not text or names`).toBe(Object.keys(flat).length);
    }
  });

  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang} has exactly the English keys`, () => {
      const other = catalogues[lang] ?? {};
      const lacking = Object.keys(en).filter((k) => !(k in other));
      const extra = Object.keys(other).filter((k) => !(k in en));
      expect({ lacking, extra }).toEqual({ lacking: [], extra: [] });
    });
  }

  it('parse as ICU MessageFormat in every language', () => {
    const broken: string[] = [];
    for (const lang of LANGUAGES) {
      for (const [key, text] of Object.entries(catalogues[lang] ?? {})) {
        try {
          parsed(text);
        } catch (e) {
          broken.push(`${lang} ${key}: ${(e as Error).message}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('use the same placeholders in every language', () => {
    const differ: string[] = [];
    for (const [key, text] of Object.entries(en)) {
      let want: string[];
      try {
        want = [...placeholders(parsed(text))].sort();
      } catch {
        continue; // reported by the parse test
      }
      for (const lang of LANGUAGES) {
        const other = catalogues[lang]?.[key];
        if (other === undefined) continue;
        try {
          const got = [...placeholders(parsed(other))].sort();
          if (got.join() !== want.join()) differ.push(`${lang} ${key}: ${got.join()} ≠ en ${want.join()}`);
        } catch {
          // reported by the parse test
        }
      }
    }
    expect(differ).toEqual([]);
  });

  it('have every key the code asks for', () => {
    // Every quoted 'area.name' of a catalogue area in the code: the keys of t('…') and
    // keys kept in tables (a menu's labels) alike.
    const asked = new Map<string, string>();
    const quoted = new RegExp(`(['"\`])((?:${areas.join('|')})(?:\\.[A-Za-z0-9_]+)+)\\1`, 'g');
    for (const [path, text] of Object.entries(sources)) {
      for (const m of text.matchAll(quoted)) asked.set(m[2], path);
    }
    expect(asked.size).toBeGreaterThan(0);
    const missing = [...asked].filter(([k]) => !(k in en)).map(([k, p]) => `${k} (${p})`);
    expect(missing).toEqual([]);
  });
});

describe('the catalogue check itself', () => {
  it('finds a placeholder that differs and a message that does not parse', () => {
    const a = [...placeholders(parsed('{n, plural, one {# part} other {# parts}} on {machine}'))].sort();
    const b = [...placeholders(parsed('{n, plural, one {# Teil} other {# Teile}} an {maschine}'))].sort();
    expect(a).not.toEqual(b);
    expect(() => parsed('{n, plural, one {# part}')).toThrow();
    expect(() => parsed('{n, plural, one {# part}}')).toThrow();
  });
});
