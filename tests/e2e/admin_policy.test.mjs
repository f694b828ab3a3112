// SPDX-License-Identifier: MIT
// The admin portal's policy and log pages in a real browser, each change
// read back through the CLI on the server's data directory:
//  - enabling security defaults while a Conditional Access policy is On
//    shows the server's conflict next to the switch, and they stay off;
//  - a template is created in report-only (and excludes its creator); a bad
//    JSON policy shows the error with its JSON path and stores nothing; the
//    state switch turns a policy Off;
//  - what-if and impact replay answer from the server;
//  - a bad CIDR on a named location is shown at its line; a good location
//    is saved and deleted; the audit log shows the change before/after,
//    and its Initiated-by filter lists only that administrator's changes;
//  - an administrator's own sign-in (MFA by per-user MFA enforced) opens in
//    the sign-in log with an explanation that names the reason;
//  - a Security Reader reads policies but Create is refused with the 403;
//  - the same pages in Swedish.
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { addAdmin, addUser, closeAll, newContext, openSection, signInToPortal, tg, tgJson, watch } from './admin_lib.mjs';

after(closeAll);

const ON_POLICY = 'Block legacy authentication (on)';

// An enabled policy that leaves browser sign-ins alone: legacy clients are
// blocked. Created once, through the CLI.
function ensureEnabledPolicy() {
  const list = tgJson(['policy', 'list']);
  const items = Array.isArray(list) ? list : list.value || [];
  if (items.some((p) => p.displayName === ON_POLICY)) return;
  tg(['policy', 'create', '-'], JSON.stringify({
    displayName: ON_POLICY,
    state: 'enabled',
    conditions: {
      users: { includeUsers: ['All'] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['exchangeActiveSync', 'other'],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  }));
}

function policies() {
  const list = tgJson(['policy', 'list']);
  return Array.isArray(list) ? list : list.value || [];
}

async function confirm(page) {
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-ok');
  await page.waitForSelector('#confirm:not([open])', { state: 'attached' });
}

const noise = (p) => !/401|403|409|400|Failed to load resource/.test(p);

test('enabling security defaults while a policy is On shows the conflict and changes nothing', async () => {
  ensureEnabledPolicy();
  const upn = 'sam.security@contoso.test';
  const secret = addAdmin(upn, 'security-admin');
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/security-defaults');
  await page.waitForSelector('#sd-state[data-enabled]');
  assert.equal(await page.getAttribute('#sd-state', 'data-enabled'), 'false');
  assert.equal(await page.textContent('.page--security-defaults h1'), 'Security defaults');
  assert.match(await page.textContent('.page--security-defaults'), /Legacy authentication .* is blocked/);
  const toggle = page.locator('input[role=switch]');
  assert.equal(await toggle.isChecked(), false);
  // cancelling the confirmation changes nothing
  await toggle.click();
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-cancel');
  assert.equal(await toggle.isChecked(), false);
  // confirming: the server's 409 is shown next to the switch
  await toggle.click();
  await confirm(page);
  await page.waitForSelector('#sd-conflict:not([hidden])');
  const msg = await page.textContent('#sd-conflict');
  assert.match(msg, /could not be enabled/);
  assert.match(msg, /Conditional Access policies are enabled/);
  assert.ok(msg.includes(ON_POLICY), 'the message names the policy in the way');
  assert.match(msg, /Request_Conflict/);
  assert.match(msg, /Request id: [0-9a-f-]{36}/);
  assert.equal(await toggle.isChecked(), false, 'the switch shows the real state');
  assert.equal(await page.getAttribute('#sd-state', 'data-enabled'), 'false');
  assert.equal(await toggle.getAttribute('aria-describedby'), 'sd-conflict');
  const sd = tgJson(['security-defaults', 'show']);
  assert.equal(sd.isEnabled, false, 'security defaults stay off');
  assert.deepEqual(problems.filter(noise), []);
});

test('a template is created in report-only; bad JSON shows its path; the state switch works', async () => {
  const upn = 'carl.ca@contoso.test';
  const secret = addAdmin(upn, 'conditional-access-admin');
  const me = tgJson(['user', 'show', upn]);
  const before = policies().length;
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/ca');
  await page.waitForSelector('.page--ca table');
  assert.match(await page.textContent('.page--ca table'), /Block legacy authentication \(on\)/);
  assert.equal(await page.textContent(`.page--ca tr:has-text("${ON_POLICY}") .badge`), 'On');

  // from a template: report-only, the creator excluded
  await page.click('a[href="#/ca/templates"]');
  await page.waitForSelector('[data-template="require-mfa-all-users"]');
  assert.match(await page.textContent('.page--ca'), /created in Report-only/);
  await page.click('[data-template="require-mfa-all-users"]');
  await page.waitForSelector('#ca-created');
  assert.match(await page.textContent('#ca-created'), /in Report-only: it is evaluated and logged/);
  assert.equal(await page.isChecked('input[name=ca-state][value=enabledForReportingButNotEnforced]'), true);
  const created = policies().find((p) => p.displayName === 'Require multifactor authentication for all users');
  assert.ok(created, 'the policy exists');
  assert.equal(created.state, 'enabledForReportingButNotEnforced');
  const full = tgJson(['policy', 'show', created.id]);
  assert.deepEqual(full.conditions.users.excludeUsers, [me.id], 'the creator is excluded');
  assert.ok(page.url().includes(created.id));

  // the state switch: Off, confirmed, read back
  await page.check('input[name=ca-state][value=disabled]');
  await page.click('button:has-text("Change state")');
  await confirm(page);
  await page.waitForSelector('#status.alert--ok');
  assert.match(await page.textContent('#status'), /now Off/);
  assert.equal(tgJson(['policy', 'show', created.id]).state, 'disabled');

  // edit its JSON: a member removed in the editor is removed in the policy
  await page.click('a:has-text("Edit JSON")');
  await page.waitForSelector('.page--ca textarea.code');
  const doc = JSON.parse(await page.inputValue('.page--ca textarea.code'));
  assert.equal(doc.id, undefined, 'read-only members are not in the editor');
  doc.displayName = 'MFA for everyone (draft)';
  delete doc.conditions.users.excludeUsers;
  await page.fill('.page--ca textarea.code', JSON.stringify(doc, null, 2));
  await page.click('button:has-text("Save")');
  await page.waitForSelector('#ca-created');
  const edited = tgJson(['policy', 'show', created.id]);
  assert.equal(edited.displayName, 'MFA for everyone (draft)');
  assert.deepEqual(edited.conditions.users.excludeUsers, []);
  assert.equal(edited.state, 'disabled');

  // bad JSON from the editor: the server's path, the textarea marked, nothing stored
  await openSection(page, `#/ca/new`);
  await page.waitForSelector('.page--ca textarea.code');
  const bad = {
    displayName: 'Broken policy',
    state: 'disabled',
    conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] } },
    grantControls: { operator: 'OR', builtInControls: ['mfa', 'sometimes'] },
  };
  await page.fill('.page--ca textarea.code', JSON.stringify(bad, null, 2));
  await page.click('button:has-text("Create policy")');
  await page.waitForSelector('.page--ca .field__error:not([hidden])');
  const err = await page.textContent('.page--ca .field__error');
  assert.match(err, /^grantControls\.builtInControls\[1\]: /);
  assert.match(err, /Request_BadRequest/);
  assert.match(err, /Request id: /);
  assert.equal(await page.getAttribute('.page--ca textarea.code', 'aria-invalid'), 'true');
  // not JSON at all: said so before anything is sent
  await page.fill('.page--ca textarea.code', '{"displayName": ');
  await page.click('button:has-text("Create policy")');
  await page.waitForFunction(() => /not valid JSON/.test(document.querySelector('.page--ca .field__error').textContent));
  assert.equal(policies().length, before + 1, 'only the template policy was stored');
  assert.ok(!policies().some((p) => p.displayName === 'Broken policy'));
  assert.deepEqual(problems.filter(noise), []);
});

