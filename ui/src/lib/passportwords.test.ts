// The passport page says its sections, questions and answers in the user's language by
// the server's stable keys and message codes; every section, fact and code the server
// makes must have its words, and the server's documents (locales/<lang>/passport.ftl)
// must be what the catalogues make.
import { afterEach, describe, expect, it } from 'vitest';
import gather from '../../../src/passport/gather.rs?raw';
import { catalogues, setLanguage } from './i18n.svelte';
import { passportFtl } from './passportftl';
import { passportSize, sayFact } from './passfacts';
import type { PassportMsg } from './types';

const ftl = import.meta.glob('../../../locales/*/passport.ftl', {
  eager: true,
  query: '?raw',
  import: 'default',
}) as Record<string, string>;
const facts = import.meta.glob('../i18n/passfacts/*.json', { eager: true, import: 'default' }) as Record<
  string,
  Record<string, never>
>;
const words = import.meta.glob('../i18n/passport/*.json', { eager: true, import: 'default' }) as Record<
  string,
  Record<string, never>
>;

describe('passport words', () => {
  afterEach(() => setLanguage('en', 'en-GB'));

  it('has a title for every section and a label for every fact the server gathers', () => {
    const src: string = gather;
    let section = '';
    const missing: string[] = [];
    let facts = 0;
    for (const m of src.matchAll(/key: "(\w+)"\.into\(\),\s*title: "[^"]+"|Fact::new\(\s*"(\w+)",/g)) {
      if (m[1]) {
        section = m[1];
        if (!catalogues.en[`passport.section.${section}`]) missing.push(`passport.section.${section}`);
      } else {
        facts++;
        const key = `passport.fact.${section}.${m[2]}`;
        if (!catalogues.en[key]) missing.push(key);
      }
    }
    expect(facts).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it('has the words of every message code the server sends', () => {
    const codes = [...(gather as string).matchAll(/\bm\("([a-z0-9_]+)"\)/g)].map((m) => m[1]);
    codes.push(...['operator', 'supervisor', 'maintenance', 'quality', 'stores', 'management', 'admin'].map((r) => `role_${r}`));
    codes.push(...['raw', 'rollups', 'production', 'audit', 'config'].map((c) => `sync_class_${c}`));
    expect(codes.length).toBeGreaterThan(60);
    expect(codes.filter((c) => !catalogues.en[`passfacts.${c}`])).toEqual([]);
  });

  it('makes the server documents the same words (locales/<lang>/passport.ftl)', async () => {
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    const fsName = 'node:fs';
    const fs = env.PLANTLOG_WRITE_FTL
      ? ((await import(/* @vite-ignore */ fsName)) as { writeFileSync(to: URL, text: string): void })
      : null;
    for (const lang of ['en', 'de', 'es', 'zh']) {
      const made = passportFtl(lang, facts[`../i18n/passfacts/${lang}.json`], words[`../i18n/passport/${lang}.json`]);
      const path = `../../../locales/${lang}/passport.ftl`;
      if (fs) {
        fs.writeFileSync(new URL(path, import.meta.url), made);
        continue;
      }
      expect(ftl[path], `${path} is stale: PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/passportwords`).toBe(made);
    }
  });

  it('says a fact with its counts, sizes, lists and choices in the user language', () => {
    const user: PassportMsg = {
      code: 'user_item',
      params: {
        role: { kind: 'msg', v: { code: 'role_quality', params: {} } },
        name: { kind: 'text', v: 'Q. Lee' },
        username: { kind: 'text', v: 'quality' },
        last: { kind: 'time', v: null },
        mfa: { kind: 'text', v: 'required' },
        disabled: { kind: 'text', v: 'no' },
      },
    };
    expect(sayFact(user)).toBe('Quality: Q. Lee (quality): last login never, MFA required, not set up');
    const rates: PassportMsg = {
      code: 'list',
      params: {
        items: {
          kind: 'list',
          v: [
            { code: 'poll_rate', params: { n: { kind: 'count', v: 1 }, ms: { kind: 'count', v: 500 } } },
            { code: 'poll_rate', params: { n: { kind: 'count', v: 3 }, ms: { kind: 'count', v: 1000 } } },
          ],
        },
      },
    };
    expect(sayFact(rates)).toBe('1 tag every 500 ms, 3 tags every 1000 ms');
    expect(passportSize(1536)).toBe('1.5 KB');
    expect(sayFact({ code: 'no_such_code', params: {} })).toBeNull();
    setLanguage('de', 'de-DE');
    expect(sayFact(user)).toBe('Qualität: Q. Lee (quality): letzte Anmeldung nie, MFA verlangt, nicht eingerichtet');
    expect(passportSize(1536)).toBe('1,5 KB');
    expect(sayFact({ code: 'size', params: { size: { kind: 'bytes', v: 512 } } })).toBe('512 Byte');
    setLanguage('zh', 'zh-CN');
    expect(sayFact(rates)).toBe('1 个标签每 500 ms；3 个标签每 1000 ms');
  });
});
