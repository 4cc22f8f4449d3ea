// End-to-end test against the real core: starts `$PLANTLOG_BIN demo` on a free port with
// a fresh data folder, drives Debian's chromium through playwright-core, and takes
// screenshots into $PLANTLOG_SHOTS (default ui/e2e/shots).
//
//   PLANTLOG_BIN=/path/to/plantlog npm run e2e

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BIN = process.env.PLANTLOG_BIN;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = resolve(
  process.env.PLANTLOG_SHOTS || fileURLToPath(new URL('./shots', import.meta.url)),
);
const START_TIMEOUT_MS = 60_000;

const USER_LINE = /^\s+(operator|supervisor|maintenance|quality|stores|management|admin)\s+(\S+)\s+(\S+)\s*$/;
const URL_LINE = /running at (http:\/\/\S+)/;

let child = null;
let dataDir = null;
let browser = null;
let output = '';

function stopChild() {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const c = child;
    setTimeout(() => {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }, 3000).unref();
  }
}

// Also on a crash of the test process itself.
process.on('exit', () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the demo and resolves with its URL and users once both are printed. */
function startDemo() {
  return new Promise((resolveStart, rejectStart) => {
    dataDir = mkdtempSync(join(tmpdir(), 'plantlog-e2e-'));
    child = spawn(BIN, ['demo', '--data-dir', dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let url = null;
    const users = {};
    const timer = setTimeout(
      () => rejectStart(new Error(`the demo did not print its URL and users in time:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      if (url && users.supervisor) {
        clearTimeout(timer);
        resolveStart({ url, users });
      }
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += line + '\n';
      const u = URL_LINE.exec(line);
      if (u && !url) url = u[1].endsWith('/') ? u[1] : u[1] + '/';
      const m = USER_LINE.exec(line);
      if (m) users[m[1]] = { username: m[2], password: m[3] };
      check();
    });
    child.stderr.on('data', (d) => {
      output += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      rejectStart(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`the demo exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

let demo;

before(async () => {
  assert.ok(BIN, 'set PLANTLOG_BIN to the plantlog binary, e.g. target/debug/plantlog');
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo();
  const root = await fetch(demo.url);
  const html = await root.text();
  assert.ok(
    root.ok && html.includes('id="app"'),
    `the binary serves no web UI at ${demo.url} (${root.status}): ${html.slice(0, 200)}`,
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    stopChild();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }
});

test('a supervisor logs in, watches the plant, opens a machine and devices, logs out', { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  // Login page.
  await page.goto(demo.url);
  await page.waitForSelector('[data-testid="login-form"]');

  // A wrong password is refused with a clear message.
  await page.fill('#login-user', demo.users.supervisor.username);
  await page.fill('#login-password', 'definitely-wrong-password');
  await page.click('[data-testid="login-form"] button[type="submit"]');
  const loginError = await page.waitForSelector('[data-testid="login-error"]');
  assert.equal((await loginError.textContent()).trim(), 'Wrong username or password');

  await page.fill('#login-user', demo.users.supervisor.username);
  await page.fill('#login-password', demo.users.supervisor.password);
  await page.click('[data-testid="login-form"] button[type="submit"]');

  // Overview: one tile per machine the API lists.
  await page.waitForSelector('[data-testid="machine-tile"]', { timeout: 15_000 });
  const apiOverview = await page.evaluate(async () => {
    const r = await fetch('/api/overview');
    return r.json();
  });
  const expected = apiOverview.machines.length;
  assert.ok(expected >= 6, `the demo should have at least 6 machines, the API lists ${expected}`);
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="machine-tile"]').length === n,
    expected,
    { timeout: 10_000 },
  );
  assert.equal(await page.locator('[data-testid="machine-tile"]').count(), expected);

  // The supervisor sees Overview and Devices, not Users.
  assert.equal(await page.locator('[data-testid="nav-overview"]').count(), 1);
  assert.equal(await page.locator('[data-testid="nav-devices"]').count(), 1);
  assert.equal(await page.locator('[data-testid="nav-users"]').count(), 0);

  // Every tile's values change within 10 s (the time of its last update moves on).
  const snapshot = () =>
    page.$$eval('[data-testid="machine-tile"]', (tiles) =>
      tiles.map((t) => {
        const updated = t.querySelector('[data-testid="tile-updated"]');
        const count = t.querySelector('[data-testid="tile-count"]');
        return {
          key: t.getAttribute('data-key'),
          ms: updated?.getAttribute('data-ms') ?? '',
          count: count?.textContent ?? '',
        };
      }),
    );
  const first = await snapshot();
  await page.waitForFunction(
    (before) => {
      const tiles = [...document.querySelectorAll('[data-testid="machine-tile"]')];
      return tiles.every((t) => {
        const was = before.find((b) => b.key === t.getAttribute('data-key'));
        const ms = t.querySelector('[data-testid="tile-updated"]')?.getAttribute('data-ms') ?? '';
        const count = t.querySelector('[data-testid="tile-count"]')?.textContent ?? '';
        return was && (ms !== was.ms || count !== was.count);
      });
    },
    first,
    { timeout: 10_000 },
  );
  // Tiles show the machines' current values (highlights) as the API lists them, and a
  // machine without a state tag shows no state word (never a misleading "Unknown").
  const tilesNow = await page.evaluate(async () => (await (await fetch('/api/overview')).json()).machines);
  for (const m of tilesNow) {
    const tile = page.locator(`[data-testid="machine-tile"][data-key="${m.key}"]`);
    const shown = await tile.locator('[data-testid="tile-highlight"], [data-testid="tile-lead"]').count();
    assert.equal(shown, m.highlights.length, `${m.key}: one value per highlight`);
    if (m.status === 'ok' && m.state === null) {
      assert.equal((await tile.locator('[data-testid="state"]').textContent()).trim(), '', `${m.key}: no state word`);
    }
    if (m.count_unit === null) {
      assert.equal(await tile.locator('[data-testid="tile-count"]').count(), 0, `${m.key}: no count`);
    }
  }
  await page.mouse.move(1, 70); // no hover effect on a tile in the picture
  await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });

  // A machine page: a trend chart fills with data.
  const firstKey = first[0].key;
  await page.click(`[data-testid="machine-tile"][data-key="${firstKey}"]`);
  await page.waitForFunction(
    (key) => window.location.hash === `#/machines/${encodeURIComponent(key)}`,
    firstKey,
  );
  await page.waitForSelector('[data-testid="machine-name"]', { timeout: 10_000 });
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid^="trend-"][data-points]')].some(
        (el) => Number(el.getAttribute('data-points')) > 0,
      ),
    undefined,
    { timeout: 20_000 },
  );
  const machine = await page.evaluate(
    async (key) => (await fetch(`/api/machines/${encodeURIComponent(key)}`)).json(),
    firstKey,
  );
  // The state tag is a state timeline, the counter chart says the parts in view.
  const stateTag = machine.tags.find((t) => t.role === 'state');
  if (stateTag) {
    const timeline = page.locator(`[data-testid="trend-${stateTag.id}"]`);
    assert.equal(await timeline.getAttribute('data-chart'), 'state');
    await page.waitForSelector('[data-testid="state-legend"]', { timeout: 10_000 });
  }
  if (machine.tags.some((t) => t.role === 'count')) {
    const parts = await page.waitForSelector('[data-testid="parts-in-view"]', { timeout: 10_000 });
    assert.match((await parts.textContent()).trim(), /^[\d,]+ parts in view$/);
  }
  // Wait for a real line in the temperature trend before the picture.
  const temperature =
    machine.tags.find((t) => t.role === null && /temp/i.test(`${t.name} ${t.label}`)) ??
    machine.tags.find((t) => t.role === null);
  assert.ok(temperature, `${firstKey} has a measured value to chart`);
  await page.waitForFunction(
    (id) =>
      Number(document.querySelector(`[data-testid="trend-${id}"]`)?.getAttribute('data-points')) >= 10,
    temperature.id,
    { timeout: 30_000 },
  );
  // No hover effect from the click on the tile in the picture; give the canvas a frame
  // to paint.
  await page.mouse.move(1, 70);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(SHOTS, 'machine.png'), fullPage: true });

  // Devices page is open to a supervisor.
  await page.click('[data-testid="nav-devices"]');
  await page.waitForSelector('[data-testid="device-row"]', { timeout: 10_000 });
  assert.ok((await page.locator('[data-testid="device-row"]').count()) >= 1);
  await page.screenshot({ path: join(SHOTS, 'devices.png'), fullPage: true });

  // Log out: back on the login page, and the session is gone.
  await page.click('[data-testid="logout"]');
  await page.waitForSelector('[data-testid="login-form"]', { timeout: 10_000 });
  const status = await page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(status, 401);

  assert.deepEqual(pageErrors, [], 'the page threw errors');
  await context.close();
});
