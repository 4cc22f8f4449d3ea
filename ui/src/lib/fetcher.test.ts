import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { HistoryFetcher } from './fetcher';
import type { History } from './types';

/** A fake history API whose answers the test releases by hand. */
function fakeApi() {
  const calls: { id: number; points: number; signal?: AbortSignal; resolve: (h: History) => void; reject: (e: unknown) => void }[] = [];
  const api = {
    history: (id: number, _from: number, _to: number, points: number, signal?: AbortSignal) =>
      new Promise<History>((resolve, reject) => calls.push({ id, points, signal, resolve, reject })),
  };
  const answer = (i: number, v: number) => {
    const c = calls[i];
    c.resolve({ tag_id: c.id, from: 0, to: 1, t: [0, 1], v: [v, null] });
  };
  return { api, calls, answer };
}

describe('HistoryFetcher', () => {
  it('fetches every tag for the span, with the points asked for', async () => {
    const { api, calls, answer } = fakeApi();
    const f = new HistoryFetcher(api);
    const p = f.fetch([3, 7], { from: 0, to: 1 }, 640);
    expect(calls.map((c) => [c.id, c.points])).toEqual([
      [3, 640],
      [7, 640],
    ]);
    answer(0, 1);
    answer(1, 2);
    const got = await p;
    expect(got?.map((r) => r.series.v)).toEqual([
      [1, null],
      [2, null],
    ]);
    expect(f.busy).toBe(false);
  });

  it('a newer request wins: the older one is cancelled and answers null', async () => {
    const { api, calls, answer } = fakeApi();
    const f = new HistoryFetcher(api);
    const old = f.fetch([3], { from: 0, to: 10 }, 100);
    const fresh = f.fetch([3], { from: 5, to: 10 }, 100);
    expect(calls[0].signal?.aborted).toBe(true);
    answer(1, 9);
    answer(0, 1); // late answer of the old request
    expect(await old).toBeNull();
    expect((await fresh)?.[0].series.v[0]).toBe(9);
  });

  it('reports a failed tag and keeps the others', async () => {
    const { api, calls, answer } = fakeApi();
    const f = new HistoryFetcher(api);
    const p = f.fetch([3, 4], { from: 0, to: 1 }, 100);
    calls[0].reject(new ApiError(404, 'not_found', 'no such tag'));
    answer(1, 5);
    const got = await p;
    expect(got?.[0]).toEqual({ series: { t: [], v: [] }, error: 'Not found.' });
    expect(got?.[1].error).toBe('');
  });

  it('cancel drops the running request', async () => {
    const { api, answer } = fakeApi();
    const f = new HistoryFetcher(api);
    const p = f.fetch([3], { from: 0, to: 1 }, 100);
    f.cancel();
    answer(0, 1);
    expect(await p).toBeNull();
  });
});
