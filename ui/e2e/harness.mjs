// What the end-to-end tests share: the demo plant started on a throwaway data folder and a
// free port (its address and users read from the banner it prints), stopped and removed
// at the end; and the TOTP code of a second factor's secret, as an authenticator app
// makes it.

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

/** The demo's users, one a line of its banner: "  role  username  password". */
const ROLES = ['operator', 'supervisor', 'maintenance', 'quality', 'stores', 'management', 'admin'];
const USER_LINE = new RegExp(`^\\s+(${ROLES.join('|')})\\s+(\\S+)\\s+(\\S+)\\s*$`);
const URL_LINE = /running at (http:\/\/\S+)/;

/**
 * Starts `bin demo` (English on the command line, whatever PLANTLOG_LANG says) on a new
 * data folder named after `prefix`, and resolves once it has printed its address and
 * all seven demo users: { url, users: { role: { username, password } }, child, dataDir,
 * output(), stop() }. `env` is added to the demo's environment.
 */
export function startDemo(bin, { prefix = 'plantlog-e2e-', env = {}, timeoutMs = 60_000 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const child = spawn(bin, ['demo', '--lang', 'en', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  // SIGTERM for a clean stop; SIGKILL if it has not ended 3 s later.
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, 3000).unref();
    }
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  process.on('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((ok, fail) => {
    let url = null;
    const users = {};
    const timer = setTimeout(() => fail(new Error(`the demo did not start in time:\n${output}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += line + '\n';
      const u = URL_LINE.exec(line);
      if (u && !url) url = u[1].endsWith('/') ? u[1] : u[1] + '/';
      const m = USER_LINE.exec(line);
      if (m) users[m[1]] = { username: m[2], password: m[3] };
      if (url && ROLES.every((r) => users[r])) {
        clearTimeout(timer);
        ok({ url, users, child, dataDir, output: () => output, stop });
      }
    });
    child.stderr.on('data', (d) => (output += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the demo exited (${code ?? signal}):\n${output}`));
    });
  });
}

/** Debian's chromium (or CHROMIUM_PATH), headless, with `extra` switches beside the usual ones. */
export function launchChromium(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', ...extra],
  });
}

/** RFC 4648 base32 to bytes. */
export function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/=+$/, '').toUpperCase()) bits += abc.indexOf(c).toString(2).padStart(5, '0');
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

/**
 * The TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) of a base32 secret at time step
 * `step` (default: now's).
 */
export function totp(secret, step = Math.floor(Date.now() / 30_000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32(secret)).update(counter).digest();
  const off = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
