// A small hash router: #/, #/machines/<key>, #/trends?<query>, #/devices, #/devices/<key>,
// #/commissioning, #/templates, #/templates/<key>, #/users, #/configuration, #/storage, #/backups,
// #/audit, #/login, and production: #/operator[/<key>], #/shift, #/production?<query>,
// #/stops/<key>?<query>, #/production-setup, #/production-help, #/andon?t=<token> (a
// display's board, no login), #/account, #/security, #/vendors, #/access-review,
// #/setup?code=, #/support, #/reports, #/alarms, #/alarm-rules, #/passport.
// parse() and href() are pure; listen() binds them to the browser.

import type { Permission } from './types';

export type Route =
  | { name: 'overview' }
  | { name: 'machine'; key: string }
  /** `query`: the tags and window, "tags=3,7&from=..&to=.." (see trends.ts); may be "". */
  | { name: 'trends'; query: string }
  | { name: 'devices' }
  | { name: 'device'; key: string }
  | { name: 'commissioning' }
  | { name: 'templates' }
  | { name: 'template'; key: string }
  | { name: 'users' }
  | { name: 'configuration' }
  | { name: 'storage' }
  | { name: 'backups' }
  | { name: 'audit' }
  | { name: 'login' }
  /** The operator's tablet view: a machine, or (null) the choice of one's machines. */
  | { name: 'operator'; key: string | null }
  | { name: 'shift' }
  /** `query`: "by=day&last=14" (see Production.svelte); may be "". */
  | { name: 'production'; query: string }
  /** A machine's stops; `query`: "from=..&to=.." or "". */
  | { name: 'stops'; key: string; query: string }
  | { name: 'production_setup' }
  | { name: 'production_help' }
  /** An andon display's board; `query` holds its token, "t=...". */
  | { name: 'andon'; query: string }
  | { name: 'account' }
  | { name: 'security' }
  | { name: 'vendors' }
  | { name: 'access_review' }
  /** The data passport (issue 17): the live answers about the plant's data. */
  | { name: 'passport' }
  | { name: 'support' }
  | { name: 'reports' }
  /** Alarms (issue 13): the open ones and the journal. */
  | { name: 'alarms'; query: string }
  /** The alarm rules and alarm settings of the configuration (the admin). */
  | { name: 'alarm_rules' }
  /** Quality checks (issue 15): due checks and their entry, dispositions. */
  | { name: 'quality' }
  /** Stores: receiving, issue, stock. */
  | { name: 'stores' }
  /** A production lot's story, or (a supplier lot) the lots that used it. */
  | { name: 'lot'; key: string }
  /** SPC of a measured characteristic, by id. */
  | { name: 'spc'; key: string }
  /** The first-run page; `code`, the setup code, comes in the address from the console. */
  | { name: 'setup'; code: string }
  | { name: 'not_found'; path: string };

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** The route for a location hash such as "#/machines/press-1". */
export function parse(hash: string): Route {
  let path = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = path.indexOf('?');
  const query = q >= 0 ? path.slice(q + 1) : '';
  if (q >= 0) path = path.slice(0, q);
  if (path === '' || path === '/') return { name: 'overview' };
  if (!path.startsWith('/')) path = '/' + path;
  const parts = path.split('/').slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1) {
    switch (parts[0]) {
      case 'devices':
        return { name: 'devices' };
      case 'commissioning':
        return { name: 'commissioning' };
      case 'templates':
        return { name: 'templates' };
      case 'users':
        return { name: 'users' };
      case 'configuration':
        return { name: 'configuration' };
      case 'storage':
        return { name: 'storage' };
      case 'backups':
        return { name: 'backups' };
      case 'trends':
        return { name: 'trends', query };
      case 'audit':
        return { name: 'audit' };
      case 'login':
        return { name: 'login' };
      case 'operator':
        return { name: 'operator', key: null };
      case 'shift':
        return { name: 'shift' };
      case 'production':
        return { name: 'production', query };
      case 'production-setup':
        return { name: 'production_setup' };
      case 'production-help':
        return { name: 'production_help' };
      case 'andon':
        return { name: 'andon', query };
      case 'account':
        return { name: 'account' };
      case 'security':
        return { name: 'security' };
      case 'vendors':
        return { name: 'vendors' };
      case 'access-review':
        return { name: 'access_review' };
      case 'passport':
        return { name: 'passport' };
      case 'support':
        return { name: 'support' };
      case 'reports':
        return { name: 'reports' };
      case 'alarms':
        return { name: 'alarms', query };
      case 'alarm-rules':
        return { name: 'alarm_rules' };
      case 'quality':
        return { name: 'quality' };
      case 'stores':
        return { name: 'stores' };
      case 'setup': {
        const code = new URLSearchParams(query).get('code') ?? '';
        return { name: 'setup', code: /^[A-Za-z0-9-]{1,40}$/.test(code) ? code.toUpperCase() : '' };
      }
    }
  }
  if (parts.length === 2 && parts[1] !== '') {
    const key = decode(parts[1]);
    if (key !== null) {
      if (parts[0] === 'machines') return { name: 'machine', key };
      if (parts[0] === 'devices') return { name: 'device', key };
      if (parts[0] === 'templates') return { name: 'template', key };
      if (parts[0] === 'operator') return { name: 'operator', key };
      if (parts[0] === 'stops') return { name: 'stops', key, query };
      if (parts[0] === 'lots') return { name: 'lot', key };
      if (parts[0] === 'spc') return { name: 'spc', key };
    }
  }
  return { name: 'not_found', path };
}

