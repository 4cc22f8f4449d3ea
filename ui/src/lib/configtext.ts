// The configuration page's logic without UI: the running configuration as TOML text,
// where a mistake the server reports sits in that text (a place that names a line, "line
// 12, column 5", or one that names a part, `device "d1", field "port"`), the list of
// mistakes, and the sentences for a check and an import.

import { t } from './i18n.svelte';
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

/** A [table] or [[array of tables]] of the text, with the keys written in it. */
interface Block {
  /** "site", "devices", "devices.tags"; "" for the keys before the first header. */
  header: string;
  line: number;
  /** The item's `key`, else its `name`, when written as a plain string. */
  ident: string | null;
  keys: Map<string, TextPosition>;
}

const HEADER = /^\s*\[{1,2}\s*([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*\]{1,2}\s*(?:#.*)?$/;
const KEY = /^(\s*)([A-Za-z0-9_-]+)\s*=\s*(.*)$/;
const MULTILINE_QUOTES = ['"""', "'''"];

function unescape(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

function stringValue(v: string): string | null {
  const basic = /^"((?:[^"\\]|\\.)*)"/.exec(v);
  if (basic) return unescape(basic[1]);
  const literal = /^'([^']*)'/.exec(v);
  return literal ? literal[1] : null;
}

/** The tables of a TOML text, line by line, as people and `plantlog config export` write them. */
function blocksOf(text: string): Block[] {
  const top: Block = { header: '', line: 1, ident: null, keys: new Map() };
  const blocks: Block[] = [top];
  let current = top;
  let multiline: string | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (multiline) {
      if (line.split(multiline).length % 2 === 0) multiline = null;
      continue;
    }
    const h = HEADER.exec(line);
    if (h) {
      current = { header: h[1].replace(/\s+/g, ''), line: i + 1, ident: null, keys: new Map() };
      blocks.push(current);
      continue;
    }
    const k = KEY.exec(line);
    if (!k) continue;
    const [, indent, key, value] = k;
    if (!current.keys.has(key)) current.keys.set(key, { line: i + 1, column: [...indent].length + 1 });
    if (key === 'key' || (key === 'name' && current.ident === null)) {
      const v = stringValue(value);
      if (v !== null) current.ident = v;
    }
    for (const q of MULTILINE_QUOTES) {
      if (value.split(q).length % 2 === 0) multiline = q;
    }
  }
  return blocks;
}

/** Array-of-tables names of the nouns the core uses in places. */
const SECTIONS: Record<string, string> = {
  shift: 'shifts',
  machine: 'machines',
  'serial line': 'buses',
  device: 'devices',
};
const SUBSECTIONS: Record<string, string> = { tag: 'tags', state: 'states' };

const SEGMENT =
  /(site|file|shift|machine|serial line|device|tag|state|field)(?: "((?:[^"\\]|\\.)*)"| #(\d+))?\s*(?:,\s*|$)/y;

interface Segment {
  noun: string;
  name: string | null;
  index: number | null;
}

function segmentsOf(place: string): Segment[] | null {
  const out: Segment[] = [];
  const s = place.trim();
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < s.length) {
    const m = SEGMENT.exec(s);
    if (!m) return null;
    out.push({
      noun: m[1],
      name: m[2] === undefined ? null : unescape(m[2]),
      index: m[3] === undefined ? null : Number(m[3]),
    });
  }
  return out.length > 0 ? out : null;
}

function pick(candidates: Block[], seg: Segment): Block | null {
  if (seg.name !== null) return candidates.find((b) => b.ident === seg.name) ?? null;
  if (seg.index !== null) return candidates[seg.index - 1] ?? null;
  return null;
}

/** The blocks inside `parent` (its sub-tables), up to the next table that is not one. */
function inside(blocks: Block[], parent: Block): Block[] {
  const out: Block[] = [];
  for (let i = blocks.indexOf(parent) + 1; i < blocks.length; i++) {
    if (!blocks[i].header.startsWith(parent.header + '.')) break;
    out.push(blocks[i]);
  }
  return out;
}

/**
 * Where in the text a place that names a part of the configuration is written:
 * `site, field "timezone"` is the `timezone =` line under `[site]`; `device "press-1-plc",
 * tag "count", field "address"` the `address =` line of that tag; a field that is
 * missing, its item's header. Null when the text does not hold the part as plain
 * tables (inline tables, a tag from a template) or the place is not understood: a
 * wrong line would mislead more than none.
 */
