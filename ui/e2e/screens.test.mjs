// The screens walk (issue 18): every page in both themes at a tablet's 768x1024 and a
// wall screen's 1920x1080, against the real core (`$PLANTLOG_BIN demo`, one demo, one
// login per role needed). On each: no sideways scroll of the page (a wide table scrolls
// in its own box), and no axe-core violation of WCAG 2 A/AA (contrast included). Every
// problem of the whole walk is listed at the end, not only the first.
//
// In each shipped language (the user's preference, as the Account page sets it), with no
// key missing from the catalogues. SCREENS_MATRIX=full walks every combination of
// language, screen and theme; the default walks each page in every language, screen and
// theme but not every pairing (see MATRIX).
//
//   PLANTLOG_BIN=/path/to/plantlog node --test e2e/screens.test.mjs
// SCREENS_ONLY=overview,machine  limits the pages (while fixing one);
// SCREENS_LANGUAGES=de  limits the languages (with SCREENS_MATRIX=full: both themes);
// SCREENS=1366x768  walks other screen sizes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startDemo, totp } from './harness.mjs';

const BIN = process.env.PLANTLOG_BIN;
const SHOTS = resolve(process.env.PLANTLOG_SHOTS || fileURLToPath(new URL('./shots', import.meta.url)));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The screens walked; SCREENS=1366x768,... walks others (an old office monitor). */
const SCREENS = (process.env.SCREENS || '768x1024,1920x1080').split(',').map((s) => {
  const [width, height] = s.split('x').map(Number);
  return { name: s, width, height };
});
const THEMES = ['light', 'dark'];
/** The shipped languages (ui/src/lib/i18n.svelte.ts); SCREENS_LANGUAGES=de walks only those. */
const LANGUAGES = process.env.SCREENS_LANGUAGES ? process.env.SCREENS_LANGUAGES.split(',') : ['en', 'de', 'es', 'zh'];
/**
 * Which combinations of language, screen and theme the walk visits. `default` (the test
 * command): English in every screen and theme, each other language in both screens and
 * both themes but not every pairing (de: tablet dark, wall light; es: the other two; zh:
 * as de), so every page is seen in every language, theme and screen; `rest`: the pairings
 * the default leaves out (CI's extended stage); `full`: all of them.
 */
const MATRIX = process.env.SCREENS_MATRIX || 'default';
function inDefault(language, screen, theme) {
  if (language === 'en') return true;
  const first = screen === SCREENS[0];
  const dark = theme === 'dark';
  return language === 'es' ? first !== dark : first === dark;
}
function walked(language, screen, theme) {
  if (MATRIX === 'full') return true;
  return inDefault(language, screen, theme) === (MATRIX !== 'rest');
}

/**
 * Every page: its address (a function of the demo's keys for detail pages) and the
 * permission it needs (lib/router.ts permissionFor).
 */
const PAGES = [
  { name: 'overview', hash: () => '#/', perm: 'view_plant' },
  { name: 'machine', hash: (k) => `#/machines/${encodeURIComponent(k.machine)}`, perm: 'view_plant' },
  { name: 'trends', hash: (k) => `#/trends?tags=${k.tags}`, perm: 'view_plant' },
  { name: 'alarms', hash: () => '#/alarms', perm: 'view_plant' },
  { name: 'devices', hash: () => '#/devices', perm: 'view_devices' },
  { name: 'device', hash: (k) => `#/devices/${encodeURIComponent(k.device)}`, perm: 'view_devices' },
  { name: 'commissioning', hash: () => '#/commissioning', perm: 'commission' },
  { name: 'templates', hash: () => '#/templates', perm: 'view_config' },
  { name: 'template', hash: (k) => `#/templates/${encodeURIComponent(k.template)}`, perm: 'view_config' },
  { name: 'configuration', hash: () => '#/configuration', perm: 'view_config' },
  { name: 'storage', hash: () => '#/storage', perm: 'view_config' },
  { name: 'users', hash: () => '#/users', perm: 'manage_users' },
  { name: 'backups', hash: () => '#/backups', perm: 'manage_users' },
  { name: 'security', hash: () => '#/security', perm: 'manage_users' },
  { name: 'vendors', hash: () => '#/vendors', perm: 'manage_users' },
  { name: 'access-review', hash: () => '#/access-review', perm: 'manage_users' },
  { name: 'audit', hash: () => '#/audit', perm: 'view_audit' },
  { name: 'support', hash: () => '#/support', perm: 'support' },
  { name: 'reports', hash: () => '#/reports', perm: 'run_data_reports' },
  { name: 'passport', hash: () => '#/passport', perm: 'view_passport' },
  { name: 'operator', hash: (k) => `#/operator/${encodeURIComponent(k.machine)}`, perm: 'view_production' },
  { name: 'shift', hash: () => '#/shift', perm: 'view_production' },
  { name: 'production', hash: () => '#/production', perm: 'view_production' },
  { name: 'stops', hash: (k) => `#/stops/${encodeURIComponent(k.machine)}`, perm: 'view_production' },
  { name: 'production-help', hash: () => '#/production-help', perm: 'view_production' },
  { name: 'production-setup', hash: () => '#/production-setup', perm: 'manage_production' },
  { name: 'alarm-rules', hash: () => '#/alarm-rules', perm: 'edit_config' },
  { name: 'quality', hash: () => '#/quality', perm: 'view_quality' },
  { name: 'stores', hash: () => '#/stores', perm: 'view_quality' },
  { name: 'spc', hash: (k) => `#/spc/${k.spc}`, perm: 'view_quality' },
  { name: 'account', hash: () => '#/account', perm: null },
  { name: 'kiosk-overview', hash: () => '#/?kiosk=1', perm: 'view_plant' },
  { name: 'kiosk-machine', hash: (k) => `#/machines/${encodeURIComponent(k.machine)}?kiosk=1`, perm: 'view_plant' },
];