/** The hash for a route, "#/..." — usable as an href. */
export function href(route: Route): string {
  switch (route.name) {
    case 'overview':
      return '#/';
    case 'machine':
      return `#/machines/${encodeURIComponent(route.key)}`;
    case 'devices':
      return '#/devices';
    case 'device':
      return `#/devices/${encodeURIComponent(route.key)}`;
    case 'commissioning':
      return '#/commissioning';
    case 'templates':
      return '#/templates';
    case 'template':
      return `#/templates/${encodeURIComponent(route.key)}`;
    case 'users':
      return '#/users';
    case 'configuration':
      return '#/configuration';
    case 'storage':
      return '#/storage';
    case 'backups':
      return '#/backups';
    case 'trends':
      return route.query ? `#/trends?${route.query}` : '#/trends';
    case 'audit':
      return '#/audit';
    case 'login':
      return '#/login';
    case 'operator':
      return route.key === null ? '#/operator' : `#/operator/${encodeURIComponent(route.key)}`;
    case 'shift':
      return '#/shift';
    case 'production':
      return route.query ? `#/production?${route.query}` : '#/production';
    case 'stops':
      return `#/stops/${encodeURIComponent(route.key)}${route.query ? `?${route.query}` : ''}`;
    case 'production_setup':
      return '#/production-setup';
    case 'production_help':
      return '#/production-help';
    case 'andon':
      return route.query ? `#/andon?${route.query}` : '#/andon';
    case 'account':
      return '#/account';
    case 'security':
      return '#/security';
    case 'vendors':
      return '#/vendors';
    case 'access_review':
      return '#/access-review';
    case 'passport':
      return '#/passport';
    case 'support':
      return '#/support';
    case 'reports':
      return '#/reports';
    case 'alarms':
      return route.query ? `#/alarms?${route.query}` : '#/alarms';
    case 'alarm_rules':
      return '#/alarm-rules';
    case 'quality':
      return '#/quality';
    case 'stores':
      return '#/stores';
    case 'lot':
      return `#/lots/${encodeURIComponent(route.key)}`;
    case 'spc':
      return `#/spc/${encodeURIComponent(route.key)}`;
    case 'setup':
      return route.code ? `#/setup?code=${encodeURIComponent(route.code)}` : '#/setup';
    case 'not_found':
      return '#' + route.path;
  }
}

/** The permission a route needs, if any. */
export function permissionFor(route: Route): Permission | null {
  switch (route.name) {
    case 'overview':
    case 'machine':
    case 'trends':
    case 'alarms':
      return 'view_plant';
    case 'devices':
    case 'device':
      return 'view_devices';
    case 'commissioning':
      return 'commission';
    case 'templates':
    case 'template':
    case 'configuration':
    case 'storage':
      return 'view_config';
    case 'users':
    case 'backups':
    case 'security':
    case 'vendors':
    case 'access_review':
      return 'manage_users';
    case 'audit':
      return 'view_audit';
    case 'support':
      return 'support';
    case 'reports':
      return 'run_data_reports';
    case 'passport':
      return 'view_passport';
    case 'operator':
    case 'shift':
    case 'production':
    case 'stops':
    case 'production_help':
      return 'view_production';
    case 'production_setup':
      return 'manage_production';
    case 'alarm_rules':
      return 'edit_config';
    case 'quality':
    case 'stores':
    case 'lot':
    case 'spc':
      return 'view_quality';
    default:
      return null;
  }
}

/** Goes to a route; replace=true does not add a history entry. */
export function navigate(route: Route, replace = false): void {
  const target = href(route);
  if (window.location.hash === target) return;
  if (replace) {
    const url = window.location.pathname + window.location.search + target;
    window.history.replaceState(window.history.state, '', url);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

/** Calls `onRoute` now and on every hash change; returns the unsubscribe function. */
export function listen(onRoute: (r: Route) => void): () => void {
  const handler = () => onRoute(parse(window.location.hash));
  window.addEventListener('hashchange', handler);
  handler();
  return () => window.removeEventListener('hashchange', handler);
}