test('what-if and impact replay answer from the server', async () => {
  const upn = 'wendy.whatif@contoso.test';
  const secret = addAdmin(upn, 'global-admin');
  addUser('erik.enforced@contoso.test', { state: 'enforced' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signInToPortal(page, upn, secret, '#/ca/whatif');
  await page.waitForSelector('.page--ca form input[name=user]');
  await page.fill('input[name=user]', 'erik.enforced@contoso.test');
  await page.click('button[type=submit]:has-text("What if")');
  await page.waitForSelector('#whatif-outcome');
  // per-user MFA enforced and no method: registration, explained
  assert.equal(await page.getAttribute('#whatif-outcome', 'data-outcome'), 'registrationRequired');
  const why = await page.textContent('#why-mfa');
  assert.match(why, /MFA would be required/);
  assert.match(why, /Per-user MFA: per-user MFA is enforced for this user/);
  // the enabled legacy-block policy does not apply to a browser
  assert.match(await page.textContent('.page--ca'), /Policies that do not apply/);
  assert.match(await page.textContent('.page--ca'), /Block legacy authentication \(on\)/);
  // legacy client: blocked by that policy
  await page.selectOption('select[name=client]', 'exchangeActiveSync');
  await page.click('button[type=submit]:has-text("What if")');
  await page.waitForSelector('#whatif-outcome[data-outcome=blocked]');
  assert.match(await page.textContent('#whatif-outcome'), /53003/);
  // a bad user: the server's message
  await page.fill('input[name=user]', 'nobody@contoso.test');
  await page.click('button[type=submit]:has-text("What if")');
  await page.waitForSelector('.page--ca .alert--danger:not([hidden])');
  assert.match(await page.textContent('.page--ca .alert--danger'), /nobody@contoso\.test|not found|Request_ResourceNotFound/i);

  // impact replay of a draft that blocks everyone, with a bad draft first
  await openSection(page, `#/ca/impact`);
  await page.waitForSelector('.page--ca textarea.code');
  const draft = {
    displayName: 'Block everyone',
    state: 'enabled',
    conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] } },
    grantControls: { operator: 'OR', builtInControls: ['blok'] },
  };
  await page.fill('.page--ca textarea.code', JSON.stringify(draft));
  await page.click('button:has-text("Replay")');
  await page.waitForSelector('.page--ca .field__error:not([hidden])');
  assert.match(await page.textContent('.page--ca .field__error'), /^policy\.grantControls\.builtInControls\[0\]: /);
  draft.grantControls.builtInControls = ['block'];
  await page.fill('.page--ca textarea.code', JSON.stringify(draft));
  await page.click('button:has-text("Replay")');
  await page.waitForSelector('.page--ca .pol-result table');
  const report = await page.textContent('.page--ca .pol-result');
  assert.match(report, /replayed over [1-9]\d* sign-ins/);
  // the administrators signed in so far would be blocked
  assert.match(report, /sam\.security@contoso\.test/);
});