/** Roles tried in this order for a page: the admin sees most, one login each. */
const ROLES = ['admin', 'management', 'supervisor', 'quality', 'operator'];

let child = null;
/** The admin's session of the walk, kept for the kiosk test. */
let adminSession = null;
let browser = null;
let demo = null;

before(async () => {
  assert.ok(BIN, 'set PLANTLOG_BIN to the plantlog binary, e.g. target/debug/plantlog');
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo(BIN, { prefix: 'plantlog-screens-' });
  child = demo.child;
  browser = await launchChromium();
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    demo?.stop();
  }
});

/** Logs `role` in on a page of its own; the admin sets up the second factor first. */
async function loginAs(role) {
  // axe-core goes in as a script tag: the CSP (rightly) refuses that without bypassCSP.
  const context = await browser.newContext({ viewport: SCREENS[0], bypassCSP: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(demo.url);
  await page.waitForSelector('[data-testid="login-form"]');
  await page.fill('#login-user', demo.users[role].username);
  await page.fill('#login-password', demo.users[role].password);
  await page.click('[data-testid="login-form"] button[type="submit"]');
  const first = await page.waitForSelector('[data-testid="logout"], [data-testid="mfa-qr"]', { timeout: 15_000 });
  if ((await first.getAttribute('data-testid')) === 'mfa-qr') {
    const secret = await page.getAttribute('[data-testid="mfa-secret"]', 'data-secret');
    await page.fill('#mfa-code', totp(secret));
    await page.click('[data-testid="mfa-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="mfa-recovery"]', { timeout: 10_000 });
    await page.check('[data-testid="mfa-saved"]');
    await page.click('[data-testid="mfa-done"]');
    await page.waitForSelector('[data-testid="logout"]', { timeout: 15_000 });
  }
  await page.addScriptTag({ path: AXE });
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  return { role, context, page, errors, permissions: new Set(me.permissions) };
}

/** Sets the language of the walk's pages: the session's user's own choice, saved on the
 * server like the Account page does, then the page loaded again so the app starts in it. */
async function useLanguage(session, language) {
  if (session.language === language) return;
  const status = await session.page.evaluate(async (l) => {
    const r = await fetch('/api/me/preferences', {
      method: 'PATCH',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Plantlog-Request': '1' },
      body: JSON.stringify({ language: l }),
    });
    return r.status;
  }, language);
  assert.equal(status, 200, `the ${language} preference was refused`);
  // Loaded again on the overview (a kiosk page the walk left it on has no menus).
  await session.page.evaluate(() => {
    window.location.hash = '#/';
  });
  await session.page.reload();
  await session.page.waitForSelector('[data-testid="logout"]', { timeout: 15_000 });
  const lang = await session.page.evaluate(() => document.documentElement.lang);
  assert.ok(lang.startsWith(language), `the page is in ${lang}, not ${language}`);
  await session.page.addScriptTag({ path: AXE });
  session.language = language;
}

/** The page's problems: sideways scroll and axe violations (WCAG 2 A and AA). */
async function check(page) {
  return page.evaluate(async () => {
    const problems = [];
    const el = document.scrollingElement;
    if (el.scrollWidth > window.innerWidth) {
      // Name the widest things, so the fix has a place to start.
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
        .slice(0, 4)
        .map((e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}${e.dataset.testid ? `[${e.dataset.testid}]` : ''} right ${Math.round(e.getBoundingClientRect().right)}`);
      problems.push(`scrolls sideways: ${el.scrollWidth} px wide in ${window.innerWidth} (${wide.join('; ')})`);
    }
    const missing = globalThis.__plantlogMissingKeys ?? [];
    if (missing.length) problems.push(`missing translations: ${missing.slice(0, 6).join(', ')}`);
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      resultTypes: ['violations'],
    });
    for (const v of result.violations) {
      const where = v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')}${n.any[0]?.message ? ` (${n.any[0].message})` : ''}`)
        .join('; ');
      problems.push(`axe ${v.id}: ${v.help} — ${v.nodes.length} place(s): ${where}`);
    }
    return problems;
  });
}

/** Opens `hash` and waits until the page has drawn and its data has come. */
async function open(page, hash) {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await page.waitForFunction(
    // A page may rewrite its query (Trends puts its window there): the path must match.
    (h) => window.location.hash.split('?')[0] === h.split('?')[0] && document.querySelector('main, [data-kiosk]') !== null,
    hash,
    { timeout: 10_000 },
  );
  // Loading messages gone (a page that stays loading is a finding of its own).
  await page
    .waitForFunction(() => !/Loading…/.test(document.body.innerText), undefined, { timeout: 8_000 })
    .catch(() => {});
  await page.waitForTimeout(400);
}

test('every page in each language, both themes, at 768x1024 and 1920x1080: no sideways scroll, no axe violations, no missing key', { timeout: 1_500_000 }, async () => {
  const only = process.env.SCREENS_ONLY ? new Set(process.env.SCREENS_ONLY.split(',')) : null;
  const sessions = [];
  const problems = [];

  // The login page first, before anyone logs in.
  {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const screen of SCREENS) {
      for (const theme of THEMES) {
        await page.setViewportSize(screen);
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(demo.url);
        await page.waitForSelector('[data-testid="login-form"]');
        await page.addScriptTag({ path: AXE });
        for (const p of await check(page)) problems.push(`login ${screen.name} ${theme}: ${p}`);
      }
    }
    await context.close();
  }

  const admin = await loginAs('admin');
  adminSession = admin;
  sessions.push(admin);
  const api = (path) => admin.page.evaluate(async (p) => (await fetch(p)).json(), path);
  const overview = await api('/api/overview');
  const machine = overview.machines[0].key;
  const machineView = await api(`/api/machines/${encodeURIComponent(machine)}`);
  const devices = await api('/api/devices');
  const templates = await api('/api/templates');
  const products = await api('/api/quality/products');
  const keys = {
    machine,
    tags: machineView.tags.slice(0, 2).map((t) => t.id).join(','),
    device: devices[0].key,
    template: templates[0].key,
    spc: products.flatMap((p) => p.characteristics).find((c) => c.kind !== 'attribute' && c.name !== 'Burr free')?.id
      ?? products[0].characteristics[0].id,
  };

  /** The session that may open a page: the first role of ROLES with its permission. */
  async function sessionFor(perm) {
    for (const role of ROLES) {
      let s = sessions.find((x) => x.role === role);
      if (!s) {
        // A further role logs in only when a page needs it.
        s = await loginAs(role);
        sessions.push(s);
      }
      if (perm === null || s.permissions.has(perm)) return s;
    }
    return null;
  }

  let visits = 0;
  const started = Date.now();
  for (const language of LANGUAGES) {
    for (const screen of SCREENS) {
      for (const theme of THEMES) {
        if (!walked(language, screen, theme)) continue;
        for (const p of PAGES) {
          if (only && !only.has(p.name)) continue;
          const s = await sessionFor(p.perm);
          if (!s) {
            problems.push(`${p.name}: no demo role may open it (${p.perm})`);
            continue;
          }
          const at = `${language} ${screen.name} ${theme}`;
          if (s.at !== at) {
            await useLanguage(s, language);
            await s.page.setViewportSize(screen);
            await s.page.emulateMedia({ colorScheme: theme });
            s.at = at;
          }
          try {
            await open(s.page, p.hash(keys));
          } catch (e) {
            problems.push(`${p.name} (${s.role}) ${screen.name} ${theme}: did not open: ${e.message.split('\n')[0]}`);
            continue;
          }
          const shown = await s.page.evaluate(() => document.documentElement.dataset.theme);
          if (shown !== theme) problems.push(`${p.name} ${screen.name} ${theme}: shows the ${shown} theme`);
          for (const found of await check(s.page)) {
            problems.push(`${p.name} (${s.role}) ${language} ${screen.name} ${theme}: ${found}`);
          }
          visits++;
        }
      }
    }
  }
  for (const s of sessions) {
    for (const e of s.errors) problems.push(`${s.role}: page error ${e}`);
  }
  console.log(`${visits} page visits in ${Math.round((Date.now() - started) / 1000)} s`);
  for (const s of sessions) if (s !== admin) await s.context.close();
  assert.deepEqual(problems, [], `problems on the pages:\n${problems.join('\n')}`);
});

test('kiosk: no menus, "connection lost" while the server is away, back by itself; a display token needs no login', { timeout: 120_000 }, async () => {
  const admin = adminSession ?? (await loginAs('admin'));
  const { page } = admin;
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(page, '#/?kiosk=1');
  await page.waitForSelector('[data-testid="kiosk-bar"]');
  assert.equal(await page.locator('header.bar').count(), 0, 'no top bar, no menus');
  assert.equal(await page.locator('[data-testid="logout"]').count(), 0, 'no logout');
  await page.waitForSelector('.floor [data-testid="machine-tile"]');
  const grid = await page.evaluate(() => {
    const g = document.querySelector('[data-testid="overview-grid"]').getBoundingClientRect();
    return { bottom: g.bottom, cols: document.querySelector('[data-testid="overview-grid"]').dataset.cols };
  });
  assert.ok(grid.cols !== '', 'the tiles share the screen');
  assert.ok(grid.bottom <= 1080, `the tiles fit the screen (bottom at ${grid.bottom})`);
  await page.screenshot({ path: join(SHOTS, 'kiosk-overview-1920-dark.png') });

  // A display's token: the board, without any login, for one machine on a machine page.
  const created = await page.evaluate(async () => {
    const r = await fetch('/api/displays', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Plantlog-Request': '1' },
      body: JSON.stringify({ name: 'Kiosk e2e', machines: [], cycle_s: 0 }),
    });
    return r.json();
  });
  const machines = await page.evaluate(async () => (await (await fetch('/api/overview')).json()).machines.map((m) => m.key));
  const tv = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const tvPage = await tv.newPage();
  await tvPage.goto(`${demo.url}#/?kiosk=1&t=${created.token}`);
  await tvPage.waitForSelector('[data-testid="andon-tile"]', { timeout: 15_000 });
  assert.equal(await tvPage.locator('[data-testid="login-form"]').count(), 0);
  await tvPage.goto(`${demo.url}#/machines/${encodeURIComponent(machines[0])}?kiosk=1&t=${created.token}`);
  await tvPage.waitForFunction(
    (key) => {
      const tiles = document.querySelectorAll('[data-testid="andon-tile"]');
      return tiles.length === 1 && tiles[0].getAttribute('data-key') === key;
    },
    machines[0],
    { timeout: 15_000 },
  );
  await tv.close();

  // The server away (frozen: the live stream goes silent, requests hang); the overlay
  // says so over the whole screen, and goes by itself when the server is back.
  child.kill('SIGSTOP');
  try {
    await page.waitForSelector('[data-testid="connection-lost-overlay"]', { timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'kiosk-connection-lost.png') });
  } finally {
    child.kill('SIGCONT');
  }
  await page.waitForSelector('[data-testid="connection-lost-overlay"]', { state: 'detached', timeout: 30_000 });
  assert.equal(await page.locator('[data-testid="login-form"]').count(), 0, 'still logged in');
  assert.equal(await page.locator('[data-testid="kiosk-bar"]').count(), 1, 'still the kiosk');
  await admin.context.close();
});

test('the theme chosen on the Account page holds at once and after logout and login', { timeout: 60_000 }, async () => {
  const s = await loginAs('operator');
  const { page } = s;
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page, '#/account');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light', 'the system setting first');
  await page.check('[data-testid="theme-dark"]');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.click('[data-testid="logout"]');
  await page.waitForSelector('[data-testid="login-form"]');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the login page too');
  await page.fill('#login-user', demo.users.operator.username);
  await page.fill('#login-password', demo.users.operator.password);
  await page.click('[data-testid="login-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="logout"]', { timeout: 15_000 });
  await open(page, '#/account');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.ok(await page.isChecked('[data-testid="theme-dark"]'));
  // Another computer (a browser with nothing stored): the choice is the user's, kept by
  // the server, so it is dark there too after login.
  const other = await loginAs('operator');
  await other.page.emulateMedia({ colorScheme: 'light' });
  await open(other.page, '#/account');
  assert.equal(await other.page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'saved on the server');
  await other.context.close();
  // Back to the computer's setting: light again.
  await page.check('[data-testid="theme-system"]');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
