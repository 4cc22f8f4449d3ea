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

export const USER_LINE = /^\s+(operator|supervisor|maintenance|quality|stores|management|admin)\s+(\S+)\s+(\S+)\s*$/;
export const URL_LINE = /running at (http:\/\/\S+)/;

/**
 * Starts `bin demo` (English on the command line, whatever PLANTLOG_LANG says) on a new
 * data folder named after `prefix`, and resolves once it has printed its address and
 * the users of `roles`: { url, users: { role: { username, password } }, child, dataDir,
 * output(), stop() }. `env` is added to the demo's environment.
 */
export function startDemo(bin, { prefix = 'plantlog-e2e-', roles = ['admin'], env = {}, timeoutMs = 60_000 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const child = spawn(bin, ['demo', '--lang', 'en', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
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
      if (url && roles.every((r) => users[r])) {
        clearTimeout(timer);
        ok({ url, users, child, dataDir, output: () => output, stop });
      }
    });
    child.stderr.on('data', (d) => (output += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the demo exited (${code ?? signal}):\n${output}`));
    });
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
