// End-to-end test of quality checks and material traceability (issue 15) against the real
// core: starts `$PLANTLOG_BIN demo` on a free port with a fresh data folder (as
// demo.test.mjs does) and drives Debian's chromium through playwright-core. Stores
// receives a material lot and issues it to a machine; the operator starts a lot on the
// tablet (768x1024) and enters a check with a value out of spec; quality gives it a
// disposition; the lot page shows the material, the supplier lot, the checks with the
// disposition, the people and the machine's trend; the SPC page draws the demo's checks.
// Screenshots go to $PLANTLOG_SHOTS (default ui/e2e/shots).
//
//   PLANTLOG_BIN=/path/to/plantlog node --test e2e/quality.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startDemo } from './harness.mjs';

const BIN = process.env.PLANTLOG_BIN;
const SHOTS = resolve(process.env.PLANTLOG_SHOTS || fileURLToPath(new URL('./shots', import.meta.url)));

let browser = null;
let demo = null;

before(async () => {
  assert.ok(BIN, 'set PLANTLOG_BIN to the plantlog binary, e.g. target/debug/plantlog');
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo(BIN, { prefix: 'plantlog-e2e-quality-' });
  browser = await launchChromium();
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    demo?.stop();
  }
});

async function loginAs(role, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(demo.url);
  await page.waitForSelector('[data-testid="login-form"]');
  await page.fill('#login-user', demo.users[role].username);
  await page.fill('#login-password', demo.users[role].password);
  await page.click('[data-testid="login-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="logout"]', { timeout: 15_000 });
  return { context, page, pageErrors };
}

const apiGet = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

