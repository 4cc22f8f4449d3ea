// The data passport and the SPC baseline in the user's language (issue 18): the passport
// page's answers, its Markdown and its PDF say German and Chinese (no English answer, no
// message id, the data as it is), the SPC page's baseline inputs show the German date
// order, and the pages are photographed at 1920x1080.
//
//   PLANTLOG_BIN=/path/to/plantlog node --test e2e/passport.test.mjs
// PLANTLOG_SHOTS=dir saves the screenshots and the German PDF there.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startDemo, totp } from './harness.mjs';

const BIN = process.env.PLANTLOG_BIN;
const SHOTS = resolve(process.env.PLANTLOG_SHOTS || fileURLToPath(new URL('./shots', import.meta.url)));

let browser = null;
let demo = null;

before(async () => {
  assert.ok(BIN, 'set PLANTLOG_BIN to the plantlog binary, e.g. target/debug/plantlog');
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo(BIN, { prefix: 'plantlog-e2e-pp-' });
  browser = await launchChromium();
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    demo?.stop();
  }
});

/** Logs `role` in at 1920x1080 (a second factor set up when asked for). */
async function loginAs(role) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
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
  return { context, page };
}

/** The user's own language, saved as the Account page does, and the app loaded in it. */
async function useLanguage(page, language, hash) {
  const status = await page.evaluate(async (l) => {
    const r = await fetch('/api/me/preferences', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-Plantlog-Request': '1' },
      body: JSON.stringify({ language: l }),
    });
    return r.status;
  }, language);
  assert.equal(status, 200);
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await page.reload();
  await page.waitForSelector('[data-testid="logout"]', { timeout: 15_000 });
}

test('the passport speaks German and Chinese, on the page, in Markdown and in the PDF', async () => {
  const { context, page } = await loginAs('management');
  const english = await page.evaluate(async () => (await fetch('/api/passport')).json());
  const englishValues = english.sections.flatMap((s) => s.facts.map((f) => f.value));
  for (const [language, notConfigured, title] of [
    ['de', 'nicht eingerichtet', 'Datenpass'],
    ['zh', '未配置', '数据护照'],
  ]) {
    await useLanguage(page, language, '#/passport');
    await page.waitForSelector('[data-testid="fact-collected-quality"]', { timeout: 15_000 });
    assert.equal((await page.textContent('[data-testid="fact-collected-quality"] span')).trim(), notConfigured);
    const text = await page.textContent('[data-testid="passport-page"]');
    for (const phrase of ['not configured', 'last login', 'every poll', 'Plantlog makes no network connection']) {
      assert.ok(!text.includes(phrase), `${language}: "${phrase}" is English on the page`);
    }
    // the data stays as it is: the database file's path
    const db = english.sections.find((s) => s.key === 'stored').facts.find((f) => f.key === 'database').value;
    assert.ok(text.includes(db), `${language}: the path ${db}`);
    const missing = await page.evaluate(() => globalThis.__plantlogMissingKeys ?? []);
    assert.deepEqual(missing, []);
    await page.screenshot({ path: join(SHOTS, `passport-${language}-1920.png`), fullPage: false });
    await page.screenshot({ path: join(SHOTS, `passport-${language}-1920-full.png`), fullPage: true });

    const md = await page.evaluate(async () => (await fetch('/api/passport.md')).text());
    assert.ok(md.startsWith(`# ${title}: `) || md.startsWith(`# ${title}：`), md.slice(0, 80));
    const ids = md.split('\n').filter((l) => /passport-[a-z]/.test(l.replace(/plantlog-data-passport-/g, '')));
    assert.deepEqual(ids, [], `${language}: a message id in the Markdown`);
    assert.ok(!md.includes('not configured') && !md.includes('last login'), `${language}: English in the Markdown`);
    assert.ok(englishValues.filter((v) => md.includes(`| ${v} |`) && /[a-z]{4}/.test(v)).length < 3, 'answers are translated');
    if (language === 'de') {
      const pdf = await page.evaluate(async () => {
        const r = await fetch('/api/passport.pdf');
        return { status: r.status, bytes: [...new Uint8Array(await r.arrayBuffer())] };
      });
      assert.equal(pdf.status, 200);
      writeFileSync(join(SHOTS, 'passport-de.pdf'), Buffer.from(pdf.bytes));
      writeFileSync(join(SHOTS, 'passport-de.md'), md);
    }
  }
  await context.close();
});

test('the SPC baseline inputs show and read the German date order', async () => {
  const { context, page } = await loginAs('management');
  const products = await page.evaluate(async () => (await fetch('/api/quality/products')).json());
  const spc = products.flatMap((p) => p.characteristics).find((c) => c.kind !== 'attribute' && c.name !== 'Burr free');
  await useLanguage(page, 'de', `#/spc/${spc.id}`);
  await page.waitForSelector('[data-testid="spc-baseline-from"]', { timeout: 15_000 });
  await page.click('[data-testid="spc-baseline-from"]');
  const from = await page.inputValue('[data-testid="spc-baseline-from"]');
  assert.match(from, /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/, from);
  const placeholder = await page.getAttribute('[data-testid="spc-baseline-to"]', 'placeholder');
  assert.match(placeholder, /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/, placeholder);
  // a baseline typed the German way is read: no error after computing
  const to = await page.inputValue('[data-testid="spc-baseline-to"]');
  await page.fill('[data-testid="spc-baseline-to"]', to);
  await page.click('[data-testid="spc-baseline-apply"]');
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('p.error[role="alert"]').count(), 0, 'the German baseline is read');
  await page.fill('[data-testid="spc-baseline-to"]', '31.02.2026 06:00');
  await page.click('[data-testid="spc-baseline-apply"]');
  await page.waitForSelector('p.error[role="alert"]', { timeout: 5_000 });
  await page.fill('[data-testid="spc-baseline-to"]', to);
  await page.click('[data-testid="spc-baseline-apply"]');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(SHOTS, 'spc-de-1920.png'), fullPage: false });
  await context.close();
});
