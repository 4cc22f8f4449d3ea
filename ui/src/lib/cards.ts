// Tables that become cards on a narrow screen (a 768 px tablet): `use:cards` on a
// `<table>` copies each column's heading into a `data-label` on its cells and marks the
// table `data-cards`; app.css then shows each row as a card, every value with its
// heading beside it, no heading row and no sideways scroll. The labels follow the
// table: rows added, removed or re-rendered, and headings changed (another language),
// are labelled again.

/** The parts of a table cell the labels need (an HTMLTableCellElement). */
export interface CellLike {
  colSpan: number;
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
}

/** The parts of a table the labels need (an HTMLTableElement). */
export interface TableLike {
  tHead: { rows: ArrayLike<{ cells: ArrayLike<CellLike> }> } | null;
  tBodies: ArrayLike<{ rows: ArrayLike<{ cells: ArrayLike<CellLike> }> }>;
  tFoot?: { rows: ArrayLike<{ cells: ArrayLike<CellLike> }> } | null;
  setAttribute(name: string, value: string): void;
}

/**
 * A heading's label: its `data-label` when it has one (a heading that shows an icon or
 * nothing), else its text with the white space collapsed.
 */
export function headingText(th: CellLike): string {
  const own = th.getAttribute('data-label');
  if (own !== null) return own;
  return (th.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The label of each column: the last heading row's, spans spread over their columns. */
export function columnLabels(table: TableLike): string[] {
  const head = table.tHead;
  if (!head || head.rows.length === 0) return [];
  const row = head.rows[head.rows.length - 1];
  const labels: string[] = [];
  for (let i = 0; i < row.cells.length; i++) {
    const th = row.cells[i];
    const text = headingText(th);
    for (let s = 0; s < Math.max(1, th.colSpan || 1); s++) labels.push(text);
  }
  return labels;
}

/**
 * Puts each column's heading into `data-label` on the body's (and foot's) cells; a cell
 * spanning several columns, or under an empty heading, gets an empty label (the CSS
 * shows no label then). Returns how many cells were labelled.
 */
export function labelCells(table: TableLike): number {
  const labels = columnLabels(table);
  let n = 0;
  const sections = [...Array.from(table.tBodies), ...(table.tFoot ? [table.tFoot] : [])];
  for (const section of sections) {
    for (let r = 0; r < section.rows.length; r++) {
      const cells = section.rows[r].cells;
      let col = 0;
      for (let c = 0; c < cells.length; c++) {
        const cell = cells[c];
        const span = Math.max(1, cell.colSpan || 1);
        const label = span === 1 ? (labels[col] ?? '') : '';
        if (cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label);
        col += span;
        n++;
      }
    }
  }
  return n;
}

/**
 * The Svelte action: labels the table now and again whenever its rows or headings
 * change. Only the tree and texts are watched, not attributes, so labelling does not
 * wake the watcher.
 */
export function cards(table: HTMLTableElement): { destroy(): void } {
  table.setAttribute('data-cards', '');
  labelCells(table);
  if (typeof MutationObserver === 'undefined') return { destroy() {} };
  const mo = new MutationObserver(() => labelCells(table));
  mo.observe(table, { childList: true, subtree: true, characterData: true });
  return { destroy: () => mo.disconnect() };
}