test('stores receives and issues, the operator checks, quality dispositions, the lot page tells it all', { timeout: 240_000 }, async () => {
  // Stores receives a lot of steel sheet and issues part of it to the packing line.
  const stores = await loginAs('stores', { width: 1920, height: 1080 });
  await stores.page.click('[data-testid="nav-stores"]');
  await stores.page.waitForSelector('[data-testid="receive-form"]');
  await stores.page.fill('[data-testid="rcv-code"]', 'ML-E2E-1');
  await stores.page.selectOption('[data-testid="rcv-material"]', 'ST-2MM');
  await stores.page.fill('[data-testid="rcv-supplier"]', 'Nordstahl GmbH');
  await stores.page.fill('[data-testid="rcv-supplier-lot"]', 'NS-E2E-4711');
  await stores.page.fill('[data-testid="rcv-quantity"]', '400');
  await stores.page.fill('[data-testid="rcv-cert"]', '3.1-4711');
  await stores.page.click('[data-testid="rcv-save"]');
  await stores.page.waitForSelector('[data-testid="mlot-ML-E2E-1"]');
  assert.match(await stores.page.textContent('[data-testid="stores-notice"]'), /Received 400 kg/);
  await stores.page.screenshot({ path: join(SHOTS, 'quality-stores-receiving.png') });

  // The operator starts a lot on the packing line on the tablet.
  const op = await loginAs('operator', { width: 768, height: 1024 });
  await op.page.click('[data-testid="nav-quality"]');
  await op.page.waitForSelector('[data-testid="due-pack-1"] [data-testid="lot-code"]');
  await op.page.fill('[data-testid="due-pack-1"] [data-testid="lot-code"]', 'E2E-1');
  await op.page.selectOption('[data-testid="due-pack-1"] [data-testid="lot-product"]', 'BRK-100');
  await op.page.click('[data-testid="due-pack-1"] [data-testid="start-lot"]');
  await op.page.waitForSelector('[data-testid="due-pack-1"] [data-testid="lot-link"]');

  // Stores issues the steel to the packing line: the move names the running lot.
  await stores.page.fill('[data-testid="mv-lot"]', 'ML-E2E-1');
  await stores.page.waitForSelector('[data-testid="mv-recognised"]');
  await stores.page.selectOption('[data-testid="mv-kind"]', 'issue');
  await stores.page.selectOption('[data-testid="mv-machine"]', 'pack-1');
  await stores.page.fill('[data-testid="mv-quantity"]', '120');
  await stores.page.click('[data-testid="mv-save"]');
  await stores.page.waitForFunction(() =>
    /production lot E2E-1/.test(document.querySelector('[data-testid="stores-notice"]')?.textContent ?? ''),
  );
  // More than is on hand is refused with what is on hand.
  await stores.page.fill('[data-testid="mv-lot"]', 'ML-E2E-1');
  await stores.page.fill('[data-testid="mv-quantity"]', '500');
  await stores.page.click('[data-testid="mv-save"]');
  await stores.page.waitForSelector('[data-testid="stores-error"]');
  assert.match(await stores.page.textContent('[data-testid="stores-error"]'), /has 280 kg on hand/);

  // The operator enters the checks: burr free passes, the hole is out of spec.
  const products = await apiGet(op.page, '/api/quality/products');
  const plan = products.find((p) => p.code === 'BRK-100').characteristics;
  const hole = plan.find((c) => c.name === 'Hole diameter').id;
  const burr = plan.find((c) => c.name === 'Burr free').id;
  const card = '[data-testid="due-pack-1"]';
  await op.page.click(`${card} [data-testid="pass-${burr}"]`);
  await op.page.waitForFunction(() => /Burr free: pass/.test(document.querySelector('[data-testid="quality-notice"]')?.textContent ?? ''));
  await op.page.fill(`${card} [data-testid="value-${hole}"]`, '10.09');
  await op.page.screenshot({ path: join(SHOTS, 'quality-operator-entry-768.png') });
  // By keyboard (Enter in the field): a click could land elsewhere if the list above
  // grows at that moment (the demo's simulated people enter checks meanwhile).
  await op.page.press(`${card} [data-testid="value-${hole}"]`, 'Enter');
  // The result, or the page's error (said in the failure, so a refusal is not a timeout).
  await op.page.waitForFunction(
    () =>
      /OUT OF SPEC/.test(document.querySelector('[data-testid="quality-notice"]')?.textContent ?? '') ||
      document.querySelector('p.error[role="alert"]') !== null,
  );
  const refused = await op.page.locator('p.error[role="alert"]').allTextContents();
  assert.deepEqual(refused, [], `the check was refused: ${refused.join(' ')} (typed: ${await op.page.inputValue(`${card} [data-testid="value-${hole}"]`)})`);
  await op.page.waitForSelector('[data-testid="open-results"]');
  await op.page.screenshot({ path: join(SHOTS, 'quality-operator-out-of-spec-768.png') });
  // The operator may not give a disposition.
  assert.equal(await op.page.locator('[data-testid="dispo-open"]').count(), 0);

  // Quality gives the out-of-spec result its disposition.
  const lot = await apiGet(op.page, '/api/quality/lots/E2E-1');
  const bad = lot.checks.find((c) => !c.in_spec);
  assert.ok(bad, 'an out-of-spec check');
  const qa = await loginAs('quality');
  await qa.page.click('[data-testid="nav-quality"]');
  await qa.page.waitForSelector(`[data-testid="open-${bad.id}"]`);
  await qa.page.click(`[data-testid="open-${bad.id}"] [data-testid="dispo-open"]`);
  await qa.page.selectOption(`[data-testid="open-${bad.id}"] [data-testid="dispo-kind"]`, 'accept_deviation');
  await qa.page.click(`[data-testid="open-${bad.id}"] [data-testid="dispo-save"]`);
  // Without a comment it is refused at once.
  await qa.page.waitForSelector('[role="alert"]');
  assert.match(await qa.page.textContent('[role="alert"]'), /needs a comment/);
  await qa.page.fill(`[data-testid="open-${bad.id}"] [data-testid="dispo-comment"]`, 'customer deviation D-7');
  await qa.page.click(`[data-testid="open-${bad.id}"] [data-testid="dispo-save"]`);
  await qa.page.waitForFunction((id) => !document.querySelector(`[data-testid="open-${id}"]`), bad.id);

  // The lot page shows all of it, with the machine's trend during the lot.
  const mgmt = await loginAs('management', { width: 1920, height: 1080 });
  await mgmt.page.goto(`${demo.url}#/lots/E2E-1`);
  await mgmt.page.waitForSelector('[data-testid="lot-summary"]');
  const materials = await mgmt.page.textContent('[data-testid="lot-materials"]');
  assert.match(materials, /NS-E2E-4711/);
  assert.match(materials, /120 kg/);
  const checks = await mgmt.page.textContent('[data-testid="lot-checks"]');
  assert.match(checks, /10\.09 mm\s*out of spec/);
  assert.match(checks, /Accept under deviation by quality: customer deviation D-7/);
  assert.match(await mgmt.page.textContent('[data-testid="lot-people"]'), /operator/);
  await mgmt.page.waitForSelector('[data-testid="lot-trends"]');
  await mgmt.page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="lot-trends"] [data-points]')].some((el) => Number(el.getAttribute('data-points')) > 0),
    undefined,
    { timeout: 20_000 },
  );
  await mgmt.page.screenshot({ path: join(SHOTS, 'quality-lot-story.png'), fullPage: true });
  // The story as a PDF for a customer, from the button on the page.
  const [pdf] = await Promise.all([mgmt.page.waitForEvent('download'), mgmt.page.click('[data-testid="lot-story-pdf"]')]);
  assert.equal(pdf.suggestedFilename(), 'lot-E2E-1.pdf');
  const pdfBytes = readFileSync(await pdf.path());
  assert.equal(pdfBytes.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdfBytes.length > 20_000, `a PDF of ${pdfBytes.length} bytes`);

  // The reverse: the supplier lot leads to the production lot.
  await mgmt.page.goto(`${demo.url}#/lots/NS-E2E-4711`);
  await mgmt.page.waitForSelector('[data-testid="reverse-trace"]');
  assert.match(await mgmt.page.textContent('[data-testid="reverse-trace"]'), /E2E-1/);

  // SPC of the hole diameter from the demo's checks.
  await mgmt.page.goto(`${demo.url}#/spc/${hole}`);
  await mgmt.page.waitForSelector('[data-testid="spc-individuals"] canvas', { timeout: 15_000 });
  assert.ok(Number(await mgmt.page.getAttribute('[data-testid="spc-individuals"]', 'data-points')) > 20);
  assert.match(await mgmt.page.textContent('[data-testid="spc-cpk"]'), /\d/);
  await mgmt.page.screenshot({ path: join(SHOTS, 'quality-spc-1920.png'), fullPage: true });

  // X-bar/R of subgroups of 3, then limits from a baseline of the first half of the range.
  await mgmt.page.selectOption('[data-testid="spc-subgroup"]', '3');
  await mgmt.page.waitForSelector('[data-testid="spc-xbar"] canvas', { timeout: 15_000 });
  await mgmt.page.waitForSelector('[data-testid="spc-r"] canvas');
  assert.ok(Number(await mgmt.page.getAttribute('[data-testid="spc-xbar-r"]', 'data-subgroups')) > 3);
  const fullLimits = await mgmt.page.textContent('[data-testid="spc-xbar-limits"]');
  assert.match(fullLimits, /UCL \d/);
  await mgmt.page.screenshot({ path: join(SHOTS, 'quality-spc-xbar-r-1920.png'), fullPage: true });
  await mgmt.page.click('[data-testid="spc-baseline-from"]');
  const from = await mgmt.page.inputValue('[data-testid="spc-baseline-from"]');
  // in the user's locale (en-GB: "28/11/2026 06:00"); ISO is typed below, read in every language
  assert.match(from, /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4} \d{2}:\d{2}( [AP]M)?$/, 'the inputs start from the range shown');
  // The demo's checks are of the last day and a half: a baseline of its first 14 hours.
  const spcTimes = await mgmt.page.evaluate(async (id) => {
    const r = await fetch(`/api/quality/spc/${id}`);
    return (await r.json()).points.map((p) => p.at);
  }, hole);
  const first = Math.min(...spcTimes);
  const iso = (ms) => {
    const d = new Date(ms);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  };
  await mgmt.page.fill('[data-testid="spc-baseline-from"]', iso(first - 3_600_000));
  await mgmt.page.fill('[data-testid="spc-baseline-to"]', iso(first + 14 * 3_600_000));
  await mgmt.page.click('[data-testid="spc-baseline-apply"]');
  await mgmt.page.waitForFunction(
    (before) => document.querySelector('[data-testid="spc-xbar-limits"]')?.textContent !== before,
    fullLimits,
    { timeout: 15_000 },
  );
  assert.doesNotMatch(await mgmt.page.textContent('[data-testid="spc-page"]'), /must end after/);
  await mgmt.page.screenshot({ path: join(SHOTS, 'quality-spc-baseline-1920.png'), fullPage: true });

  for (const s of [stores, op, qa, mgmt]) {
    assert.deepEqual(s.pageErrors, []);
    await s.context.close();
  }
});
