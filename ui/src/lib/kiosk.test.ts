import { describe, expect, it } from 'vitest';
import { boardQuery, kioskOf, kioskPage } from './kiosk';

describe('kiosk', () => {
  it('is off without kiosk=1', () => {
    expect(kioskOf('#/')).toEqual({ on: false, token: null, density: null });
    expect(kioskOf('#/machines/press-1')).toEqual({ on: false, token: null, density: null });
    expect(kioskOf('#/?kiosk=0').on).toBe(false);
    expect(kioskOf('#/?density=floor')).toEqual({ on: false, token: null, density: 'floor' });
  });

  it('reads kiosk, token and density from the query', () => {
    expect(kioskOf('#/?kiosk=1')).toEqual({ on: true, token: null, density: null });
    expect(kioskOf('#/?kiosk')).toEqual({ on: true, token: null, density: null });
    expect(kioskOf('#/machines/press-1?kiosk=1&t=0123456789abcdef0123&density=floor')).toEqual({
      on: true,
      token: '0123456789abcdef0123',
      density: 'floor',
    });
  });

  it('takes no malformed token', () => {
    expect(kioskOf('#/?kiosk=1&t=<script>').token).toBeNull();
    expect(kioskOf('#/?kiosk=1&t=abc123').token).toBeNull();
    expect(kioskOf('#/?kiosk=1&density=huge').density).toBeNull();
  });

  it('applies to the overview and machine pages only', () => {
    expect(kioskPage('overview')).toBe(true);
    expect(kioskPage('machine')).toBe(true);
    expect(kioskPage('users')).toBe(false);
  });

  it('asks the board for the token and the machine', () => {
    expect(boardQuery('abcDEF123', null)).toBe('t=abcDEF123');
    expect(boardQuery('abcDEF123', 'press 1')).toBe('t=abcDEF123&machine=press+1');
  });
});
