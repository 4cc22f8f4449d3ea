// The words of errors for the command line: locales/<lang>/errors.ftl is made from the
// UI catalogues (the shared codes of ui/src/i18n/errors, and each area's own `errors`
// codes, as errorText finds them), so the command line and the UI say an error of the
// core the same way, by its code and params. src/lib/errorswords.test.ts fails when an
// .ftl file differs from what this makes; `PLANTLOG_WRITE_FTL=1 npx vitest run
// src/lib/errorswords` writes them.

import { flat, fluentPattern, type Tree } from './passportftl';

/**
 * locales/<lang>/errors.ftl from the language's `errors` catalogue and the `errors` of
 * the other areas (area name, its catalogue), in the order errorKey looks: a shared code
 * first, then the first area (by name) that has it.
 */
export function errorsFtl(lang: string, shared: Tree, areas: [string, Tree][]): string {
  let out = `# The errors of the core as the command line says them, by code and params, made
# from the UI's catalogues ui/src/i18n/errors/${lang}.json (shared codes; "config": a
# configuration's mistakes, "place": where they are) and the "errors" of every other
# area of ui/src/i18n by ui/src/lib/errorsftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/errorswords

`;
  const seen = new Set<string>();
  for (const [k, v] of flat(shared)) {
    seen.add(k);
    out += `errors-${k} = ${fluentPattern(v)}\n`;
  }
  for (const [area, c] of [...areas].sort(([a], [b]) => a.localeCompare(b))) {
    const own = c.errors;
    if (area === 'errors' || !own || typeof own === 'string') continue;
    const lines: string[] = [];
    for (const [k, v] of flat(own)) {
      if (seen.has(k)) continue;
      seen.add(k);
      lines.push(`errors-${k} = ${fluentPattern(v)}\n`);
    }
    if (lines.length) out += `\n## ${area}\n\n${lines.join('')}`;
  }
  return out;
}
