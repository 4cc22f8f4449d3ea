// Screenshots of the sync card (plant) and the owner's page (central); see shoot.sh.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const W = process.env.W;
const BIN = process.env.BIN;
const OUT = '/work/notes/sync6-shots';
const CENTRAL = 'http://127.0.0.1:8797';
const USER_LINE = /^\s+(operator|supervisor|maintenance|quality|stores|management|admin)\s+(\S+)\s+(\S+)\s*$/;
const URL_LINE = /running at (http:\/\/\S+)/;
const kids = [];
process.on('exit', () => kids.forEach((k) => k.kill('SIGKILL')));

function demo(name, days) {
  return new Promise((ok, fail) => {
    const dir = `${W}/${name}`;
    const c = spawn(`${BIN}/plantlog`, ['demo', '--data-dir', dir, '--port', '0', '--history-days', String(days)], { stdio: ['ignore', 'pipe', 'ignore'] });
    kids.push(c);
    let url = null;
    const users = {};
    createInterface({ input: c.stdout }).on('line', (line) => {
      const u = URL_LINE.exec(line);
      if (u && !url) url = u[1].endsWith('/') ? u[1] : u[1] + '/';
      const m = USER_LINE.exec(line);
      if (m) users[m[1]] = { username: m[2], password: m[3] };
      if (line.startsWith('Stop with')) ok({ dir, url, users });
    });
    c.on('exit', (code) => fail(new Error(`demo ${name} exited ${code}`)));
  });
}

function connect(dir, site, tokenFile, classes) {
  const r = spawnSync(`${BIN}/plantlog`, ['--data-dir', dir, 'sync', 'connect', '--url', CENTRAL, '--site', site, '--token-file', tokenFile, '--classes', classes, '--interval-ms', '1000'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr + r.stdout);
}

async function login(browser, d) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(d.url);
  await page.waitForSelector('[data-testid="login-form"]');
  await page.fill('#login-user', d.users.maintenance.username);
  await page.fill('#login-password', d.users.maintenance.password);
  await page.click('[data-testid="login-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="logout"]', { timeout: 15_000 });
  return page;
}

async function card(page, d, file) {
  await page.goto(d.url + '#/storage');
  await page.waitForSelector('[data-testid="sync-classes-table"]', { timeout: 15_000 });
  await page.waitForTimeout(500);
  const el = await page.$('[data-testid="sync-status"]');
  await el.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${OUT}/${file}` });
  return (await el.textContent()).replace(/\s+/g, ' ');
}

const a = await demo('a', 3);
const b = await demo('b', 0.5);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
const pa = await login(browser, a);
const pb = await login(browser, b);
// Plant A: every class; shot while it catches up with 3 days, and once caught up.
connect(a.dir, 'plant-a', `${W}/token-a`, 'raw,rollups,production,audit,config');
await new Promise((r) => setTimeout(r, 3000));
console.log('A catching up:', await card(pa, a, 'plant-sync-catching-up.png'));
// Plant B: site B's name with site A's token: refused, parked.
connect(b.dir, 'plant-b', `${W}/token-a`, 'rollups,production,audit');
await new Promise((r) => setTimeout(r, 6000));
console.log('B parked:', await card(pb, b, 'plant-sync-parked.png'));
// Plant B with its own token.
connect(b.dir, 'plant-b', `${W}/token-b`, 'rollups,production,audit');
for (let i = 0; i < 120; i++) {
  const s = JSON.parse(spawnSync(`${BIN}/plantlog`, ['--data-dir', a.dir, 'sync', 'status'], { encoding: 'utf8' }).stdout);
  if (s.state === 'connected') break;
  await new Promise((r) => setTimeout(r, 2000));
}
await new Promise((r) => setTimeout(r, 3000));
console.log('A connected:', await card(pa, a, 'plant-sync-connected.png'));
// The owner's page.
const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, httpCredentials: { username: 'owner', password: 'owner password for shots' } });
const op = await ctx.newPage();
await op.goto(CENTRAL + '/');
await op.screenshot({ path: `${OUT}/central-owner-page.png`, fullPage: true });
console.log('owner page:', (await op.textContent('body')).replace(/\s+/g, ' ').slice(0, 3000));
await browser.close();
process.exit(0);
