import { describe, expect, it } from 'vitest';
import { href, parse, permissionFor, type Route } from './router';

describe('parse', () => {
  it('reads the overview from an empty or root hash', () => {
    expect(parse('')).toEqual({ name: 'overview' });
    expect(parse('#')).toEqual({ name: 'overview' });
    expect(parse('#/')).toEqual({ name: 'overview' });
  });

  it('reads the fixed pages', () => {
    expect(parse('#/devices')).toEqual({ name: 'devices' });
    expect(parse('#/users')).toEqual({ name: 'users' });
    expect(parse('#/login')).toEqual({ name: 'login' });
    expect(parse('#/configuration')).toEqual({ name: 'configuration' });
    expect(parse('#/audit')).toEqual({ name: 'audit' });
    expect(parse('#/devices/')).toEqual({ name: 'devices' });
  });

  it('reads the commissioning and template pages', () => {
    expect(parse('#/commissioning')).toEqual({ name: 'commissioning' });
    expect(parse('#/templates')).toEqual({ name: 'templates' });
    expect(parse('#/templates/eastron-sdm630')).toEqual({ name: 'template', key: 'eastron-sdm630' });
  });

  it('reads a device key, decoded', () => {
    expect(parse('#/devices/meter-1')).toEqual({ name: 'device', key: 'meter-1' });
    expect(parse('#/devices/line%201')).toEqual({ name: 'device', key: 'line 1' });
    expect(parse('#/devices/a/b')).toMatchObject({ name: 'not_found' });
  });

  it('reads a machine key, decoded', () => {
    expect(parse('#/machines/press-1')).toEqual({ name: 'machine', key: 'press-1' });
    expect(parse('#/machines/line%202')).toEqual({ name: 'machine', key: 'line 2' });
  });

  it('reads the production pages', () => {
    expect(parse('#/operator')).toEqual({ name: 'operator', key: null });
    expect(parse('#/operator/press-1')).toEqual({ name: 'operator', key: 'press-1' });
    expect(parse('#/shift')).toEqual({ name: 'shift' });
    expect(parse('#/production?by=week&last=8')).toEqual({ name: 'production', query: 'by=week&last=8' });
    expect(parse('#/stops/press-1?from=1&to=2')).toEqual({ name: 'stops', key: 'press-1', query: 'from=1&to=2' });
    expect(parse('#/production-setup')).toEqual({ name: 'production_setup' });
    expect(parse('#/production-help')).toEqual({ name: 'production_help' });
    expect(parse('#/andon?t=abc')).toEqual({ name: 'andon', query: 't=abc' });
  });

  it('writes the production pages back', () => {
    const routes: Route[] = [
      { name: 'operator', key: null },
      { name: 'operator', key: 'press 1' },
      { name: 'shift' },
      { name: 'production', query: 'by=day&last=14' },
      { name: 'stops', key: 'cnc-1', query: '' },
      { name: 'production_setup' },
      { name: 'production_help' },
      { name: 'andon', query: 't=abc' },
    ];
    for (const r of routes) expect(parse(href(r))).toEqual(r);
    expect(permissionFor({ name: 'shift' })).toBe('view_production');
    expect(permissionFor({ name: 'production_setup' })).toBe('manage_production');
    expect(permissionFor({ name: 'andon', query: '' })).toBeNull();
  });

  it('ignores a query part', () => {
    expect(parse('#/devices?x=1')).toEqual({ name: 'devices' });
  });

  it('tolerates a missing leading slash', () => {
    expect(parse('#devices')).toEqual({ name: 'devices' });
  });

  it('gives not_found for anything else', () => {
    expect(parse('#/nope')).toEqual({ name: 'not_found', path: '/nope' });
    expect(parse('#/machines')).toEqual({ name: 'not_found', path: '/machines' });
    expect(parse('#/machines/a/b')).toEqual({ name: 'not_found', path: '/machines/a/b' });
    expect(parse('#/machines/%E0%A4%A')).toMatchObject({ name: 'not_found' });
  });
});

