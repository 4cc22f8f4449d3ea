import { describe, expect, it } from 'vitest';
import {
  actionWords,
  entryWords,
  firstPage,
  isFailedLogin,
  newerCursor,
  newerPage,
  olderCursor,
  olderPage,
} from './audit';
import apiDoc from '../../../docs/API.md?raw';
import type { AuditEntry } from './types';

function entry(id: number, action = 'login'): AuditEntry {
  return { id, ts: 1764139000000 + id, actor: 'admin', action, target: 'admin', detail: '', client: '127.0.0.1' };
}

describe('actionWords', () => {
  it('has words for every action docs/API.md lists', () => {
    const list = apiDoc.slice(apiDoc.indexOf('Actions: '), apiDoc.indexOf('Each entry is sealed'));
    const actions = [...list.matchAll(/`([a-z_]+(?:\.[a-z_]+)?)`/g)].map((m) => m[1]);
    expect(actions.length).toBeGreaterThan(40);
    expect(actions.filter((a) => actionWords(a) === a)).toEqual([]);
  });

  it('puts every documented action in words', () => {
    expect(actionWords('login')).toBe('logged in');
    expect(actionWords('login.failed')).toBe('failed login');
    expect(actionWords('login.refused')).toBe('login refused (too many failures)');
    expect(actionWords('login.locked')).toBe('name locked (too many failures)');
    expect(actionWords('mfa.enrol')).toBe('set up a second factor');
    expect(actionWords('vendor.request')).toBe('vendor request');
    expect(actionWords('logout')).toBe('logged out');
    expect(actionWords('setup')).toBe('created the admin account');
    expect(actionWords('user.create')).toBe('created a user');
    expect(actionWords('user.update')).toBe('changed a user');
    expect(actionWords('user.password_reset')).toBe('reset a password');
    expect(actionWords('user.password_change')).toBe('changed their password');
    expect(actionWords('config.import')).toBe('imported configuration');
    expect(actionWords('display.failed')).toBe('wrong display address');
    expect(actionWords('display.refused')).toBe('display address refused (too many wrong ones)');
  });

  it('shows an unknown action as it is', () => {
    expect(actionWords('device.remove')).toBe('device.remove');
    expect(actionWords('')).toBe('');
    expect(actionWords('toString')).toBe('toString');
    expect(actionWords('__proto__')).toBe('__proto__');
  });
});

describe('entryWords', () => {
  it('reads whose password was changed', () => {
    const own = { action: 'user.password_change', actor: 'sam', target: 'sam' };
    const other = { action: 'user.password_change', actor: 'plantlog demo', target: 'admin' };
    expect(entryWords(own)).toBe('changed their password');
    expect(entryWords(other)).toBe('changed the password');
    expect(entryWords({ action: 'login.failed', actor: '', target: 'x' })).toBe('failed login');
  });
});

describe('isFailedLogin', () => {
  it('marks failed and refused logins and display addresses only', () => {
    expect(isFailedLogin('login.failed')).toBe(true);
    expect(isFailedLogin('login.refused')).toBe(true);
    expect(isFailedLogin('display.failed')).toBe(true);
    expect(isFailedLogin('display.refused')).toBe(true);
    expect(isFailedLogin('display.use')).toBe(false);
    expect(isFailedLogin('login')).toBe(false);
    expect(isFailedLogin('logout')).toBe(false);
  });
});

describe('paging', () => {
  it('pages back from the smallest id shown', () => {
    expect(olderCursor([entry(42), entry(40), entry(41)])).toBe(40);
    expect(olderCursor([])).toBeNull();
  });

  it('knows a short page is the oldest', () => {
    expect(firstPage([entry(3), entry(2), entry(1)], 100).oldest).toBe(true);
    expect(firstPage([entry(3), entry(2)], 2).oldest).toBe(false);
  });

  it('goes back and forth between pages', () => {
    let p = firstPage([entry(6), entry(5)], 2);
    expect(newerCursor(p)).toBeNull();
    p = olderPage(p, 5, [entry(4), entry(3)], 2);
    expect(p.entries.map((e) => e.id)).toEqual([4, 3]);
    expect(p.oldest).toBe(false);
    expect(newerCursor(p)).toBeUndefined(); // the newest page: no `before`
    p = olderPage(p, 3, [entry(2)], 2);
    expect(p.oldest).toBe(true);
    expect(newerCursor(p)).toBe(5);
    p = newerPage(p, [entry(4), entry(3)], 2);
    expect(p.cursors).toEqual([undefined, 5]);
    expect(p.oldest).toBe(false);
  });

  it('keeps the page shown when nothing older comes back', () => {
    const p = firstPage([entry(2), entry(1)], 2);
    const q = olderPage(p, 1, [], 2);
    expect(q.entries).toBe(p.entries);
    expect(q.cursors).toEqual([undefined]);
    expect(q.oldest).toBe(true);
  });
});

describe('actionWords in German', () => {
  it('follows the user language', async () => {
    const { setLanguage } = await import('./i18n.svelte');
    setLanguage('de', 'de-DE');
    try {
      expect(actionWords('login.failed')).toBe('Anmeldung fehlgeschlagen');
      expect(entryWords({ action: 'user.password_change', actor: 'admin', target: 'anna' })).toBe(
        'hat das Passwort geändert',
      );
      expect(actionWords('no.such_thing')).toBe('no.such_thing');
      // The quality and stores entries the demo writes from its first minute.
      expect(actionWords('check.enter')).toBe('hat eine Qualitätsprüfung erfasst');
      expect(actionWords('stores.issue')).toBe('hat Material ausgegeben');
    } finally {
      setLanguage('en', 'en-GB');
    }
  });
});
