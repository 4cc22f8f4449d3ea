// Diagnostics in words: error kinds with labels, colours and meanings, lines and
// protocols by name, rates, how healthy a line is, and bus scans (how long one takes,
// which configured device each answering unit is).

import { formatValue } from './format';
import { t } from './i18n.svelte';
import type { BusStatus, Diagnostics, DeviceStatus, ScanHit } from './types';

export type Severity = 'bad' | 'warn' | 'info';

const EXCEPTION_NAMES: Record<number, string> = {
  1: 'devices.exception.1',
  2: 'devices.exception.2',
  3: 'devices.exception.3',
  4: 'devices.exception.4',
  5: 'devices.exception.5',
  6: 'devices.exception.6',
  8: 'devices.exception.8',
  10: 'devices.exception.10',
  11: 'devices.exception.11',
};

/** "illegal data address" for 2; "" for a code Modbus does not name. */
export function exceptionName(code: number | null | undefined): string {
  const key = typeof code === 'number' ? EXCEPTION_NAMES[code] : undefined;
  return key ? t(key) : '';
}

/** The N of "exception_N", or null. */
export function exceptionCode(kind: string): number | null {
  const m = /^exception_(\d+)$/.exec(kind);
  return m ? Number(m[1]) : null;
}

const LABELS: Record<string, string> = {
  timeout: 'devices.kind.timeout',
  crc: 'devices.kind.crc',
  framing: 'devices.kind.framing',
  late_answer: 'devices.kind.late_answer',
  connection: 'devices.kind.connection',
  malformed: 'devices.kind.malformed',
};

/** The short label of an error kind: "timeout", "CRC", "exception 2", "late answer". */
export function errorKindLabel(kind: string): string {
  const code = exceptionCode(kind);
  if (code !== null) return t('devices.kind.exception', { code });
  return kind in LABELS ? t(LABELS[kind]) : kind.replace(/_/g, ' ');
}

const MEANINGS: Record<string, string> = {
  timeout: 'devices.meaning.timeout',
  crc: 'devices.meaning.crc',
  framing: 'devices.meaning.framing',
  late_answer: 'devices.meaning.late_answer',
  connection: 'devices.meaning.connection',
  malformed: 'devices.meaning.malformed',
};

/** Red for no answer at all, amber for damaged answers, neutral for the rest. */
export function errorKindSeverity(kind: string): Severity {
  switch (kind) {
    case 'timeout':
    case 'connection':
      return 'bad';
    case 'crc':
    case 'framing':
      return 'warn';
    default:
      return 'info';
  }
}

/** What an error kind means and where to look, in a sentence. */
export function errorKindMeaning(kind: string): string {
  const code = exceptionCode(kind);
  if (code !== null) {
    const name = exceptionName(code);
    const what = name ? t('devices.exception.named', { code, name }) : t('devices.exception.plain', { code });
    if (code === 2) return t('devices.meaning.exception_2', { what });
    if (code === 1) return t('devices.meaning.exception_1', { what });
    return t('devices.meaning.exception', { what });
  }
  return kind in MEANINGS ? t(MEANINGS[kind]) : '';
}

export interface ErrorCount {
  kind: string;
  label: string;
  count: number;
  severity: Severity;
}

const KIND_ORDER = ['timeout', 'connection', 'crc', 'framing', 'late_answer', 'malformed'];
const SEVERITY_ORDER: Record<Severity, number> = { bad: 0, warn: 1, info: 2 };

function rank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  if (i >= 0) return i;
  const code = exceptionCode(kind);
  return code !== null ? 100 + code : 1000;
}

