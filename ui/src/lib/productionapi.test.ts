import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { ProductionApi, displayUrl, fetchBoard, reportParams, tokenFromQuery } from './productionapi';

describe('production API', () => {
  it('asks for a report by range or by the last periods', () => {
    expect(reportParams({ by: 'day', last: 7 })).toBe('by=day&last=7');
    expect(reportParams({ by: 'shift', from: 1000.4, to: 2000 })).toBe('by=shift&from=1000&to=2000');
    expect(reportParams({ by: 'week', last: 8, from: 5, machine: 'press-1' }, 'csv')).toBe(
      'by=week&last=8&machine=press-1&format=csv',
    );
  });

  it('sends stop reasons and scrap to their endpoints', async () => {
    const calls: [string, string, unknown][] = [];
    const api = new ProductionApi({
      request: async <T>(method: string, path: string, body?: unknown) => {
        calls.push([method, path, body]);
        return undefined as T;
      },
    });
    await api.setStopReason({ machine: 'press-1', at_ms: 5, reason_id: 3 });
    await api.stops('a b', 1, 2);
    await api.cancelPlannedStop(4);
    expect(calls).toEqual([
      ['PUT', '/api/production/stop-reasons', { machine: 'press-1', at_ms: 5, reason_id: 3 }],
      ['GET', '/api/production/machines/a%20b/stops?from=1&to=2', undefined],
      ['POST', '/api/production/planned-stops/4/cancel', undefined],
    ]);
  });

  it('fetches the board with the display token and no session', async () => {
    let seen: RequestInit | undefined;
    const board = await fetchBoard('abc123', async (_url, init) => {
      seen = init;
      return new Response(JSON.stringify({ title: 'TV', machines: [] }), { status: 200 });
    });
    expect(board.title).toBe('TV');
    expect((seen?.headers as Record<string, string>)['x-display-token']).toBe('abc123');
    expect(seen?.credentials).toBe('omit');
    const err = await fetchBoard('abc', async () =>
      new Response(JSON.stringify({ code: 'display_revoked', message: 'gone' }), { status: 401 }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('display_revoked');
  });

  it('reads the token from an andon address and makes one', () => {
    const t = 'a'.repeat(64);
    expect(tokenFromQuery(`t=${t}`)).toBe(t);
    expect(tokenFromQuery('t=not a token')).toBeNull();
    expect(tokenFromQuery('')).toBeNull();
    expect(displayUrl('http://pc:8470/', t)).toBe(`http://pc:8470/#/andon?t=${t}`);
  });
});
