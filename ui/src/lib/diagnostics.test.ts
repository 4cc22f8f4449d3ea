import { describe, expect, it } from 'vitest';
import {
  asSentence,
  busKindLabel,
  errorCounts,
  errorKindLabel,
  errorKindMeaning,
  errorKindSeverity,
  exceptionName,
  formatAnswered,
  formatPerSecond,
  formatSeconds,
  lineHealth,
  protocolLabel,
  scanAnswerText,
  scanEstimateMs,
  scanReport,
} from './diagnostics';
import type { BusStatus, DeviceStatus } from './types';

describe('error kinds', () => {
  it('labels every kind the core counts', () => {
    expect(errorKindLabel('timeout')).toBe('timeout');
    expect(errorKindLabel('crc')).toBe('CRC');
    expect(errorKindLabel('framing')).toBe('framing');
    expect(errorKindLabel('exception_2')).toBe('exception 2');
    expect(errorKindLabel('exception_11')).toBe('exception 11');
    expect(errorKindLabel('late_answer')).toBe('late answer');
    expect(errorKindLabel('connection')).toBe('connection');
    expect(errorKindLabel('malformed')).toBe('malformed');
    expect(errorKindLabel('something_new')).toBe('something new');
  });

  it('colours no answer red, damaged answers amber, the rest neutral', () => {
    expect(errorKindSeverity('timeout')).toBe('bad');
    expect(errorKindSeverity('connection')).toBe('bad');
    expect(errorKindSeverity('crc')).toBe('warn');
    expect(errorKindSeverity('framing')).toBe('warn');
    expect(errorKindSeverity('exception_2')).toBe('info');
    expect(errorKindSeverity('late_answer')).toBe('info');
    expect(errorKindSeverity('malformed')).toBe('info');
  });

  it('explains each kind', () => {
    expect(errorKindMeaning('crc')).toMatch(/termination/);
    expect(errorKindMeaning('framing')).toMatch(/baud rate or parity/);
    expect(errorKindMeaning('exception_2')).toMatch(/illegal data address/);
    expect(errorKindMeaning('exception_6')).toMatch(/server device busy/);
    expect(errorKindMeaning('exception_99')).toMatch(/exception 99/);
    expect(errorKindMeaning('unheard_of')).toBe('');
    expect(exceptionName(2)).toBe('illegal data address');
    expect(exceptionName(7)).toBe('');
    expect(exceptionName(null)).toBe('');
  });

  it('lists only kinds that occurred, red first', () => {
    expect(
      errorCounts({ exception_2: 3, crc: 1, timeout: 0, framing: 2, connection: 5, exception_10: 1, late_answer: 1 }),
    ).toEqual([
      { kind: 'connection', label: 'connection', count: 5, severity: 'bad' },
      { kind: 'crc', label: 'CRC', count: 1, severity: 'warn' },
      { kind: 'framing', label: 'framing', count: 2, severity: 'warn' },
      { kind: 'late_answer', label: 'late answer', count: 1, severity: 'info' },
      { kind: 'exception_2', label: 'exception 2', count: 3, severity: 'info' },
      { kind: 'exception_10', label: 'exception 10', count: 1, severity: 'info' },
    ]);
    expect(errorCounts({})).toEqual([]);
    expect(errorCounts(null)).toEqual([]);
  });
});

describe('words and numbers', () => {
  it('names lines and protocols', () => {
    expect(busKindLabel('rs-485')).toBe('RS-485');
    expect(busKindLabel('serial-line')).toBe('Serial line');
    expect(busKindLabel('modbus-tcp')).toBe('Modbus TCP');
    expect(busKindLabel('rtu-over-tcp')).toBe('RTU over TCP');
    expect(protocolLabel('modbus-rtu-over-tcp')).toBe('Modbus RTU over TCP');
    expect(protocolLabel('serial-line')).toBe('Serial line');
  });

  it('formats rates and answered shares', () => {
    expect(formatPerSecond(2)).toBe('2.0/s');
    expect(formatPerSecond(0.05)).toBe('0.05/s');
    expect(formatPerSecond(0)).toBe('0.0/s');
    expect(formatPerSecond(12.4)).toBe('12/s');
    expect(formatPerSecond(null)).toBe('—');
    expect(formatAnswered({ requests: 5321, answered: 5319 })).toBe('99.9 %');
    expect(formatAnswered({ requests: 10, answered: 10 })).toBe('100 %');
    expect(formatAnswered({ requests: 10, answered: 0 })).toBe('0 %');
    expect(formatAnswered({ requests: 0, answered: 0 })).toBe('—');
  });

  it('makes a server message a sentence', () => {
    expect(asSentence('no answer to holding register 40001 x2 (function 03) within 500 ms')).toBe(
      'No answer to holding register 40001 x2 (function 03) within 500 ms.',
    );
    expect(asSentence('Done.')).toBe('Done.');
    expect(asSentence('  ')).toBe('');
  });
});

