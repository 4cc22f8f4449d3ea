// The configuration page's logic without UI: the running configuration as TOML text,
// where a mistake the server reports sits in that text ("line 12, column 5"), the list of
// mistakes, and the sentences for a check and an import.

import type { ConfigCounts, ConfigProblem, ConfigSaved } from './types';

/** A place in the text, both 1-based; `column` is 1 when the place names only a line. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * The line (and column) a mistake's place names, as the core writes it for text that is
 * not valid TOML: "line 12, column 5". Null for places that name a part of the
 * configuration instead (`site, field "timezone"`, `serial line "line-1"`,
 * `serial line #2`): names in quotes never count as a line number.
 */
export function placePosition(place: string): TextPosition | null {
  const outside = place.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const m = /(?:^|[\s,;:(])line (\d+)(?:, column (\d+))?(?!\w)/i.exec(outside);
  if (!m) return null;
  const line = Number(m[1]);
  const column = m[2] === undefined ? 1 : Number(m[2]);
  if (!Number.isSafeInteger(line) || line < 1) return null;
  return { line, column: Number.isSafeInteger(column) && column >= 1 ? column : 1 };
}

/** One mistake as the page lists it: the place in bold, a link when it names a line. */
export interface ProblemItem {
  place: string;
  message: string;
  at: TextPosition | null;
}

/** The server's mistakes, in its order, each with the line it names (if any). */
export function problemItems(problems: ConfigProblem[]): ProblemItem[] {
  return problems.map((p) => ({
    place: p.place.trim(),
    message: p.message.trim(),
    at: placePosition(p.place),
  }));
}

/** The lines (1-based) the mistakes name, for marks beside the editor. */
export function problemLines(items: ProblemItem[]): Set<number> {
  const lines = new Set<number>();
  for (const i of items) if (i.at) lines.add(i.at.line);
  return lines;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 mistake", "3 mistakes". */
export function mistakesText(n: number): string {
  return plural(n, 'mistake', 'mistakes');
}

/** "Valid: 7 machines, 2 lines, 7 devices, 34 tags" (lines: the serial lines). */
export function countsText(c: ConfigCounts): string {
  return (
    'Valid: ' +
    [
      plural(c.machines, 'machine', 'machines'),
      plural(c.buses, 'line', 'lines'),
      plural(c.devices, 'device', 'devices'),
      plural(c.tags, 'tag', 'tags'),
    ].join(', ')
  );
}

/** What an accepted import did. */
export function importedText(saved: ConfigSaved): string {
  return saved.changed
    ? `Imported as version ${saved.version}`
    : 'No change: this is the running configuration';
}

/**
 * Text as the editor holds it: a browser's text box keeps only "\n" line ends, so a file
 * with Windows line ends must read the same to count as unchanged. A byte order mark at
 * the start goes too.
 */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Lines of the text, as the editor numbers them (an empty text has one line). */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The editor's cursor offset (UTF-16 code units, as a text box counts) of a position
 * whose column counts characters, as the core does. Past the last line: the end of
 * the text; past the end of its line: the end of that line.
 */
export function offsetOf(text: string, pos: TextPosition): number {
  let start = 0;
  for (let line = 1; line < pos.line; line++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return text.length;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  let offset = start;
  for (let col = 1; col < pos.column && offset < end; col++) {
    const code = text.codePointAt(offset) ?? 0;
    offset += code > 0xffff ? 2 : 1;
  }
  return Math.min(offset, end);
}
