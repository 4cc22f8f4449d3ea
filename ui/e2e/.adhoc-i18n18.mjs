// Ad-hoc screenshots (not a test): pages in German, Spanish and Chinese.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
const BIN = process.env.PLANTLOG_BIN, OUT = process.env.OUT;
const dir = mkdtempSync(join(tmpdir(), 'i18n18-adhoc-'));
const child = spawn(BIN, ['demo', '--data-dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const users = {}; let url = null;
await new Promise((res) => {
  createInterface({ input: child.stdout }).on('line', (l) => {
    const u = /running at (http:\/\/\S+)/.exec(l); if (u) url = u[1].replace(/\/?$/, '/');
    const m = /^\s+(operator|supervisor|maintenance|quality|stores|management|admin)\s+(\S+)\s+(\S+)\s*$/.exec(l);
    if (m) users[m[1]] = { u: m[2], p: m[3] };
    if (url && users.supervisor && users.operator) res();
  });
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
async function as(role, lang, shots, viewport = { width: 1280, height: 800 }) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  const errors = []; page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.fill('#login-user', users[role].u); await page.fill('#login-password', users[role].p);
  await page.click('[data-testid="login-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="nav-overview"], [data-testid="operator-view"]', { timeout: 15000 });
  await page.evaluate(async (l) => { await fetch('/api/me/preferences', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: l }) }); }, lang);
  for (const [hash, name, sel] of shots) {
    await page.goto(url + hash); await page.reload();
    await page.waitForSelector(sel, { timeout: 15000 }); await page.waitForTimeout(1500);
    await page.screenshot({ path: join(OUT, name), fullPage: true });
  }
  const missing = await page.evaluate(() => globalThis.__plantlogMissingKeys ?? null);
  console.log(role, lang, 'missing:', missing, 'errors:', errors);
  await page.evaluate(async () => { await fetch('/api/me/preferences', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"language":null}' }); });
  await ctx.close();
}
await as('supervisor', 'de', [['#/shift', 'shift-de.png', '[data-testid="shift-machine"]'], ['#/production', 'production-de.png', '[data-testid="figure-oee"]'], ['#/production-help', 'help-de.png', '[data-testid="production-help"]'], ['#/trends', 'trends-de.png', '[data-testid="add-tags"]']]);
await as('operator', 'es', [['#/operator', 'operator-es.png', '[data-testid="operator-view"] h1']], { width: 768, height: 1024 });
await as('supervisor', 'zh', [['#/shift', 'shift-zh.png', '[data-testid="shift-machine"]'], ['#/production', 'production-zh.png', '[data-testid="figure-oee"]']], { width: 1920, height: 1080 });
await browser.close(); child.kill('SIGTERM');