test('named locations: a bad CIDR is shown at its line; a good one is saved, audited and deleted', async () => {
  const upn = 'lena.locations@contoso.test';
  const secret = addAdmin(upn, 'conditional-access-admin');
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/locations/new');
  await page.waitForSelector('.page--locations textarea');
  await page.fill('input[name=displayName]', 'Head office');
  await page.fill('textarea[name=ipRanges]', '192.0.2.0/24\n10.0.0.300/24');
  await page.check('input[name=isTrusted]');
  await page.click('button:has-text("Create location")');
  await page.waitForSelector('.page--locations .field__error:not([hidden])');
  const err = await page.textContent('.page--locations .field__error:not([hidden])');
  assert.match(err, /Line 2 \(10\.0\.0\.300\/24\)/);
  assert.match(err, /ipRanges\[1\]\.cidrAddress: not a CIDR range/);
  assert.match(err, /Request id: /);
  assert.equal(await page.getAttribute('textarea[name=ipRanges]', 'aria-invalid'), 'true');
  const listNow = () => { const l = tgJson(['location', 'list']); return Array.isArray(l) ? l : l.value || []; };
  assert.ok(!listNow().some((l) => l.displayName === 'Head office'), 'nothing stored');

  await page.fill('textarea[name=ipRanges]', '192.0.2.0/24\n2001:db8::/48');
  await page.fill('input[name=displayName]', 'Branch office');
  await page.uncheck('input[name=isTrusted]');
  await page.click('button:has-text("Create location")');
  await page.waitForURL(/#\/locations\/[0-9a-f-]{36}$/);
  await page.waitForSelector('button:has-text("Delete")');
  const loc = listNow().find((l) => l.displayName === 'Branch office');
  assert.ok(loc, 'the location is stored');
  const shown = tgJson(['location', 'show', loc.id]);
  assert.deepEqual(shown.ipRanges.map((r) => r.cidrAddress), ['192.0.2.0/24', '2001:db8::/48']);
  assert.equal(shown.isTrusted, false);

  // the audit log shows the creation, with who and what
  await openSection(page, `#/audit?activity=location.`);
  await page.waitForSelector('.page--audit tbody tr');
  const row = page.locator('.page--audit tbody tr', { hasText: 'location.create' }).first();
  assert.match(await row.textContent(), /lena\.locations@contoso\.test/);
  await row.locator('button.linklike').click();
  await page.waitForSelector('.page--audit .pol-section table');
  const detail = await page.textContent('.page--audit');
  assert.match(detail, /Initiated by\s*lena\.locations@contoso\.test/);
  assert.match(detail, /displayName/);
  assert.match(detail, /Branch office/);

  // the Initiated-by filter (a UPN in any case) narrows the list to Lena's
  // changes, as many as the store holds for her, and stays in the hash
  await openSection(page, '#/audit');
  const initiators = () => page.locator('.page--audit tbody tr td:nth-child(4)').allTextContents();
  assert.ok((await initiators()).some((c) => c !== upn), 'others\' changes are listed unfiltered');
  await page.fill('.page--audit input[name=by]', 'Lena.Locations@Contoso.test');
  await page.evaluate(() => document.querySelector('#page > .page').setAttribute('data-stale', ''));
  await page.click('.page--audit button[type=submit]');
  await page.waitForSelector('#page > .page:not([aria-busy]):not([data-stale])');
  assert.match(page.url(), /#\/audit\?.*by=Lena\.Locations%40Contoso\.test/);
  assert.equal(await page.inputValue('.page--audit input[name=by]'), 'Lena.Locations@Contoso.test');
  const mine = tgJson(['audit', 'list', '--actor', `user:${upn}`]);
  assert.ok(mine.length >= 1 && mine.every((a) => a.initiatedBy === `user:${upn}`));
  assert.deepEqual(await initiators(), mine.map(() => upn));

  // delete, confirmed
  await openSection(page, `#/locations/${loc.id}`);
  await page.waitForSelector('button:has-text("Delete")');
  await page.click('button:has-text("Delete")');
  await confirm(page);
  await page.waitForURL(/#\/locations\?deleted=/);
  assert.ok(!listNow().some((l) => l.id === loc.id), 'deleted');
  assert.deepEqual(problems.filter(noise), []);
});

test('a sign-in\'s detail view says why MFA was required', async () => {
  const upn = 'greta.global@contoso.test';
  const secret = addAdmin(upn, 'global-admin');
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, `#/signins?user=${encodeURIComponent(upn)}`);
  await page.waitForSelector('.page--signins tbody tr');
  // the engine logged per-user MFA (enforced) as the source; the record of
  // the step where the code was entered says it was completed
  const logged = tgJson(['signins', 'list', '--user', upn]).value;
  const done = logged.find((s) => s.status.errorCode === 0 && (s.authenticationDetails || [])
    .some((d) => d.authenticationStepRequirement === 'MFA' && d.authenticationStepResultDetail === 'successfully completed'));
  assert.ok(done, 'a sign-in with MFA completed is logged');
  assert.equal(done.authenticationRequirement, 'multiFactorAuthentication');
  assert.equal(done.authenticationRequirementPolicies[0].requirementProvider, 'user');
  assert.equal(done.authenticationRequirementPolicies[0].detail, 'per-user MFA enforced');
  // every row is this user's, newest first
  const rows = await page.locator('.page--signins tbody tr').allTextContents();
  assert.equal(rows.length, logged.length);
  assert.ok(rows.every((r) => r.includes(upn)));
  const row = page.locator(`.page--signins tbody tr[data-key="${done.id}"]`);
  assert.match(await row.textContent(), /Success/);
  assert.match(await row.textContent(), /Multifactor authentication/);
  await row.locator('button.linklike').click();
  await page.waitForSelector('#why-mfa');
  assert.ok(page.url().endsWith(`#/signins/${done.id}`));
  const why = await page.textContent('#why-mfa');
  assert.match(why, /MFA was required for this sign-in\./);
  assert.match(why, /Per-user MFA: per-user MFA is enforced for this user\./);
  assert.match(why, /done/);
  assert.match(why, /logged: user · satisfied · per-user MFA enforced · successfully completed/);
  assert.match(why, /MFA was done: the user completed MFA/);
  const text = await page.textContent('.page--signins');
  for (const s of ['Basic info', 'Authentication details', 'Conditional Access', 'Report-only', 'Request id', done.originalRequestId]) {
    assert.ok(text.includes(s), `detail shows ${s}`);
  }
  // the filter by error code reaches the server: a code nobody has
  await openSection(page, `#/signins?user=${encodeURIComponent(upn)}&code=530035`);
  await page.waitForSelector('.page--signins tbody td.muted');
  assert.match(await page.textContent('.page--signins tbody'), /No sign-ins match/);
  await openSection(page, `#/signins?user=${encodeURIComponent(upn)}&code=0`);
  await page.waitForSelector('.page--signins tbody tr .badge');
  assert.equal(await page.inputValue('select[name=status]'), '0');
  const okRows = await page.locator('.page--signins tbody tr .badge[data-status=success]').count();
  assert.equal(await page.locator('.page--signins tbody tr').count(), okRows);
  assert.equal(okRows, logged.filter((s) => s.status.errorCode === 0).length);
  assert.ok(okRows < logged.length, 'the MFA prompt itself was logged as interrupted');
  // "Not successful": every sign-in with a non-zero error code (ne 0)
  await openSection(page, `#/signins?user=${encodeURIComponent(upn)}&code=failed`);
  await page.waitForSelector('.page--signins tbody tr .badge');
  assert.equal(await page.inputValue('select[name=status]'), 'failed');
  assert.equal(await page.locator('.page--signins tbody tr').count(), logged.length - okRows);
  assert.equal(await page.locator('.page--signins tbody tr .badge[data-status=success]').count(), 0);
  assert.deepEqual(problems.filter(noise), []);
});

test('a Security Reader reads Conditional Access but Create is refused with the 403', async () => {
  const upn = 'rita.reader@contoso.test';
  const secret = addAdmin(upn, 'security-reader');
  const before = policies().length;
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signInToPortal(page, upn, secret, '#/ca');
  await page.waitForSelector('.page--ca table');
  assert.match(await page.textContent('.page--ca table'), /Block legacy authentication \(on\)/);
  await page.click('a[href="#/ca/templates"]');
  await page.click('[data-template="block-legacy-auth"]');
  await page.waitForSelector('.pol-template .field__error:not([hidden])');
  const err = await page.textContent('.pol-template .field__error:not([hidden])');
  assert.match(err, /You are not allowed to do this/);
  assert.match(err, /Security Reader|Authorization|not/i);
  await openSection(page, `#/ca/new`);
  await page.waitForSelector('.page--ca textarea.code');
  await page.click('button:has-text("Create policy")');
  await page.waitForSelector('.page--ca .field__error:not([hidden])');
  assert.match(await page.textContent('.page--ca .field__error'), /You are not allowed to do this/);
  assert.equal(policies().length, before, 'nothing created');
  // security defaults: readable, not changeable
  await openSection(page, `#/security-defaults`);
  await page.waitForSelector('#sd-state[data-enabled]');
  await page.locator('input[role=switch]').click();
  await confirm(page);
  await page.waitForSelector('#sd-conflict:not([hidden])');
  assert.match(await page.textContent('#sd-conflict'), /not allowed/);
});

test('the policy and log pages in Swedish', async () => {
  const upn = 'sigrid.svensk@contoso.test';
  const secret = addAdmin(upn, 'global-reader', { lang: 'sv' });
  const ctx = await newContext({ locale: 'sv-SE' });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/security-defaults');
  await page.waitForSelector('#sd-state[data-enabled]');
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  assert.equal(await page.textContent('.page--security-defaults h1'), 'Standardinställningar för säkerhet');
  assert.match(await page.textContent('.page--security-defaults'), /Vad standardinställningar för säkerhet kräver/);
  assert.equal(await page.textContent('#sd-state'), 'Inaktiverade');

  await openSection(page, `#/ca`);
  await page.waitForSelector('.page--ca table');
  assert.equal(await page.textContent('.page--ca h1'), 'Villkorsstyrd åtkomst');
  assert.equal(await page.textContent(`.page--ca tr:has-text("${ON_POLICY}") .badge`), 'På');
  assert.match(await page.textContent('.page--ca'), /Ny princip från en mall/);

  await openSection(page, `#/locations`);
  await page.waitForSelector('.page--locations table');
  assert.equal(await page.textContent('.page--locations h1'), 'Namngivna platser');

  await openSection(page, `#/signins?user=${encodeURIComponent(upn)}`);
  await page.waitForSelector('.page--signins tbody tr .badge[data-status=success]');
  assert.equal(await page.textContent('.page--signins h1'), 'Inloggningsloggar');
  await page.locator('.page--signins tbody tr:has(.badge[data-status=success]) button.linklike').first().click();
  await page.waitForSelector('#why-mfa');
  const text = await page.textContent('.page--signins');
  assert.match(text, /Varför MFA krävdes eller inte krävdes/);
  assert.match(text, /Grundläggande information/);
  assert.match(await page.textContent('#why-mfa'), /MFA krävdes för inloggningen\./);
  assert.match(await page.textContent('#why-mfa'), /MFA per användare: MFA per användare är framtvingad för användaren\./);

  await openSection(page, `#/audit`);
  await page.waitForSelector('.page--audit table');
  assert.equal(await page.textContent('.page--audit h1'), 'Granskningslogg');
  assert.match(await page.textContent('.page--audit thead'), /Initierad av/);
  assert.deepEqual(problems.filter(noise), []);
});