function dev(key: string, state: DeviceStatus['state']): DeviceStatus {
  return {
    key,
    name: key,
    protocol: 'modbus-rtu',
    endpoint: `line-1 unit 1`,
    bus: 'line-1',
    unit_id: 1,
    template: null,
    diagnostics: null,
    state,
    last_success_ms: null,
    last_error: null,
    last_error_ms: null,
    response_ms: null,
    requests: 0,
    errors: 0,
    tags: 1,
    machines: [],
  };
}

describe('line health', () => {
  const bus = (devices: string[]): BusStatus => ({
    key: 'line-1',
    name: 'Line 1',
    kind: 'rs-485',
    settings: 'COM3 9600 8N1',
    devices,
    diagnostics: null,
  });
  const all = [dev('a', 'online'), dev('b', 'offline'), dev('c', 'connecting'), dev('d', 'online')];

  it('counts the devices answering and names the failing ones', () => {
    const h = lineHealth(bus(['a', 'b', 'c']), all);
    expect(h).toMatchObject({ total: 3, answering: 1, state: 'partial' });
    expect(h.failing.map((d) => d.key)).toEqual(['b']);
  });

  it('tells all, none and not yet apart', () => {
    expect(lineHealth(bus(['a', 'd']), all).state).toBe('ok');
    expect(lineHealth(bus(['b']), all).state).toBe('down');
    expect(lineHealth(bus(['c']), all).state).toBe('waiting');
    expect(lineHealth(bus([]), all).state).toBe('waiting');
  });
});

describe('bus scans', () => {
  it('estimates the longest a scan takes: every unit silent for the whole timeout', () => {
    expect(scanEstimateMs(1, 247, 200)).toBe(49_400);
    expect(scanEstimateMs(1, 10, 100)).toBe(1000);
    expect(scanEstimateMs(5, 5, 200)).toBe(200);
    // The core's limits: units 1 to 247, timeout 20 to 5000 ms, to not below from.
    expect(scanEstimateMs(0, 300, 200)).toBe(49_400);
    expect(scanEstimateMs(10, 3, 200)).toBe(200);
    expect(scanEstimateMs(1, 10, 5)).toBe(200);
    expect(scanEstimateMs(1, 2, 10_000)).toBe(10_000);
  });

  it('writes durations in seconds and minutes', () => {
    expect(formatSeconds(49_400)).toBe('50 s'); // up to: rounded up
    expect(formatSeconds(49_000)).toBe('49 s');
    expect(formatSeconds(82_000)).toBe('1 min 22 s');
    expect(formatSeconds(120_000)).toBe('2 min');
    expect(formatSeconds(200)).toBe('1 s');
    expect(formatSeconds(0)).toBe('0 s');
  });

  it('words an answer', () => {
    expect(scanAnswerText({ answer: 'answered', exception_code: null })).toBe('answered');
    expect(scanAnswerText({ answer: 'exception', exception_code: 2 })).toBe('exception 2 (illegal data address)');
    expect(scanAnswerText({ answer: 'exception', exception_code: 42 })).toBe('exception 42');
  });

  it('puts answers next to the configured devices of the line', () => {
    const configured = [
      { key: 'm1', name: 'Meter 1', unit: 1 },
      { key: 'm3', name: 'Meter 3', unit: 3 },
      { key: 'm3b', name: 'Meter 3b', unit: 3 },
      { key: 'm9', name: 'Meter 9', unit: 9 },
      { key: 'm200', name: 'Meter 200', unit: 200 },
    ];
    const r = scanReport(
      [
        { unit: 5, answer: 'exception', exception_code: 2, response_ms: 30 },
        { unit: 1, answer: 'answered', exception_code: null, response_ms: 41.2 },
      ],
      configured,
      1,
      100,
    );
    expect(r.rows.map((x) => [x.unit, x.text, x.devices.map((d) => d.key)])).toEqual([
      [1, 'answered', ['m1']],
      [5, 'exception 2 (illegal data address)', []],
    ]);
    expect(r.silent.map((d) => d.key)).toEqual(['m3', 'm3b', 'm9']);
    expect(r.shared).toEqual([3]);
  });
});
