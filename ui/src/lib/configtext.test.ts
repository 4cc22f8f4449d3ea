import { describe, expect, it } from 'vitest';
import {
  conflictText,
  countsText,
  importedText,
  lineCount,
  locatePlace,
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

// As `plantlog config export` writes a configuration, with a few hand-written habits.
const FILE = [
  '# Plantlog plant configuration.', // 1
  '', // 2
  '[site]', // 3
  'name = "Demo Plant"', // 4
  'timezone = "Mars/Olympus"', // 5
  '', // 6
  '[[shifts]]', // 7
  'name = "Early"', // 8
  'start = "06:00"', // 9
  '', // 10
  '[[machines]]', // 11
  'key = "press-1"', // 12
  'name = "Press 1"', // 13
  '', // 14
  '[[machines.states]]', // 15
  'value = 0', // 16
  '', // 17
  '[[buses]]', // 18
  "key = 'line-1'", // 19
  'port = "COM3"', // 20
  '', // 21
  '[[devices]]', // 22
  'name = "Press PLC"', // 23
  'key = "press-1-plc"', // 24
  'port = "x"', // 25
  '', // 26
  '[[devices.tags]]', // 27
  'name = "state"', // 28
  '  register = 40001', // 29
  '', // 30
  '[[devices.tags]]', // 31
  'name = "count"', // 32
  'note = """', // 33
  '[[devices]]', // 34: inside a multi-line string
  'key = "press-2-plc"', // 35
  '"""', // 36
  'address = 1', // 37
  '', // 38
  '[ devices ]', // 39: not an array, but a header all the same
  'key = "d3"', // 40
].join('\n');

describe('locatePlace', () => {
  it('finds a field of the site', () => {
    expect(locatePlace(FILE, 'site, field "timezone"')).toEqual({ line: 5, column: 1 });
    expect(locatePlace(FILE, 'site')).toEqual({ line: 3, column: 1 });
  });

  it('finds items by key or name, and by number', () => {
    expect(locatePlace(FILE, 'shift "Early", field "start"')).toEqual({ line: 9, column: 1 });
    expect(locatePlace(FILE, 'machine "press-1", field "name"')).toEqual({ line: 13, column: 1 });
    expect(locatePlace(FILE, 'serial line "line-1", field "port"')).toEqual({ line: 20, column: 1 });
    expect(locatePlace(FILE, 'serial line #1, field "port"')).toEqual({ line: 20, column: 1 });
    expect(locatePlace(FILE, 'device "press-1-plc", field "port"')).toEqual({ line: 25, column: 1 });
  });

  it('finds a tag inside its device, with the column of an indented key', () => {
    expect(locatePlace(FILE, 'device "press-1-plc", tag "state", field "register"')).toEqual({ line: 29, column: 3 });
    expect(locatePlace(FILE, 'device "press-1-plc", tag "count", field "address"')).toEqual({ line: 37, column: 1 });
    expect(locatePlace(FILE, 'device "press-1-plc", tag #2')).toEqual({ line: 31, column: 1 });
  });

  it('points a missing field at its item, a list field at its first table', () => {
    expect(locatePlace(FILE, 'device "press-1-plc", field "protocol"')).toEqual({ line: 22, column: 1 });
    expect(locatePlace(FILE, 'machine "press-1", field "states"')).toEqual({ line: 15, column: 1 });
    expect(locatePlace(FILE, 'machine "press-1", field "states[0].label"')).toEqual({ line: 15, column: 1 });
  });

  it('finds a section the file should not have', () => {
    expect(locatePlace('[site]\n\n[plant]\nx = 1', 'file, field "plant"')).toEqual({ line: 3, column: 1 });
    expect(locatePlace('colour = "red"\n[site]', 'file, field "colour"')).toEqual({ line: 1, column: 1 });
  });

  it('does not look inside multi-line strings', () => {
    expect(locatePlace(FILE, 'device "press-2-plc"')).toBeNull();
    expect(locatePlace(FILE, 'device "d3"')).toEqual({ line: 39, column: 1 });
  });

  it('gives nothing rather than a wrong line', () => {
    expect(locatePlace(FILE, 'device "nope", field "port"')).toBeNull();
    expect(locatePlace(FILE, 'device "press-1-plc", tag "from-template", field "scale"')).toBeNull();
    expect(locatePlace(FILE, 'machine #9')).toBeNull();
    expect(locatePlace(FILE, 'file, field "nowhere"')).toBeNull();
    expect(locatePlace(FILE, 'shifts')).toBeNull();
    expect(locatePlace(FILE, 'devices "press-1-plc"')).toBeNull();
    expect(locatePlace(FILE, 'field "x"')).toBeNull();
    expect(locatePlace(FILE, 'site, tag "x"')).toBeNull();
    expect(locatePlace('[site]\ntimezone = "x"', 'device "a", field "port"')).toBeNull();
    expect(locatePlace('site = { name = "x" }', 'site, field "name"')).toBeNull();
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
      { place: 'site, field "timezone"', message: '"Mars/Olympus" is not a known time zone', at: null, named: false },
      {
        place: 'line 4, column 12',
        message: 'this is not valid TOML: unclosed array table',
        at: { line: 4, column: 12 },
        named: true,
      },
      { place: 'device "d1", field "port"', message: 'string "x" is not a whole number', at: null, named: false },
    ]);
  });

  it('finds the other places in the text that was checked', () => {
    const items = problemItems(
      [
        { place: 'site, field "timezone"', message: 'unknown time zone' },
        { place: 'device "press-1-plc", field "port"', message: 'not a number' },
        { place: 'device "gone"', message: 'x' },
      ],
      FILE,
    );
    expect(items.map((i) => [i.at, i.named])).toEqual([
      [{ line: 5, column: 1 }, false],
      [{ line: 25, column: 1 }, false],
      [null, false],
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

describe('conflictText', () => {
  it('names what another version changed meanwhile', () => {
    const d = {
      conflict: {
        base: 3,
        current: 4,
        since: [{ version: 4, actor: 'admin' }],
        changes: ['device "m2" added', 'tag "m1/count" changed: order'],
      },
    };
    expect(conflictText('the server says', d)).toBe(
      'The configuration was changed since you loaded it (version 3, now version 4, stored by admin); load it again and make your change on the new version. Changed meanwhile: device "m2" added; tag "m1/count" changed: order.',
    );
    expect(conflictText('the configuration was changed', { conflict: { changes: ['x'] } })).toBe(
      'the configuration was changed. Changed meanwhile: x.',
    );
    expect(conflictText('changed', {})).toBe('changed.');
  });
});