/** The kinds that occurred, red ones first, as labelled counts. */
export function errorCounts(errors: Record<string, number> | null | undefined): ErrorCount[] {
  if (!errors) return [];
  return Object.entries(errors)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .map(([kind, count]) => ({
      kind,
      label: errorKindLabel(kind),
      count,
      severity: errorKindSeverity(kind),
    }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        rank(a.kind) - rank(b.kind) ||
        a.kind.localeCompare(b.kind),
    );
}

/** A line's kind in words: "RS-485", "Serial line", "Modbus TCP", "RTU over TCP". */
export function busKindLabel(kind: string): string {
  switch (kind) {
    case 'rs-485':
      return 'RS-485';
    case 'serial-line':
      return t('devices.serial_line');
    case 'modbus-tcp':
      return 'Modbus TCP';
    case 'rtu-over-tcp':
      return t('devices.rtu_over_tcp');
    default:
      return kind;
  }
}

/** A device's protocol in words. */
export function protocolLabel(protocol: string): string {
  switch (protocol) {
    case 'modbus-tcp':
      return 'Modbus TCP';
    case 'modbus-rtu':
      return 'Modbus RTU';
    case 'modbus-rtu-over-tcp':
      return t('devices.modbus_rtu_over_tcp');
    case 'serial-line':
      return t('devices.serial_line');
    default:
      return protocol;
  }
}

/** Whether test reads and scans work on the protocol (all Modbus kinds). */
export function isModbus(protocol: string): boolean {
  return protocol !== 'serial-line';
}

/** Requests per second: "2.0/s", "0.25/s", "12/s". */
export function formatPerSecond(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  const d = v >= 10 ? 0 : v === 0 || v >= 0.1 ? 1 : 2;
  return t('devices.per_second', { value: formatValue(v, d) });
}

/** Share of requests answered, never rounded up to 100 %: "99.9 %". */
export function formatAnswered(d: Pick<Diagnostics, 'requests' | 'answered'>): string {
  if (!d.requests) return '—';
  const p = (100 * d.answered) / d.requests;
  const shown = p >= 100 ? 100 : Math.floor(p * 10) / 10;
  return t('common.percent', { value: formatValue(shown, shown === 100 || shown === 0 ? 0 : 1) });
}

/** A server message as a sentence: capital first letter, full stop. */
export function asSentence(message: string): string {
  const m = message.trim();
  if (m === '') return m;
  const s = m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(s) ? s : s + '.';
}

export interface LineHealth {
  total: number;
  answering: number;
  /** Devices on the line that give no data: offline, or answering only with errors. */
  failing: DeviceStatus[];
  state: 'ok' | 'partial' | 'down' | 'waiting';
}

/** How the devices of a line fare: all answering, some, none. */
export function lineHealth(bus: BusStatus, devices: DeviceStatus[]): LineHealth {
  const mine = devices.filter((d) => bus.devices.includes(d.key));
  const answering = mine.filter((d) => d.state === 'online').length;
  // Answering with errors gives no data either: failing too.
  const failing = mine.filter((d) => d.state === 'offline' || d.state === 'errors');
  let state: LineHealth['state'];
  if (failing.length > 0) state = answering === 0 && failing.length === mine.length ? 'down' : 'partial';
  else state = answering > 0 ? 'ok' : 'waiting';
  return { total: mine.length, answering, failing, state };
}

/** The scan limits the core applies. */
export const SCAN_LIMITS = { minUnit: 1, maxUnit: 247, minTimeout: 20, maxTimeout: 5000 };

/**
 * How long a scan can take: every unit asked once, each given the whole timeout when
 * it stays silent (units that answer are quicker). Uses the limits the core applies.
 */
export function scanEstimateMs(from: number, to: number, timeoutMs: number): number {
  const f = Math.max(SCAN_LIMITS.minUnit, Math.floor(from));
  const t = Math.min(SCAN_LIMITS.maxUnit, Math.max(f, Math.floor(to)));
  const tm = Math.min(SCAN_LIMITS.maxTimeout, Math.max(SCAN_LIMITS.minTimeout, timeoutMs));
  return (t - f + 1) * tm;
}

/** A duration rounded up to whole seconds, for "up to" estimates: "49 s", "1 min 22 s". */
export function formatSeconds(ms: number): string {
  const s = Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 0;
  if (s < 60) return t('devices.seconds', { s });
  const m = Math.floor(s / 60);
  const r = s % 60;
  return r === 0 ? t('devices.minutes', { m }) : t('devices.minutes_seconds', { m, s: r });
}

/** "answered", "exception 2 (illegal data address)". */
export function scanAnswerText(hit: Pick<ScanHit, 'answer' | 'exception_code'>): string {
  if (hit.answer === 'exception') {
    const name = exceptionName(hit.exception_code);
    const code = hit.exception_code ?? '?';
    return name ? t('devices.exception.named', { code, name }) : t('devices.exception.plain', { code });
  }
  return hit.answer === 'answered' ? t('devices.answered') : String(hit.answer).replace(/_/g, ' ');
}

export interface ConfiguredUnit {
  key: string;
  name: string;
  unit: number;
}

export interface ScanRow extends ScanHit {
  text: string;
  /** The configured devices with this unit id on the line. */
  devices: ConfiguredUnit[];
}

export interface ScanReport {
  rows: ScanRow[];
  /** Configured devices in the scanned range whose unit did not answer. */
  silent: ConfiguredUnit[];
  /** Unit ids that more than one configured device on the line uses. */
  shared: number[];
}

/** The scan's answers next to the devices configured on the line. */
export function scanReport(
  found: ScanHit[],
  configured: ConfiguredUnit[],
  from: number,
  to: number,
): ScanReport {
  const rows = [...found]
    .sort((a, b) => a.unit - b.unit)
    .map((h) => ({ ...h, text: scanAnswerText(h), devices: configured.filter((c) => c.unit === h.unit) }));
  const answered = new Set(found.map((h) => h.unit));
  const silent = configured.filter((c) => c.unit >= from && c.unit <= to && !answered.has(c.unit));
  const counts = new Map<number, number>();
  for (const c of configured) counts.set(c.unit, (counts.get(c.unit) ?? 0) + 1);
  const shared = [...counts.entries()]
    .filter(([, n]) => n > 1)
    .map(([u]) => u)
    .sort((a, b) => a - b);
  return { rows, silent, shared };
}
