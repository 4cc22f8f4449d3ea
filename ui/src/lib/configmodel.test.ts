import { describe, expect, it } from 'vitest';
import {
  buildDevice,
  effectiveDefaults,
  emptyDeviceForm,
  formProblems,
  problemField,
  withDevice,
  withoutDevice,
  type DeviceForm,
} from './configmodel';
import type { ConfigModel } from './types';

const model: ConfigModel = {
  site: { name: 'Demo', timezone: 'Europe/Berlin' },
  machines: [{ key: 'press-1', name: 'Press 1' }],
  buses: [{ key: 'line-1', port: 'COM3', baud: 9600 }],
  devices: [{ key: 'plc', protocol: 'modbus-tcp', host: '10.0.0.5', tags: [{ name: 'x', address: 0 }] }],
  shifts: [{ name: 'Early', start: '06:00', end: '14:00' }],
};

const form = (patch: Partial<DeviceForm>): DeviceForm => ({ ...emptyDeviceForm(), ...patch });

describe('the add-device form', () => {
  it('builds a TCP device with its template and no tags', () => {
    expect(
      buildDevice(
        form({
          key: ' meter-3 ',
          name: 'Meter 3',
          host: '192.168.1.20',
          port: '502',
          unit_id: '3',
          poll_ms: '2000',
          timeout_ms: '300',
          machine: 'press-1',
          template: 'eastron-sdm630',
        }),
      ),
    ).toEqual({
      device: {
        key: 'meter-3',
        name: 'Meter 3',
        protocol: 'modbus-tcp',
        host: '192.168.1.20',
        port: 502,
        unit_id: 3,
        timeout_ms: 300,
        poll_ms: 2000,
        machine: 'press-1',
        template: 'eastron-sdm630',
        tags: [],
      },
    });
  });

  it('builds an RTU device on a serial line; empty numbers stay the defaults', () => {
    expect(buildDevice(form({ key: 'm', protocol: 'modbus-rtu', bus: 'line-1', host: 'ignored' }))).toEqual({
      device: { key: 'm', protocol: 'modbus-rtu', bus: 'line-1', unit_id: 1, tags: [] },
    });
  });

  it("writes out the template's timings for empty fields", () => {
    const r = buildDevice(form({ key: 'm', host: 'h', template: 't', poll_ms: '2000' }), {
      timeout_ms: 500,
      poll_ms: 1000,
    });
    expect('device' in r && r.device).toMatchObject({ timeout_ms: 500, poll_ms: 2000 });
    expect(effectiveDefaults({ timeout_ms: 500, poll_ms: null })).toEqual({ timeout_ms: 500, poll_ms: 1000 });
    expect(effectiveDefaults(null)).toEqual({ timeout_ms: 1000, poll_ms: 1000 });
  });

  it('builds RTU over TCP with host and port', () => {
    const r = buildDevice(form({ key: 'g', protocol: 'modbus-rtu-over-tcp', host: 'gw', port: '4001', unit_id: '7' }));
    expect(r).toEqual({
      device: { key: 'g', protocol: 'modbus-rtu-over-tcp', host: 'gw', port: 4001, unit_id: 7, tags: [] },
    });
  });

  it('refuses numbers the configuration cannot carry and missing essentials', () => {
    const r = buildDevice(form({ key: '', host: '', port: '70000', unit_id: '300', timeout_ms: '-5', poll_ms: '1.5' }));
    expect('problems' in r && r.problems.map((p) => p.field)).toEqual([
      'key',
      'host',
      'port',
      'unit_id',
      'timeout_ms',
      'poll_ms',
    ]);
    expect('problems' in r && r.problems[2]).toEqual({
      field: 'port',
      place: 'Port',
      message: 'The port must be a whole number from 0 to 65535.',
    });
    const rtu = buildDevice(form({ key: 'm', protocol: 'modbus-rtu', bus: '', unit_id: '' }));
    expect('problems' in rtu && rtu.problems.map((p) => p.field)).toEqual(['bus', 'unit_id']);
  });

  it('appends to and removes from the model without changing the one given', () => {
    const built = buildDevice(form({ key: 'meter-3', host: 'h' }));
    if (!('device' in built)) throw new Error('expected a device');
    const next = withDevice(model, built.device);
    expect(next.devices?.map((d) => d.key)).toEqual(['plc', 'meter-3']);
    expect(next.shifts).toBe(model.shifts);
    expect(model.devices).toHaveLength(1);
    const back = withoutDevice(next, 'plc');
    expect(back?.devices?.map((d) => d.key)).toEqual(['meter-3']);
    expect(next.devices).toHaveLength(2);
    expect(withoutDevice(model, 'nope')).toBeNull();
    expect(withDevice({ site: model.site }, built.device).devices).toHaveLength(1);
  });
});

describe('mistakes the server reports', () => {
  it('finds the form field of the new device', () => {
    expect(problemField('device "meter-3", field "bus"', 'meter-3')).toBe('bus');
    expect(problemField('device "meter-3", field "unit_id"', 'meter-3')).toBe('unit_id');
    expect(problemField('device "plc", field "host"', 'meter-3')).toBeNull();
    expect(problemField('device "meter-3", tag "x", field "address"', 'meter-3')).toBeNull();
    expect(problemField('device "meter-3", field "max_gap"', 'meter-3')).toBeNull();
    expect(problemField('site, field "timezone"', 'meter-3')).toBeNull();
  });

  it('keeps every mistake, placed or not', () => {
    expect(
      formProblems(
        [
          { place: 'device "m", field "bus"', message: 'there is no serial line "x"' },
          { place: 'machine "press-1"', message: 'something else' },
        ],
        'm',
      ),
    ).toEqual([
      { place: 'device "m", field "bus"', message: 'there is no serial line "x"', field: 'bus' },
      { place: 'machine "press-1"', message: 'something else', field: null },
    ]);
  });
});
