// The overview's tiles on a wall screen: how many columns make the tiles as large as the
// screen allows, every tile at least as wide as it must be to show its figures. Pure.

export interface TileGrid {
  cols: number;
  rows: number;
}

/**
 * Columns and rows for `n` tiles in a `width` x `height` box (CSS pixels, gaps taken
 * off), each tile at least `minWidth` wide and `minHeight` high: the columns whose tiles
 * hold the largest box of the shape `aspect` (width / height), fewer empty cells on a
 * tie. When no count fits the height, the rows run on below (the page scrolls).
 */
export function tileGrid(
  n: number,
  width: number,
  height: number,
  { minWidth = 336, minHeight = 200, gap = 16, aspect = 1.25 } = {},
): TileGrid {
  if (n <= 0 || width <= 0) return { cols: 1, rows: 1 };
  const maxCols = Math.max(1, Math.min(n, Math.floor((width + gap) / (minWidth + gap))));
  let best: TileGrid & { score: number; empty: number } = { cols: maxCols, rows: Math.ceil(n / maxCols), score: -1, empty: 0 };
  for (let cols = 1; cols <= maxCols; cols++) {
    const rows = Math.ceil(n / cols);
    const w = (width - gap * (cols - 1)) / cols;
    const h = (height - gap * (rows - 1)) / rows;
    if (h < minHeight) continue;
    const score = Math.min(w, h * aspect);
    const empty = cols * rows - n;
    if (score > best.score + 0.5 || (Math.abs(score - best.score) <= 0.5 && empty < best.empty)) {
      best = { cols, rows, score, empty };
    }
  }
  return { cols: best.cols, rows: best.rows };
}
