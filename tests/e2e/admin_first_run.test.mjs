// SPDX-License-Identifier: MIT
// What `make run` gives: init's first Global Administrator, security
// defaults on (init's default), signs in to the admin portal for the first
// time in a real browser: an authenticator app must be registered (an
// administrator cannot skip it under security defaults), then the one-time
// password changed, then the portal opens having done MFA. A second
// sign-in asks for a code again (security defaults: administrators do MFA
// at every sign-in), and the legacy endpoint is blocked (530035).
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { base, closeAll, earlyInStep, newContext, oath, portal, tenant, tgJson,
         watch } from './admin_lib.mjs';

after(closeAll);

const upn = process.env.TG_ADMIN_UPN;
const NEW_PASSWORD = 'First-Run-Passw0rd!';

test('the first administrator registers an app, changes the password and reaches the portal', async () => {
  assert.match(tgJson(['security-defaults', 'show']).isEnabled ? 'on' : 'off', /on/);
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await page.goto(portal);
  await page.waitForSelector('#p-password:not([hidden])');
  await page.fill('#username', upn);
  await page.fill('#password', process.env.TG_ADMIN_PASSWORD);
  await page.press('#password', 'Enter');
  // registration first (the flow's order: the second factor, then the
  // password change a one-time password requires; signin-flow.md)
  await page.waitForSelector('#p-register:not([hidden])');
  assert.equal(await page.isVisible('#skip'), false, 'an administrator cannot skip registration');
  await page.click('#reg-app');
  await page.waitForSelector('#f-reg-app:not([hidden])');
  const key = (await page.textContent('#manual-key')).replace(/\s+/g, '');
  await earlyInStep();
  await page.fill('#reg-app-code', oath(key));
  await page.press('#reg-app-code', 'Enter');
  await page.waitForSelector('#p-passwordChange:not([hidden])');
  await page.fill('#pw-current', process.env.TG_ADMIN_PASSWORD);
  await page.fill('#pw-new', NEW_PASSWORD);
  await page.fill('#pw-confirm', NEW_PASSWORD);
  await page.press('#pw-confirm', 'Enter');
  await page.waitForURL((u) => u.pathname === `/${tenant}/admin/`, { timeout: 15000 });
  await page.waitForSelector('.page--home .alert--ok');        // signed in with MFA
  assert.match(await page.textContent('.page--home'), /Global Administrator/);
  assert.deepEqual(problems.filter((p) => !/401|Failed to load resource/.test(p)), []);

  // a new browser: the password, then a code again
  const ctx2 = await newContext();
  const page2 = await ctx2.newPage();
  await page2.goto(portal);
  await page2.waitForSelector('#p-password:not([hidden])');
  await page2.fill('#username', upn);
  await page2.fill('#password', NEW_PASSWORD);
  await page2.press('#password', 'Enter');
  await page2.waitForSelector('#p-mfa:not([hidden])');
  await new Promise((r) => setTimeout(r, 31000 - (Date.now() % 30000)));  // a fresh step
  await page2.fill('#mfa-code', oath(key));
  await page2.press('#mfa-code', 'Enter');
  await page2.waitForSelector('#nav:not([hidden])');

  // legacy authentication is blocked under security defaults
  const res = await fetch(`${base}/${tenant}/legacy/basic`, {
    headers: { Authorization: `Basic ${Buffer.from(`${upn}:${NEW_PASSWORD}`).toString('base64')}` },
  });
  assert.equal(res.status, 403);
  assert.match(JSON.stringify(tgJson(['signins', 'list', '--user', upn, '--limit', '1'])), /530035/);
});
