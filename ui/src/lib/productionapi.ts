// The production endpoints (docs/API.md, "Production"): reports, the live shift view, an
// operator's machine, a machine's stops, reasons of stops, the reason tree, planned stops,
// scrap, ideal cycle times, operators' machines, andon displays. The board of a display
// is fetched with the display's token, without a session.

import { ApiError, BAD_RESPONSE, NETWORK_ERROR, type ApiClient, type FetchLike } from './api';
import type {
  Board,
  By,
  CounterEvents,
  CounterReview,
  CounterReviewBody,
  CreatedDisplay,
  Display,
  IdealCycle,
  MachineNow,
  MachineStops,
  NewDisplay,
  NewIdealCycle,
  NewPlannedStop,
  NewReason,
  NewScrap,
  OperatorMachines,
  PlannedStop,
  ProductionSetup,
  Reason,
  ReasonChange,
  Report,
  ScrapEntry,
  ShiftView,
  StopReasonBody,
  StopView,
} from './types';

/** What a report covers: a range, or the last N whole periods. */
export interface ReportQuery {
  by: By;
  from?: number;
  to?: number;
  last?: number;
  machine?: string;
}

/** The query string of a report (also the CSV download's address). */
export function reportParams(q: ReportQuery, format: 'json' | 'csv' = 'json'): string {
  const p = new URLSearchParams({ by: q.by });
  if (q.last !== undefined) p.set('last', String(q.last));
  if (q.from !== undefined && q.last === undefined) p.set('from', String(Math.round(q.from)));
  if (q.to !== undefined) p.set('to', String(Math.round(q.to)));
  if (q.machine) p.set('machine', q.machine);
  if (format === 'csv') p.set('format', 'csv');
  return p.toString();
}

export class ProductionApi {
  constructor(private readonly c: Pick<ApiClient, 'request'>) {}

  report(q: ReportQuery): Promise<Report> {
    return this.c.request('GET', `/api/production/report?${reportParams(q)}`);
  }
  shift(): Promise<ShiftView> {
    return this.c.request('GET', '/api/production/shift');
  }
  machine(key: string): Promise<MachineNow> {
    return this.c.request('GET', `/api/production/machines/${encodeURIComponent(key)}`);
  }
  stops(key: string, from: number, to: number): Promise<MachineStops> {
    const q = new URLSearchParams({ from: String(Math.round(from)), to: String(Math.round(to)) });
    return this.c.request('GET', `/api/production/machines/${encodeURIComponent(key)}/stops?${q}`);
  }
  /** The reason of a stop from `at_ms` on: its start, or a time inside it (a split). */
  setStopReason(b: StopReasonBody): Promise<StopView> {
    return this.c.request('PUT', '/api/production/stop-reasons', b);
  }
  reasons(): Promise<Reason[]> {
    return this.c.request('GET', '/api/production/reasons');
  }
  addReason(r: NewReason): Promise<Reason> {
    return this.c.request('POST', '/api/production/reasons', r);
  }
  updateReason(id: number, ch: ReasonChange): Promise<Reason> {
    return this.c.request('PATCH', `/api/production/reasons/${id}`, ch);
  }
  setup(): Promise<ProductionSetup> {
    return this.c.request('GET', '/api/production/setup');
  }
  addPlannedStop(p: NewPlannedStop): Promise<PlannedStop> {
    return this.c.request('POST', '/api/production/planned-stops', p);
  }
  cancelPlannedStop(id: number): Promise<void> {
    return this.c.request('POST', `/api/production/planned-stops/${id}/cancel`);
  }
  scrap(from: number, to: number): Promise<ScrapEntry[]> {
    return this.c.request('GET', `/api/production/scrap?from=${Math.round(from)}&to=${Math.round(to)}`);
  }
  addScrap(s: NewScrap): Promise<ScrapEntry> {
    return this.c.request('POST', '/api/production/scrap', s);
  }
  setIdealCycle(b: NewIdealCycle): Promise<IdealCycle> {
    return this.c.request('POST', '/api/production/ideal-cycles', b);
  }
  assign(userId: number, machines: string[]): Promise<OperatorMachines> {
    return this.c.request('PUT', `/api/production/operators/${userId}`, { machines });
  }
  displays(): Promise<Display[]> {
    return this.c.request('GET', '/api/displays');
  }
  createDisplay(d: NewDisplay): Promise<CreatedDisplay> {
    return this.c.request('POST', '/api/displays', d);
  }
  revokeDisplay(id: number): Promise<void> {
    return this.c.request('POST', `/api/displays/${id}/revoke`);
  }
  /** A machine's implausible counter steps of the live window, newest first (issue 9). */
  counterEvents(key: string): Promise<CounterEvents> {
    return this.c.request('GET', `/api/machines/${encodeURIComponent(key)}/counter-events`);
  }
  /** Accepts a step (its parts count) or corrects it (the parts entered count). */
  reviewCounter(key: string, b: CounterReviewBody): Promise<CounterReview> {
    return this.c.request('POST', `/api/machines/${encodeURIComponent(key)}/counter-events/review`, b);
  }
}

/** The board of a display, with its token in the `x-display-token` header. */
export async function fetchBoard(token: string, fetchFn: FetchLike = (i, o) => fetch(i, o)): Promise<Board> {
  let res: Response;
  try {
    res = await fetchFn('/api/display/board', {
      headers: { Accept: 'application/json', 'x-display-token': token },
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, NETWORK_ERROR, e instanceof Error ? e.message : String(e));
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, BAD_RESPONSE, 'The answer was not JSON.');
  }
  if (!res.ok) {
    const b = (body ?? {}) as { code?: string; message?: string };
    throw new ApiError(res.status, b.code ?? `http_${res.status}`, b.message ?? res.statusText);
  }
  return body as Board;
}

/** The display token in an andon address: "#/andon?t=…". */
export function tokenFromQuery(query: string): string | null {
  const t = new URLSearchParams(query).get('t');
  return t && /^[0-9a-f]{16,128}$/i.test(t) ? t : null;
}

/** The address a display opens: the board with its token in the fragment (never sent to
 * the server, never in its logs). */
export function displayUrl(origin: string, token: string): string {
  return `${origin.replace(/\/$/, '')}/#/andon?t=${token}`;
}
