// Kiosk mode for wall boards and line screens: an overview or machine address with
// `kiosk=1` in its query ("#/?kiosk=1", "#/machines/press-1?kiosk=1") shows the page
// alone (no menus), fills the screen and keeps reconnecting. With a display's token
// ("&t=...", made under Production setup) it shows the display's board instead, which
// needs no login and so never logs out; `density=floor` sets the shop-floor density.
// Pure: the app reads the address through kioskOf().

import type { Density } from './theme';

export interface Kiosk {
  /** Kiosk mode asked for. */
  on: boolean;
  /** A display's read-only token: the board, no session. */
  token: string | null;
  /** Density asked for in the address (null: the user's own choice). */
  density: Density | null;
}

const OFF: Kiosk = { on: false, token: null, density: null };

function truthy(v: string | null): boolean {
  return v !== null && /^(1|true|yes|on|)$/i.test(v.trim());
}

/** The kiosk settings of a location hash such as "#/machines/press-1?kiosk=1&t=...". */
export function kioskOf(hash: string): Kiosk {
  const q = hash.indexOf('?');
  if (q < 0) return OFF;
  const params = new URLSearchParams(hash.slice(q + 1));
  const density = params.get('density');
  const d: Density | null = density === 'floor' ? 'floor' : density === 'normal' ? 'normal' : null;
  if (!params.has('kiosk') || !truthy(params.get('kiosk'))) return { ...OFF, density: d };
  const t = params.get('t');
  // Tokens are hex (as productionapi's tokenFromQuery takes them); else no token.
  const token = t !== null && /^[0-9a-f]{16,128}$/i.test(t) ? t : null;
  return { on: true, token, density: d };
}

/** The page on a kiosk route (overview or a machine); other pages show normally. */
export function kioskPage(routeName: string): boolean {
  return routeName === 'overview' || routeName === 'machine';
}

/** The andon board's query for a kiosk with a token: the token, and the machine if one. */
export function boardQuery(token: string, machineKey: string | null): string {
  const p = new URLSearchParams({ t: token });
  if (machineKey !== null) p.set('machine', machineKey);
  return p.toString();
}
