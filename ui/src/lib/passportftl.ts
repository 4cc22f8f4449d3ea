// The data passport's words for the server's documents: locales/<lang>/passport.ftl is
// made from the UI catalogues (passfacts: the facts and the document's frame; passport:
// section titles and fact labels), so the page and the Markdown/PDF say the same.
// src/lib/passportwords.test.ts fails when a .ftl file differs from what this makes;
// `PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/passportwords` writes them.

import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

export type Tree = { [k: string]: string | Tree };

/** Text in a Fluent pattern: braces become string literals. */
function literal(s: string): string {
  return s.replace(/[{}]/g, (c) => `{"${c}"}`);
}

/** Fluent trims a pattern's leading and trailing blanks: keep them as literals. */
function edges(s: string): string {
  const m = /^( *)([\s\S]*?)( *)$/.exec(s)!;
  return (m[1] ? `{"${m[1]}"}` : '') + m[2] + (m[3] ? `{"${m[3]}"}` : '');
}

function convert(els: MessageFormatElement[], pound: string | null): string {
  let out = '';
  for (const e of els) {
    switch (e.type) {
      case TYPE.literal:
        out += literal(e.value);
        break;
      case TYPE.argument:
      case TYPE.number:
        out += `{ $${e.value} }`;
        break;
      case TYPE.pound:
        out += `{ $${pound} }`;
        break;
      case TYPE.select:
      case TYPE.plural: {
        out += `{ $${e.value} ->\n`;
        for (const [k, o] of Object.entries(e.options)) {
          let v = edges(convert(o.value, e.type === TYPE.plural ? e.value : pound));
          if (v === '') v = '{""}';
          out += `        ${k === 'other' ? '*' : ' '}[${k}] ${v}\n`;
        }
        out += '    }';
        break;
      }
      default:
        throw new Error(`a message for the server uses ICU element ${e.type}, which has no Fluent form here`);
    }
  }
  return out;
}

/** One ICU message as a Fluent pattern. */
export function fluentPattern(icu: string): string {
  return edges(convert(parse(icu, { ignoreTag: true, requiresOtherClause: true }), null));
}

export function flat(o: Tree, pre = ''): [string, string][] {
  const r: [string, string][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') r.push([pre + k, v]);
    else r.push(...flat(v, `${pre}${k}-`));
  }
  return r;
}

/** locales/<lang>/passport.ftl from the language's passfacts and passport catalogues. */
export function passportFtl(lang: string, facts: Tree, words: Tree): string {
  let out = `# The data passport (src/passport) as a document, made from the UI's catalogues
# ui/src/i18n/passfacts/${lang}.json (the facts' words; "doc": the document's frame) and
# ui/src/i18n/passport/${lang}.json (section titles and fact labels) by
# ui/src/lib/passportftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/passportwords

## Section titles and fact labels.

`;
  for (const [k, v] of flat(words.section as Tree)) out += `passport-section-${k} = ${fluentPattern(v)}\n`;
  for (const [k, v] of flat(words.fact as Tree)) out += `passport-fact-${k} = ${fluentPattern(v)}\n`;
  out += '\n## The facts.\n\n';
  for (const [k, v] of flat(facts)) out += `passport-${k} = ${fluentPattern(v)}\n`;
  return out;
}