export function locatePlace(text: string, place: string): TextPosition | null {
  const segs = segmentsOf(place);
  if (!segs) return null;
  const blocks = blocksOf(text);
  let block: Block | null = null;
  let field: string | null = null;
  for (const seg of segs) {
    if (field !== null) return null; // nothing follows a field
    if (seg.noun === 'field') {
      if (seg.name === null || block === null) return null;
      field = seg.name;
    } else if (seg.noun === 'site' || seg.noun === 'file') {
      if (block) return null;
      block = seg.noun === 'file' ? blocks[0] : (blocks.find((b) => b.header === 'site') ?? null);
    } else if (seg.noun in SECTIONS) {
      if (block) return null;
      block = pick(
        blocks.filter((b) => b.header === SECTIONS[seg.noun]),
        seg,
      );
    } else {
      if (!block || !(block.header === 'machines' || block.header === 'devices')) return null;
      const sub = `${block.header}.${SUBSECTIONS[seg.noun]}`;
      block = pick(
        inside(blocks, block).filter((b) => b.header === sub),
        seg,
      );
    }
    if (!block) return null;
  }
  if (!block) return null;
  if (field === null) return { line: block.line, column: 1 };
  const key = field.split(/[.[]/)[0];
  const written = block.keys.get(key);
  if (written) return written;
  // A list of sub-tables (`states`, `tags`), or for the file a section of its own.
  const top = block.header === '';
  const subHeader = top ? key : `${block.header}.${key}`;
  const sub = (top ? blocks : inside(blocks, block)).find((b) => b.header === subHeader);
  if (sub) return { line: sub.line, column: 1 };
  // The field is missing: its item's header, where it belongs.
  return top ? null : { line: block.line, column: 1 };
}

/** One mistake as the page lists it: the place in bold, a link when it has a line. */
export interface ProblemItem {
  place: string;
  message: string;
  /** The line and column the place names ("line 12, column 5") or is written at. */
  at: TextPosition | null;
  /** True when the place itself names the line; false when it was found in the text. */
  named: boolean;
}

/**
 * The server's mistakes, in its order, each with its line: the one the place names,
 * else where the text (when given) writes the part it names.
 */
export function problemItems(problems: ConfigProblem[], text?: string): ProblemItem[] {
  return problems.map((p) => {
    const named = placePosition(p.place);
    const found = named === null && text !== undefined ? locatePlace(text, p.place) : null;
    return {
      place: p.place.trim(),
      message: p.message.trim(),
      at: named ?? found,
      named: named !== null,
    };
  });
}

/** The lines (1-based) the mistakes name, for marks beside the editor. */
export function problemLines(items: ProblemItem[]): Set<number> {
  const lines = new Set<number>();
  for (const i of items) if (i.at) lines.add(i.at.line);
  return lines;
}

/** "1 mistake", "3 mistakes". */
export function mistakesText(n: number): string {
  return t('configuration.mistakes', { count: n });
}

/** "Valid: 7 machines, 2 lines, 7 devices, 34 tags" (lines: the serial lines). */
export function countsText(c: ConfigCounts): string {
  return t('configuration.valid', { machines: c.machines, buses: c.buses, devices: c.devices, tags: c.tags });
}

/** What an accepted import did. */
export function importedText(saved: ConfigSaved): string {
  return saved.changed
    ? t('configuration.imported', { version: saved.version })
    : t('configuration.no_change');
}

/**
 * Text as the editor holds it: a browser's text box keeps only "\n" line ends, so a file
 * with Windows line ends must read the same to count as unchanged. A byte order mark at
 * the start goes too.
 */
/**
 * An import refused because another version was stored since the editor loaded: the
 * server's sentence and what the other version changed ("device "m2" added"), so the
 * person can redo their change on top of it.
 */
export function conflictText(message: string, details: Record<string, unknown>): string {
  const conflict = details.conflict as
    | { changes?: unknown; base?: unknown; current?: unknown; since?: unknown }
    | undefined;
  const changes = Array.isArray(conflict?.changes)
    ? conflict.changes.filter((c): c is string => typeof c === 'string')
    : [];
  if (typeof conflict?.base === 'number' && typeof conflict.current === 'number') {
    // The server's sentence, in the user's language from the versions it names.
    const since = Array.isArray(conflict.since) ? conflict.since : [];
    const last = since[since.length - 1] as { actor?: unknown } | undefined;
    message = t('configuration.conflict_versions', {
      base: conflict.base,
      current: conflict.current,
      actor: typeof last?.actor === 'string' ? last.actor : '',
      by: typeof last?.actor === 'string' ? 'yes' : 'no',
    });
  }
  return changes.length > 0
    ? t('configuration.conflict_changes', { message, changes: changes.join('; ') })
    : t('configuration.conflict', { message });
}

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
