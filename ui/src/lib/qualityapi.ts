// Quality checks and material traceability (issue 15): the due checks of the caller's
// machines and their entry, dispositions, lots and their story, SPC of a characteristic,
// stores (receiving, issue, stock), and the pure pieces those pages share.

import type { ApiClient } from './api';
import type {
  BarcodeScan,
  CheckView,
  LotSources,
  ProductionOrder,
  DueCheck,
  DueView,
  LotStory,
  LotView,
  MaterialLotView,
  MoveView,
  NewCheck,
  NewMove,
  NewReceipt,
  ReverseTrace,
  SpcView,
  StockView,
} from './api.gen';

const enc = encodeURIComponent;

export class QualityApi {
  private readonly c: ApiClient;

  constructor(client: ApiClient) {
    this.c = client;
  }

  due(machine?: string): Promise<DueView> {
    return this.c.request('GET', `/api/quality/due${machine ? `?machine=${enc(machine)}` : ''}`);
  }
  startLot(code: string, product: string, machine: string): Promise<LotView> {
    return this.c.request('POST', '/api/quality/lots', { code, product, machine });
  }
  endLot(code: string): Promise<LotView> {
    return this.c.request('POST', `/api/quality/lots/${enc(code)}/end`, {});
  }
  lots(): Promise<LotView[]> {
    return this.c.request('GET', '/api/quality/lots');
  }
  story(code: string): Promise<LotStory> {
    return this.c.request('GET', `/api/quality/lots/${enc(code)}`);
  }
  reverse(code: string): Promise<ReverseTrace> {
    return this.c.request('GET', `/api/quality/trace/${enc(code)}`);
  }
  enterCheck(body: NewCheck): Promise<CheckView> {
    return this.c.request('POST', '/api/quality/checks', body);
  }
  /** The check's value from its gauge: its reading of the last 15 s, or the next within 20 s. */
  gauge(lot: string, characteristicId: number): Promise<CheckView> {
    return this.c.request('POST', '/api/quality/checks/gauge', { lot, characteristic_id: characteristicId });
  }
  dispose(id: number, disposition: string, comment: string): Promise<CheckView> {
    return this.c.request('POST', `/api/quality/checks/${id}/disposition`, { disposition, comment });
  }
  scrap(lot: string, parts: number, reason: string): Promise<unknown> {
    return this.c.request('POST', `/api/quality/lots/${enc(lot)}/scrap`, { parts, reason });
  }
  spc(id: number, o: SpcOptions = {}): Promise<SpcView> {
    return this.c.request('GET', spcPath(id, o));
  }
  stock(all = false): Promise<StockView> {
    return this.c.request('GET', `/api/quality/stock${all ? '?all=true' : ''}`);
  }
  receive(body: NewReceipt): Promise<MaterialLotView> {
    return this.c.request('POST', '/api/quality/receipts', body);
  }
  move(body: NewMove): Promise<MoveView> {
    return this.c.request('POST', '/api/quality/moves', body);
  }
  /** The next code of a serial barcode reader read at or after `since`; undefined after
   * 20 s without one. */
  scan(since: number): Promise<BarcodeScan | undefined> {
    return this.c.request('GET', `/api/quality/scan?since=${since}`);
  }
  lotSources(): Promise<LotSources> {
    return this.c.request('GET', '/api/quality/lot-sources');
  }
  setLotSources(body: LotSources): Promise<LotSources> {
    return this.c.request('PUT', '/api/quality/lot-sources', body);
  }
  setNegativeStock(allow: boolean): Promise<void> {
    return this.c.request('PUT', '/api/quality/negative-stock', { allow });
  }
}

/** How often, in words: "every 30 minutes", "at lot start". */
export function everyText(every: string): string {
  return /^\d/.test(every.trim()) ? `every ${every}` : `at ${every}`;
}

/** Words for a due check's state. */
export function dueLabel(d: DueCheck): string {
  switch (d.state) {
    case 'overdue':
      return 'Overdue';
    case 'due':
      return 'Due';
    case 'not_due':
      return d.part !== null ? `Next at part ${d.part}` : 'Not due yet';
    default:
      return 'Done';
  }
}

