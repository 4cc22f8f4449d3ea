import { afterEach, describe, expect, it, vi } from 'vitest';
import { cards, columnLabels, labelCells, type CellLike, type TableLike } from './cards';

/** A cell as the DOM has it: attributes, text and a span. */
class Cell implements CellLike {
  attrs = new Map<string, string>();
  constructor(
    public textContent: string | null,
    public colSpan = 1,
    attrs: Record<string, string> = {},
  ) {
    for (const [k, v] of Object.entries(attrs)) this.attrs.set(k, v);
  }
  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
  }
}

const row = (...cells: Cell[]) => ({ cells });

function table(head: Cell[][], body: Cell[][], foot: Cell[][] = []): TableLike & { attrs: Map<string, string> } {
  const attrs = new Map<string, string>();
  return {
    attrs,
    tHead: head.length ? { rows: head.map((r) => row(...r)) } : null,
    tBodies: [{ rows: body.map((r) => row(...r)) }],
    tFoot: foot.length ? { rows: foot.map((r) => row(...r)) } : null,
    setAttribute: (n, v) => attrs.set(n, v),
  };
}

const labels = (cells: Cell[]) => cells.map((c) => c.getAttribute('data-label'));

describe('table cards', () => {
  it('labels each cell with its column heading, white space collapsed', () => {
    const r1 = [new Cell('Press 1'), new Cell('12'), new Cell('')];
    const r2 = [new Cell('Press 2'), new Cell('7'), new Cell('')];
    const t = table([[new Cell(' Machine\n  name '), new Cell('Parts'), new Cell('')]], [r1, r2]);
    expect(labelCells(t)).toBe(6);
    expect(labels(r1)).toEqual(['Machine name', 'Parts', '']);
    expect(labels(r2)).toEqual(['Machine name', 'Parts', '']);
  });

  it("takes a heading's own data-label, and the last heading row", () => {
    const t = table(
      [
        [new Cell('Group', 2)],
        [new Cell('⚙', 1, { 'data-label': 'Settings' }), new Cell('State')],
      ],
      [],
    );
    expect(columnLabels(t)).toEqual(['Settings', 'State']);
  });

  it('spreads a spanning heading over its columns and leaves spanning cells unlabelled', () => {
    const r1 = [new Cell('a'), new Cell('b'), new Cell('c')];
    const note = [new Cell('Parked: refused', 3)];
    const after = [new Cell('x', 2), new Cell('y')];
    const t = table([[new Cell('Min / max', 2), new Cell('Unit')]], [r1, note, after]);
    labelCells(t);
    expect(labels(r1)).toEqual(['Min / max', 'Min / max', 'Unit']);
    expect(labels(note)).toEqual(['']);
    // The cell after a span gets the heading of the column it is in.
    expect(labels(after)).toEqual(['', 'Unit']);
  });

  it('labels the foot too, and a table without a head gets empty labels', () => {
    const foot = [new Cell('Total'), new Cell('19')];
    const t = table([[new Cell('Machine'), new Cell('Parts')]], [], [foot]);
    labelCells(t);
    expect(labels(foot)).toEqual(['Machine', 'Parts']);
    const bare = [new Cell('x')];
    labelCells(table([], [bare]));
    expect(labels(bare)).toEqual(['']);
  });

  describe('the action', () => {
    afterEach(() => vi.unstubAllGlobals());

    it('marks the table, labels it, and labels again when rows or headings change', () => {
      let notify: (() => void) | null = null;
      let watched: MutationObserverInit | undefined;
      const disconnect = vi.fn();
      vi.stubGlobal(
        'MutationObserver',
        class {
          constructor(cb: () => void) {
            notify = cb;
          }
          observe(_: unknown, opts: MutationObserverInit) {
            watched = opts;
          }
          disconnect = disconnect;
        },
      );
      const heading = new Cell('Machine');
      const first = [new Cell('Press 1')];
      const t = table([[heading]], [first]);
      const action = cards(t as unknown as HTMLTableElement);
      expect(t.attrs.has('data-cards')).toBe(true);
      expect(labels(first)).toEqual(['Machine']);
      // Not attributes: setting the labels must not wake the watcher.
      expect(watched).toEqual({ childList: true, subtree: true, characterData: true });

      // A row added and the heading in another language.
      const added = [new Cell('Press 2')];
      (t.tBodies[0].rows as { cells: Cell[] }[]).push(row(...added));
      heading.textContent = 'Maschine';
      notify!();
      expect(labels(first)).toEqual(['Maschine']);
      expect(labels(added)).toEqual(['Maschine']);

      action.destroy();
      expect(disconnect).toHaveBeenCalled();
    });
  });
});
