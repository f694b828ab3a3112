// SPDX-License-Identifier: MIT
// The admin portal's shell in a real browser: an administrator signs in
// through Tollgate itself (built-in public client, PKCE, MFA by TOTP), sees
// who they are, their roles and that MFA was used; a user without a role
// is told so and the API refuses them; the portal's redirect URI cannot be
// bent to another page; signing out ends the session.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, after } from 'node:test';
import { addAdmin, addApp, addUser, base, closeAll, newContext, portal, signInToPortal, tenant, tg,
         tgJson, watch } from './admin_lib.mjs';

after(closeAll);

test('a Global Administrator signs in to the portal with MFA', async () => {
  const upn = 'gina.global@contoso.test';
  const secret = addAdmin(upn);
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret);
  await page.waitForSelector('.page--home:not([aria-busy]) h1');
  assert.match(await page.textContent('#me-name'), /gina\.global@contoso\.test/);
  assert.match(await page.textContent('.page--home'), /Global Administrator/);
  assert.ok(await page.isVisible('.page--home .alert--ok'), 'MFA was used');
  const nav = await page.textContent('#nav');
  for (const s of ['Users', 'Per-user MFA', 'Security defaults', 'Conditional Access', 'Sign-in logs']) {
    assert.ok(nav.includes(s), `menu has ${s}`);
  }
  // the token is kept for this tab only, never in the URL
  assert.ok(!page.url().includes('code='));
  // sign out ends the Tollgate session: with the ID token as hint the
  // server signs out at once and sends the browser back to the portal,
  // which has no token and must start a new sign-in (password again)
  await page.click('#sign-out');
  await page.waitForURL((u) => u.pathname === `/${tenant}/signin/`, { timeout: 15000 });
  await page.waitForSelector('#p-password:not([hidden])');
  await page.goto(portal);
  await page.waitForSelector('#p-password:not([hidden])');
  assert.deepEqual(problems.filter((p) => !/401|Failed to load resource/.test(p)), []);
});

test('a user without a directory role is told and gets nothing from the API', async () => {
  const upn = 'nora.norole@contoso.test';
  addUser(upn, { state: 'enforced' });
  const secret = addApp(upn);
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signInToPortal(page, upn, secret, '#/users');
  await page.waitForSelector('#status:not([hidden]), .page--users .alert--danger');
  const text = await page.textContent('#main');
  assert.match(text, /not allowed|Authorization_RequestDenied/);
  await page.goto(`${portal}#/`);
  await page.waitForSelector('.page--home .alert--warn');
  const nav = await page.textContent('#nav');
  assert.ok(!nav.includes('Conditional Access'), 'the menu hides sections the roles cannot use');
});

test('the portal client cannot be sent to another redirect URI', async () => {
  const q = new URLSearchParams({
    client_id: '7011a770-0000-4000-8000-000000000001', response_type: 'code',
    redirect_uri: `${base}/${tenant}/admin/evil`, scope: 'openid', state: 's',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  });
  const res = await fetch(`${base}/${tenant}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /AADSTS50011/);
  q.set('redirect_uri', `http://evil.test/${tenant}/admin/`);
  const res2 = await fetch(`${base}/${tenant}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
  assert.equal(res2.status, 400);
});

test('the portal in Swedish', async () => {
  const upn = 'sven.svensk@contoso.test';
  const secret = addAdmin(upn, 'global-reader', { lang: 'sv' });
  const ctx = await newContext({ locale: 'sv-SE' });
  const page = await ctx.newPage();
  await signInToPortal(page, upn, secret);
  await page.waitForSelector('.page--home:not([aria-busy]) h1');
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  assert.match(await page.textContent('#nav'), /Användare/);
  assert.match(await page.textContent('.page--home'), /Global Reader|Global läsare/);
});

// The portal is a privileged app (MicrosoftAdminPortals): a Conditional
// Access policy for admin portals makes an administrator whose per-user MFA
// is off do MFA to reach it, and the sign-in log names the policy. Last in
// this file: the policy stays on for the rest of this server's life.
test('a Conditional Access policy for admin portals requires MFA for the portal', async () => {
  const upn = 'paul.privileged@contoso.test';
  addUser(upn, { state: 'disabled' });
  tg(['role', 'assign', upn, 'security-admin']);
  const secret = addApp(upn);
  const policy = tgJson(['policy', 'template', 'require-mfa-admin-portals', '--admin', process.env.TG_ADMIN_UPN]);
  const id = policy.id;
  policy.state = 'enabled';
  for (const k of ['id', 'createdDateTime', 'modifiedDateTime']) delete policy[k];
  const file = join(process.env.TG_DATA, 'portal-policy.json');
  writeFileSync(file, JSON.stringify(policy));
  tg(['policy', 'update', id, file]);
  assert.equal(tgJson(['policy', 'show', id]).state, 'enabled');
  const ctx = await newContext();
  const page = await ctx.newPage();
  // signInToPortal fails unless the MFA panel is shown after the password
  await signInToPortal(page, upn, secret);
  await page.waitForSelector('.page--home .alert--ok');   // "signed in with MFA"
  const logged = tgJson(['signins', 'list', '--user', upn]).value;
  const done = logged.find((s) => s.status.errorCode === 0);
  assert.ok(done, 'the portal sign-in is logged');
  assert.equal(done.authenticationRequirement, 'multiFactorAuthentication');
  const applied = (done.appliedConditionalAccessPolicies || []).find((p) => p.displayName === policy.displayName);
  assert.ok(applied, 'the admin portals policy applied');
  assert.equal(applied.result, 'success');
});
