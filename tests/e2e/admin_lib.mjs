// SPDX-License-Identifier: MIT
// Shared helpers for the admin portal tests: CLI access to the server's
// data directory, oathtool codes, and signing an administrator in to the
// portal (/{tenant}/admin/) through the real sign-in pages with a TOTP
// code, as the built-in public client with PKCE.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch } from './browser.mjs';

export const base = process.env.TG_URL;
export const tenant = 'default';
export const portal = `${base}/${tenant}/admin/`;
export const PASSWORD = 'Corr3ct-Horse-Battery';

// The tollgate CLI on the server's data directory; a failure's message
// carries what the command printed on standard error.
export function tg(args, input) {
  try {
    return execFileSync(process.env.TOLLGATE, ['--data', process.env.TG_DATA, ...args],
      { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    e.message = `tollgate ${args.join(' ')}: ${String(e.stderr || '').trim() || e.message}`;
    throw e;
  }
}
export function tgJson(args) {
  return JSON.parse(tg(['--json', ...args]));
}

// A TOTP code; offset in seconds from now.
export function oath(secret, offset = 0) {
  const args = ['--totp', '-b', secret];
  if (offset) args.push('-N', `now ${offset < 0 ? '-' : '+'} ${Math.abs(offset)} seconds`);
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}

// Wait until early in a 30 s TOTP step, so that a code computed now is
// still current when the browser submits it (the machine may be slow).
export async function earlyInStep() {
  const s = Math.floor(Date.now() / 1000) % 30;
  if (s > 20) await new Promise((r) => setTimeout(r, (31 - s) * 1000));
}

export function addUser(upn, { state = 'disabled', lang = '', mail = '' } = {}) {
  const args = ['user', 'add', upn, '--password-stdin'];
  if (lang) args.push('--locale', lang);
  if (mail) args.push('--email', mail);
  tg(args, `${PASSWORD}\n`);
  if (state !== 'disabled') tg(['mfa', 'set', state, upn]);
}

// An active authenticator app, activated with the previous step's code so
// the current one is unused.
export function addApp(upn) {
  const m = tgJson(['method', 'add-app', upn]);
  tg(['method', 'activate', upn, m.id, oath(m.secret, -30)]);
  return m.secret;
}

// An administrator with a role and an authenticator app; per-user MFA
// enforced. Returns the TOTP secret.
export function addAdmin(upn, role = 'global-admin', opts = {}) {
  addUser(upn, { state: 'enforced', ...opts });
  tg(['role', 'assign', upn, role]);
  return addApp(upn);
}

const contexts = [];
export async function newContext(opts) {
  const ctx = await launch(opts);
  contexts.push(ctx);
  return ctx;
}
export async function closeAll() {
  for (const c of contexts.splice(0)) await c.close();
}

// Console errors and page errors, collected for an assertion at the end.
export function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

// Open the portal and sign in: the portal sends the browser to /authorize,
// which shows the sign-in page; password, then the TOTP code; back at the
// portal with a token. Returns when the portal's menu is visible.
export async function signInToPortal(page, upn, secret, hash = '') {
  await page.goto(portal + hash);
  await page.waitForSelector('#p-password:not([hidden])');
  await page.fill('#username', upn);
  await page.fill('#password', PASSWORD);
  await earlyInStep();
  await page.press('#password', 'Enter');
  await page.waitForSelector('#p-mfa:not([hidden])');
  await page.fill('#mfa-code', oath(secret));
  await page.press('#mfa-code', 'Enter');
  await page.waitForURL((u) => u.pathname === `/${tenant}/admin/`, { timeout: 15000 });
  await page.waitForSelector('#nav:not([hidden])');
  await page.waitForSelector('#page > .page:not([aria-busy])');
}

// Opens a portal section by its hash (#/ca, #/signins?user=…) and waits
// until the new section has rendered whole (app.js clears aria-busy), so
// a read of the page's text never sees a half-drawn page or the old one.
export async function openSection(page, hash) {
  await page.evaluate(() => {
    const old = document.querySelector('#page > .page');
    if (old) old.setAttribute('data-stale', '');
  });
  await page.goto(portal + hash);
  await page.waitForSelector('#page > .page:not([aria-busy]):not([data-stale])');
}

// Polls fn (a plain function: CLI reads, files) every 250 ms until it
// returns something truthy, which is returned; fails after ms.
export async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
