import { describe, expect, it } from 'vitest';
import { tileGrid } from './layout';

describe('tileGrid', () => {
  it('fills a 1920x1080 screen with the demo machines in large tiles', () => {
    // 1920 wide less the page padding, the height under the top bar.
    const g = tileGrid(8, 1872, 960);
    expect(g).toEqual({ cols: 4, rows: 2 });
    expect(tileGrid(6, 1872, 960)).toEqual({ cols: 3, rows: 2 });
  });

  it('keeps every tile wide enough and lets rows run on when they cannot fit', () => {
    const g = tileGrid(30, 1872, 960);
    expect((1872 - 16 * (g.cols - 1)) / g.cols).toBeGreaterThanOrEqual(336);
    expect(g.cols * g.rows).toBeGreaterThanOrEqual(30);
  });

  it('gives one column to a narrow box and one tile the whole box', () => {
    expect(tileGrid(5, 340, 900).cols).toBe(1);
    expect(tileGrid(1, 1872, 960)).toEqual({ cols: 1, rows: 1 });
    expect(tileGrid(0, 1872, 960)).toEqual({ cols: 1, rows: 1 });
  });

  it('takes larger tiles in shop-floor density', () => {
    const g = tileGrid(8, 1872, 960, { minWidth: 448, minHeight: 280 });
    expect((1872 - 16 * (g.cols - 1)) / g.cols).toBeGreaterThanOrEqual(448);
  });
});