/** Due and overdue first, then the rest in the plan's order. */
export function dueOrder(checks: DueCheck[]): DueCheck[] {
  const rank = (d: DueCheck) => (d.state === 'overdue' ? 0 : d.state === 'due' ? 1 : d.state === 'not_due' ? 2 : 3);
  return [...checks].sort((a, b) => rank(a) - rank(b));
}

/** The spec of a characteristic in words: "9.95 – 10.05 mm". */
export function specText(c: { kind: string; lower: number | null; upper: number | null; unit: string | null }): string {
  if (c.kind !== 'measured') return 'pass / fail';
  const u = c.unit ? ` ${c.unit}` : '';
  if (c.lower !== null && c.upper !== null) return `${c.lower} – ${c.upper}${u}`;
  if (c.lower !== null) return `≥ ${c.lower}${u}`;
  return `≤ ${c.upper}${u}`;
}

/** Whether a typed value is in spec (a value on a limit is), as the server judges it. */
export function inSpec(value: number, lower: number | null, upper: number | null): boolean {
  return (lower === null || value >= lower) && (upper === null || value <= upper);
}

export const DISPOSITIONS: { key: string; label: string }[] = [
  { key: 'rework', label: 'Rework' },
  { key: 'scrap', label: 'Scrap' },
  { key: 'accept_deviation', label: 'Accept under deviation' },
];

export function dispositionLabel(key: string): string {
  return DISPOSITIONS.find((d) => d.key === key)?.label ?? key;
}

/** What an SPC chart is asked for: the range shown, the baseline the limits come from
 * (default: the range shown) and a subgroup size for X-bar/R (none: individuals only). */
export interface SpcOptions {
  from?: number;
  to?: number;
  baselineFrom?: number | null;
  baselineTo?: number | null;
  subgroup?: number | null;
}

/** The SPC request's path with its query. */
export function spcPath(id: number, o: SpcOptions): string {
  const q = new URLSearchParams();
  if (o.from !== undefined) q.set('from', String(o.from));
  if (o.to !== undefined) q.set('to', String(o.to));
  if (o.baselineFrom !== undefined && o.baselineFrom !== null) q.set('baseline_from', String(o.baselineFrom));
  if (o.baselineTo !== undefined && o.baselineTo !== null) q.set('baseline_to', String(o.baselineTo));
  if (o.subgroup) q.set('subgroup', String(o.subgroup));
  const s = q.toString();
  return `/api/quality/spc/${id}${s ? `?${s}` : ''}`;
}

/** The order master as text: "order,product" a line. */
export function ordersText(orders: ProductionOrder[]): string {
  return orders.map((o) => `${o.code},${o.product}`).join('\n');
}

/** The order master from its text ("order,product" or "order;product" a line, blank
 * lines skipped), or which line is wrong. */
export function ordersFromText(text: string): { orders: ProductionOrder[] } | { error: string } {
  const orders: ProductionOrder[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const parts = line.split(/[,;\t]/).map((p) => p.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      return { error: `Order line ${i + 1}: write the order number, a comma and the product code ("5002,BRK-100").` };
    }
    orders.push({ code: parts[0], product: parts[1] });
  }
  return { orders };
}

/** The SPC chart of the same options as a report file (PDF, XLSX or CSV). */
export function spcReportPath(id: number, o: SpcOptions, format: 'pdf' | 'xlsx' | 'csv'): string {
  const [path, query] = spcPath(id, o).split('?');
  const q = new URLSearchParams(query ?? '');
  q.set('format', format);
  return `${path}/report?${q.toString()}`;
}

/**
 * The baseline period from the two datetime inputs (wall times read by `parse`), or
 * what is wrong with it. Both empty: the range shown (null, null).
 */
export function baselineOf(
  fromText: string,
  toText: string,
  parse: (v: string) => number | null,
): { from: number | null; to: number | null } | { error: string } {
  if (!fromText.trim() && !toText.trim()) return { from: null, to: null };
  const from = parse(fromText);
  const to = parse(toText);
  if (from === null || to === null) return { error: 'Give the baseline its start and its end, or leave both empty for the range shown.' };
  if (from >= to) return { error: 'The baseline must end after it starts.' };
  return { from, to };
}
