// The command line says the core's errors with the UI's words: locales/<lang>/errors.ftl
// must be what the catalogues make.
import { describe, expect, it } from 'vitest';
import { errorsFtl } from './errorsftl';
import type { Tree } from './passportftl';

const ftl = import.meta.glob('../../../locales/*/errors.ftl', {
  eager: true,
  query: '?raw',
  import: 'default',
}) as Record<string, string>;
const all = import.meta.glob('../i18n/*/*.json', { eager: true, import: 'default' }) as Record<string, Tree>;

function areas(lang: string): [string, Tree][] {
  const out: [string, Tree][] = [];
  for (const [path, c] of Object.entries(all)) {
    const m = /\/i18n\/([^/]+)\/([a-z]+)\.json$/.exec(path);
    if (m && m[2] === lang) out.push([m[1], c]);
  }
  return out;
}

describe('error words for the command line', () => {
  it('turns plural, select and placeholders into Fluent', () => {
    const made = errorsFtl(
      'en',
      { gone: 'No {what} here', config: { many: '{count, plural, one {# mistake} other {# mistakes}} to fix:' } },
      [['stores', { errors: { short: 'Only {n} left' } }]],
    );
    expect(made).toContain('errors-gone = No { $what } here\n');
    expect(made).toContain('errors-config-many = { $count ->\n         [one] { $count } mistake\n        *[other] { $count } mistakes\n    } to fix:\n');
    expect(made).toContain('## stores\n\nerrors-short = Only { $n } left\n');
  });

  it('makes the command line the same words (locales/<lang>/errors.ftl)', async () => {
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    const fsName = 'node:fs';
    const fs = env.PLANTLOG_WRITE_FTL
      ? ((await import(/* @vite-ignore */ fsName)) as { writeFileSync(to: URL, text: string): void })
      : null;
    for (const lang of ['en', 'de', 'es', 'zh']) {
      const made = errorsFtl(lang, all[`../i18n/errors/${lang}.json`], areas(lang));
      const path = `../../../locales/${lang}/errors.ftl`;
      if (fs) {
        fs.writeFileSync(new URL(path, import.meta.url), made);
        continue;
      }
      expect(ftl[path], `${path} is stale: PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/errorswords`).toBe(made);
    }
  });
});
