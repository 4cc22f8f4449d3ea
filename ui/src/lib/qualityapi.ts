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
import { formatValue } from './format';
import { t } from './i18n.svelte';

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

/** How often, in words: "every 30 minutes", "at lot start" (the plan's `every`:
 * "50 parts", "30 minutes", "lot start" or "shift start"; anything else as written). */
export function everyText(every: string): string {
  const e = every.trim().toLowerCase();
  if (e === 'lot start') return t('quality.every.lot_start');
  if (e === 'shift start') return t('quality.every.shift_start');
  const m = /^(\d+)\s+(parts?|minutes?)$/.exec(e);
  if (!m) return every;
  const n = Number(m[1]);
  return m[2].startsWith('part') ? t('quality.every.parts', { n }) : t('quality.every.minutes', { n });
}

/** Words for a due check's state. */
export function dueLabel(d: DueCheck): string {
  switch (d.state) {
    case 'overdue':
      return t('quality.due.overdue');
    case 'due':
      return t('quality.due.due');
    case 'not_due':
      return d.part !== null ? t('quality.due.next_part', { part: d.part }) : t('quality.due.not_due');
    default:
      return t('quality.due.done');
  }
}

/** Due and overdue first, then the rest in the plan's order. */
export function dueOrder(checks: DueCheck[]): DueCheck[] {
  const rank = (d: DueCheck) => (d.state === 'overdue' ? 0 : d.state === 'due' ? 1 : d.state === 'not_due' ? 2 : 3);
  return [...checks].sort((a, b) => rank(a) - rank(b));
}

/** A measured value or limit as written (all its decimals, up to 6), in the user's
 * number format: 9.95 stays 9.95, 10.05 stays 10.05 ("10,05" in German). */
export function exactValue(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return formatValue(v);
  const frac = /\.(\d+)$/.exec(String(v));
  return formatValue(v, Math.min(6, frac ? frac[1].length : 0));
}

/** A value with its unit when it has one: "10.02 mm". */
export function valueText(v: number, unit: string | null | undefined): string {
  return unit ? t('quality.value_unit', { value: exactValue(v), unit }) : exactValue(v);
}

/** The spec of a characteristic in words: "9.95 – 10.05 mm". */
export function specText(c: { kind: string; lower: number | null; upper: number | null; unit: string | null }): string {
  if (c.kind !== 'measured') return t('quality.spec.pass_fail');
  const p = { lower: exactValue(c.lower), upper: exactValue(c.upper), unit: c.unit ?? '' };
  if (c.lower !== null && c.upper !== null) return t(c.unit ? 'quality.spec.between_unit' : 'quality.spec.between', p);
  if (c.lower !== null) return t(c.unit ? 'quality.spec.at_least_unit' : 'quality.spec.at_least', p);
  return t(c.unit ? 'quality.spec.at_most_unit' : 'quality.spec.at_most', p);
}

/** A check's result in words: its value with the unit, or pass / fail. */
export function resultText(c: { value: number | null; unit: string | null; passed: boolean | null }): string {
  if (c.value !== null) return valueText(c.value, c.unit);
  return c.passed ? t('quality.pass') : t('quality.fail');
}

/** Whether a typed value is in spec (a value on a limit is), as the server judges it. */
export function inSpec(value: number, lower: number | null, upper: number | null): boolean {
  return (lower === null || value >= lower) && (upper === null || value <= upper);
}

/** The dispositions of an out-of-spec result, by the server's key. */
export const DISPOSITIONS = ['rework', 'scrap', 'accept_deviation'] as const;

const DISPOSITION_KEYS: Record<string, string> = {
  rework: 'quality.disposition.rework',
  scrap: 'quality.disposition.scrap',
  accept_deviation: 'quality.disposition.accept_deviation',
};

export function dispositionLabel(key: string): string {
  const k = DISPOSITION_KEYS[key];
  return k ? t(k) : key;
}

/** The control chart constants by subgroup size (2 to 10), as the server computes with. */
const D2 = [0, 0, 1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.97, 3.078];
const A2 = [0, 0, 1.88, 1.023, 0.729, 0.577, 0.483, 0.419, 0.373, 0.337, 0.308];
const D3 = [0, 0, 0, 0, 0, 0, 0, 0.076, 0.136, 0.184, 0.223];
const D4 = [0, 0, 3.267, 2.574, 2.282, 2.114, 2.004, 1.924, 1.864, 1.816, 1.777];

/** How the individuals and moving-range limits were computed, in words. */
export function howIndividuals(l: { individuals: { center: number }; moving_range: { center: number }; baseline_points: number }): string {
  return t('quality.spc.how_individuals', {
    n: l.baseline_points,
    center: formatValue(l.individuals.center, 4),
    mr: formatValue(l.moving_range.center, 4),
    ranges: Math.max(0, l.baseline_points - 1),
    d2: exactValue(D2[2]),
    d4: exactValue(D4[2]),
  });
}

/** How the X-bar and range limits were computed, in words. */
export function howXbarR(l: { xbar: { center: number }; range: { center: number }; subgroup_size: number; baseline_subgroups: number }): string {
  const n = l.subgroup_size;
  return t('quality.spc.how_xbar', {
    count: l.baseline_subgroups,
    n,
    center: formatValue(l.xbar.center, 4),
    r: formatValue(l.range.center, 4),
    a2: exactValue(A2[n]),
    d3: exactValue(D3[n]),
    d4: exactValue(D4[n]),
    d2: exactValue(D2[n]),
  });
}

/** How the capability indices were computed, in words. */
export function howCapability(c: { n: number; mean: number; sigma_within: number; sigma_overall: number }): string {
  return t('quality.spc.how_capability', {
    n: c.n,
    mean: formatValue(c.mean, 4),
    d2: exactValue(D2[2]),
    within: formatValue(c.sigma_within, 5),
    overall: formatValue(c.sigma_overall, 5),
  });
}

const PROBLEM_KEYS: Record<string, string> = {
  too_few: 'quality.spc.problem.too_few',
  unequal_subgroup: 'quality.spc.problem.unequal_subgroup',
  subgroup_size: 'quality.spc.problem.subgroup_size',
  not_finite: 'quality.spc.problem.not_finite',
  no_variation: 'quality.spc.problem.no_variation',
  spec_order: 'quality.spc.problem.spec_order',
};

/** Why the server could not compute limits, in words: from its code and values, or its
 * own (English) words for a code the UI does not know. */
export function spcProblemText(code: { code: string; params?: unknown } | null | undefined, serverText: string | null): string | null {
  const key = code ? PROBLEM_KEYS[code.code] : undefined;
  if (!code || !key) return serverText;
  const raw = code.params;
  const params: Record<string, string | number> = {};
  if (typeof raw === 'number') params.value = exactValue(raw);
  else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v === 'number') params[k] = k === 'lower' || k === 'upper' ? exactValue(v) : v;
    }
  }
  return t(key, params);
}

/** A Western Electric rule's name by its number (1 to 4); the server's words otherwise. */
export function ruleText(rule: number, serverText: string): string {
  switch (rule) {
    case 1:
      return t('quality.spc.rule.1');
    case 2:
      return t('quality.spc.rule.2');
    case 3:
      return t('quality.spc.rule.3');
    case 4:
      return t('quality.spc.rule.4');
    default:
      return serverText;
  }
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
      return { error: t('quality.orders_line', { line: i + 1 }) };
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
  if (from === null || to === null) return { error: t('quality.baseline_both') };
  if (from >= to) return { error: t('quality.baseline_order') };
  return { from, to };
}
