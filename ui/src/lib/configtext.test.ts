import { describe, expect, it } from 'vitest';
import {
  countsText,
  importedText,
  lineCount,
  mistakesText,
  normalizeText,
  offsetOf,
  placePosition,
  problemItems,
  problemLines,
} from './configtext';

describe('placePosition', () => {
  it('reads the line and column of text that is not valid TOML', () => {
    expect(placePosition('line 12, column 5')).toEqual({ line: 12, column: 5 });
    expect(placePosition('line 4, column 12')).toEqual({ line: 4, column: 12 });
  });

  it('takes a line without a column as its first column', () => {
    expect(placePosition('line 7')).toEqual({ line: 7, column: 1 });
    expect(placePosition('file, line 3')).toEqual({ line: 3, column: 1 });
  });

  it('finds nothing in places that name a part of the configuration', () => {
    expect(placePosition('site, field "timezone"')).toBeNull();
    expect(placePosition('device "press-1-plc", tag "count", field "address"')).toBeNull();
    expect(placePosition('serial line #2')).toBeNull();
    expect(placePosition('serial line "line-1", field "baud"')).toBeNull();
    expect(placePosition('file')).toBeNull();
    expect(placePosition('')).toBeNull();
  });

  it('never reads a line number out of a quoted name', () => {
    expect(placePosition('serial line "line 5"')).toBeNull();
    expect(placePosition('machine "line 2, column 3", field "name"')).toBeNull();
    expect(placePosition('device "x\\"line 9"')).toBeNull();
  });

  it('refuses line 0 and words that merely end in "line"', () => {
    expect(placePosition('line 0, column 1')).toBeNull();
    expect(placePosition('pipeline 4')).toBeNull();
    expect(placePosition('line 4x')).toBeNull();
  });
});

describe('problemItems', () => {
  it('keeps the server order and links the places that name a line', () => {
    const items = problemItems([
      { place: 'site, field "timezone"', message: '"Mars/Olympus" is not a known time zone' },
      { place: 'line 4, column 12', message: 'this is not valid TOML: unclosed array table' },
      { place: ' device "d1", field "port" ', message: ' string "x" is not a whole number ' },
    ]);
    expect(items).toEqual([
      { place: 'site, field "timezone"', message: '"Mars/Olympus" is not a known time zone', at: null },
      { place: 'line 4, column 12', message: 'this is not valid TOML: unclosed array table', at: { line: 4, column: 12 } },
      { place: 'device "d1", field "port"', message: 'string "x" is not a whole number', at: null },
    ]);
  });

  it('gives an empty list for no mistakes', () => {
    expect(problemItems([])).toEqual([]);
  });

  it('collects the lines to mark beside the editor', () => {
    const items = problemItems([
      { place: 'line 4, column 12', message: 'a' },
      { place: 'line 4, column 2', message: 'b' },
      { place: 'line 9', message: 'c' },
      { place: 'site', message: 'd' },
    ]);
    expect([...problemLines(items)].sort((a, b) => a - b)).toEqual([4, 9]);
  });
});

describe('sentences', () => {
  it('counts mistakes', () => {
    expect(mistakesText(1)).toBe('1 mistake');
    expect(mistakesText(3)).toBe('3 mistakes');
  });

  it('says what a valid configuration holds, lines being serial lines', () => {
    expect(countsText({ machines: 7, buses: 0, devices: 7, tags: 34 })).toBe(
      'Valid: 7 machines, 0 lines, 7 devices, 34 tags',
    );
    expect(countsText({ machines: 1, buses: 1, devices: 1, tags: 1 })).toBe(
      'Valid: 1 machine, 1 line, 1 device, 1 tag',
    );
  });

  it('says what an import did', () => {
    expect(importedText({ version: 4, changed: true })).toBe('Imported as version 4');
    expect(importedText({ version: 3, changed: false })).toBe('No change: this is the running configuration');
  });
});

describe('text', () => {
  it('keeps only \\n line ends and drops a byte order mark', () => {
    expect(normalizeText('\uFEFF[site]\r\nname = "x"\r\n')).toBe('[site]\nname = "x"\n');
    expect(normalizeText('a\rb\n')).toBe('a\nb\n');
  });

  it('counts lines as the editor numbers them', () => {
    expect(lineCount('')).toBe(1);
    expect(lineCount('a')).toBe(1);
    expect(lineCount('a\n')).toBe(2);
    expect(lineCount('a\nb\nc')).toBe(3);
  });

  it('finds the cursor offset of a line and column', () => {
    const text = '[site]\nname = "x"\ntimezone = "Etc/UTC"\n';
    expect(offsetOf(text, { line: 1, column: 1 })).toBe(0);
    expect(offsetOf(text, { line: 2, column: 1 })).toBe(7);
    expect(offsetOf(text, { line: 2, column: 8 })).toBe(14);
    expect(text.slice(offsetOf(text, { line: 3, column: 12 }))).toMatch(/^"Etc\/UTC"/);
  });

  it('stops at the end of the line and of the text', () => {
    const text = 'ab\ncd';
    expect(offsetOf(text, { line: 1, column: 99 })).toBe(2);
    expect(offsetOf(text, { line: 2, column: 99 })).toBe(5);
    expect(offsetOf(text, { line: 40, column: 1 })).toBe(5);
  });

  it('counts columns in characters, as the core does, not UTF-16 units', () => {
    // "😀" is two UTF-16 units but one character.
    const text = 'x\nlabel = "😀" y';
    const at = offsetOf(text, { line: 2, column: 12 });
    expect(text.slice(at)).toBe(' y');
    expect(offsetOf('°C', { line: 1, column: 2 })).toBe(1);
  });
});