describe('href', () => {
  it('round-trips every route', () => {
    const routes: Route[] = [
      { name: 'overview' },
      { name: 'machine', key: 'press-1' },
      { name: 'machine', key: 'Line 2/Ofen #3' },
      { name: 'devices' },
      { name: 'device', key: 'meter-1' },
      { name: 'device', key: 'rtu+tcp://x/1' },
      { name: 'commissioning' },
      { name: 'templates' },
      { name: 'template', key: 'eastron-sdm630' },
      { name: 'users' },
      { name: 'configuration' },
      { name: 'storage' },
      { name: 'audit' },
      { name: 'login' },
      { name: 'account' },
      { name: 'security' },
      { name: 'vendors' },
      { name: 'access_review' },
      { name: 'support' },
      { name: 'reports' },
      { name: 'alarms', query: '' },
      { name: 'alarms', query: 'view=journal' },
      { name: 'alarm_rules' },
      { name: 'setup', code: '' },
      { name: 'setup', code: 'K7QF-2M9X-HC4T' },
      { name: 'trends', query: '' },
      { name: 'trends', query: 'tags=3,7,12&from=1764136400000&to=1764140000000' },
    ];
    for (const r of routes) expect(parse(href(r))).toEqual(r);
  });

  it('keeps the query of the Trends page, and only there', () => {
    expect(parse('#/trends?tags=3,7&last=1h')).toEqual({ name: 'trends', query: 'tags=3,7&last=1h' });
    expect(parse('#/trends')).toEqual({ name: 'trends', query: '' });
    expect(href({ name: 'trends', query: 'tags=1' })).toBe('#/trends?tags=1');
    expect(href({ name: 'trends', query: '' })).toBe('#/trends');
    expect(parse('#/storage?x=1')).toEqual({ name: 'storage' });
  });

  it('writes the expected addresses', () => {
    expect(href({ name: 'overview' })).toBe('#/');
    expect(href({ name: 'machine', key: 'press-1' })).toBe('#/machines/press-1');
    expect(href({ name: 'machine', key: 'a b' })).toBe('#/machines/a%20b');
  });
});

describe('permissionFor', () => {
  it('maps pages to the permission the API enforces', () => {
    expect(permissionFor({ name: 'overview' })).toBe('view_plant');
    expect(permissionFor({ name: 'machine', key: 'x' })).toBe('view_plant');
    expect(permissionFor({ name: 'devices' })).toBe('view_devices');
    expect(permissionFor({ name: 'device', key: 'm' })).toBe('view_devices');
    expect(permissionFor({ name: 'commissioning' })).toBe('commission');
    expect(permissionFor({ name: 'templates' })).toBe('view_config');
    expect(permissionFor({ name: 'template', key: 't' })).toBe('view_config');
    expect(permissionFor({ name: 'users' })).toBe('manage_users');
    expect(permissionFor({ name: 'configuration' })).toBe('view_config');
    expect(permissionFor({ name: 'audit' })).toBe('view_audit');
    expect(permissionFor({ name: 'trends', query: '' })).toBe('view_plant');
    expect(permissionFor({ name: 'storage' })).toBe('view_config');
    expect(permissionFor({ name: 'login' })).toBeNull();
    expect(permissionFor({ name: 'security' })).toBe('manage_users');
    expect(permissionFor({ name: 'vendors' })).toBe('manage_users');
    expect(permissionFor({ name: 'access_review' })).toBe('manage_users');
    expect(permissionFor({ name: 'support' })).toBe('support');
    expect(permissionFor({ name: 'reports' })).toBe('run_data_reports');
    expect(permissionFor({ name: 'alarms', query: '' })).toBe('view_plant');
    expect(parse('#/alarm-rules')).toEqual({ name: 'alarm_rules' });
    expect(permissionFor({ name: 'alarm_rules' })).toBe('edit_config');
    expect(permissionFor({ name: 'account' })).toBeNull();
  });

  it('reads the setup code from the console address, and nothing unsafe', () => {
    expect(parse('#/setup?code=k7qf-2m9x-hc4t')).toEqual({ name: 'setup', code: 'K7QF-2M9X-HC4T' });
    expect(parse('#/setup?code=<b>')).toEqual({ name: 'setup', code: '' });
    expect(parse('#/access-review')).toEqual({ name: 'access_review' });
  });
});
