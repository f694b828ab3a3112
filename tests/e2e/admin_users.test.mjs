// SPDX-License-Identifier: MIT
// The Users and Per-user MFA sections of the admin portal in a real
// browser (run by test_admin_users.sh with TG_E2E_SMTP=1: a real SMTP
// server receives the server's mail in $TG_SMTP_DIR). Every change is
// read back with the CLI on the server's data directory.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, after } from 'node:test';
import { addAdmin, addApp, addUser, closeAll, newContext, signInToPortal, tg, tgJson,
         waitFor, watch } from './admin_lib.mjs';

after(closeAll);

const state = (upn) => tgJson(['mfa', 'show', upn]).perUserMfaState;
const rows = (page, table) => page.$$eval(`${table} tbody tr[data-key]`, (trs) => trs.length);
const unexpected = (problems) => problems.filter((p) => !/401|403|Failed to load resource/.test(p));

// The recipients of the messages received so far: { address: count }.
function mailbox() {
  const dir = process.env.TG_SMTP_DIR;
  assert.ok(dir, 'TG_SMTP_DIR is set (run through test_admin_users.sh)');
  const out = {};
  for (const f of readdirSync(dir).filter((n) => /^msg-\d+\.eml$/.test(n))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const to = /^X-Envelope-To: (.*)$/m.exec(text)[1].trim().toLowerCase();
    for (const a of to.split(',')) out[a] = (out[a] || 0) + 1;
  }
  return out;
}

// Search the per-user MFA table by UPN prefix and wait for n rows.
async function searchMfa(page, prefix, n) {
  await page.selectOption('#mfa-search-by', 'userPrincipalName');
  await page.fill('#mfa-search', prefix);
  await page.waitForFunction(([sel, k]) => document.querySelectorAll(sel).length === k &&
    [...document.querySelectorAll(sel)].every((tr) => tr.dataset.key),
  ['#mfa-table tbody tr[data-key]', n]);
}

test('an administrator enables MFA for three selected users, who are emailed', async () => {
  const admin = 'ada.admin@contoso.test';
  const secret = addAdmin(admin);
  const three = [1, 2, 3].map((i) => `mfa.user${i}@contoso.test`);
  for (const u of three) addUser(u, { mail: u });
  addUser('mfa.other@contoso.test', { mail: 'mfa.other@contoso.test' });
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, admin, secret, '#/mfa');
  await page.waitForSelector('#mfa-table tbody tr[data-key]');
  assert.ok(await page.isDisabled('#mfa-enable'), 'Enable needs a selection');
  await searchMfa(page, 'mfa.', 4);
  for (const u of three) {
    await page.check(`#mfa-table tbody tr:has(th:text-is("${u.split('@')[0]}")) input[type=checkbox]`);
  }
  assert.match(await page.textContent('#mfa-selected'), /3 users selected/);
  assert.ok(await page.isEnabled('#mfa-enable'));
  await page.click('#mfa-enable');
  await page.waitForSelector('#confirm[open]');
  const ask = await page.textContent('#confirm-text');
  assert.match(ask, /Enable multifactor authentication for 3 users\?/);
  assert.match(ask, /3 will change, 0 already have this status/);
  await page.click('#confirm-ok');
  await page.waitForSelector('#mfa-result .alert--ok');
  assert.match(await page.textContent('#mfa-result'), /3 changed, 0 unchanged, 0 not found/);
  assert.equal(await page.getAttribute('#mfa-result #mfa-notices-link', 'href'), '#/mfa/notices');
  for (const u of three) assert.equal(state(u), 'enabled', `${u} is enabled`);
  assert.equal(state('mfa.other@contoso.test'), 'disabled');
  // the table was refreshed and the selection cleared
  await page.waitForFunction(() => document.querySelectorAll('#mfa-table [data-state="enabled"]').length === 3);
  assert.match(await page.textContent('#mfa-selected'), /0 users selected/);
  assert.ok(await page.isDisabled('#mfa-enable'));

  // filter by state: Enabled shows the three only, Disabled none of them
  await page.fill('#mfa-search', '');
  await page.selectOption('#mfa-state-filter', 'enabled');
  await page.waitForFunction(() => {
    const trs = [...document.querySelectorAll('#mfa-table tbody tr[data-key]')];
    return trs.length === 3 && trs.every((tr) => tr.querySelector('[data-state="enabled"]'));
  });
  await page.selectOption('#mfa-state-filter', 'disabled');
  await page.waitForFunction(() => document.querySelector('#mfa-table tbody tr[data-key]') &&
    ![...document.querySelectorAll('#mfa-table [data-state]')].some((b) => b.dataset.state !== 'disabled'));
  const shown = await page.textContent('#mfa-table');
  for (const u of three) assert.ok(!shown.includes(u), `${u} is not Disabled`);
  assert.ok(shown.includes('mfa.other@contoso.test'));

  // three emails, one to each user, none to the user left alone
  const box = await waitFor(() => {
    const m = mailbox();
    return three.every((u) => m[u]) ? m : null;
  }, 30000, 'three notices at the SMTP server');
  for (const u of three) assert.equal(box[u], 1, `one message to ${u}`);
  assert.equal(box['mfa.other@contoso.test'], undefined);

  // the Notices tab (reached from the quick step's result) shows them Sent
  // once the worker has recorded the deliveries
  const sentUpns = () => tgJson(['notify', 'list', '--sent']).map((n) => n.userPrincipalName);
  await waitFor(() => three.every((u) => sentUpns().includes(u)), 30000, 'three notices recorded as sent');
  await page.click('#mfa-notices-link');
  await page.waitForSelector('#mfa-tab-notices[aria-selected="true"]');
  await page.waitForSelector('#mfa-notices-table tbody tr[data-key]');
  assert.match(await page.textContent('#mfa-panel'), /Tollgate emails them/);
  const noticeRows = (status) => page.$$eval('#mfa-notices-table tbody tr[data-key]', (trs, st) =>
    trs.filter((tr) => !st || tr.querySelector(`[data-status="${st}"]`))
      .map((tr) => tr.querySelector('th').textContent.trim()).sort(), status);
  assert.deepEqual(await noticeRows('sent'), three);
  const sentText = await page.textContent('#mfa-notices-table');
  assert.match(sentText, /Sent/);
  assert.ok(!sentText.includes('mfa.other@contoso.test'), 'no notice for the user left alone');
  // the status filter asks the server: no pending ones, then the sent again
  await page.selectOption('#mfa-notices-filter', 'pending');
  await page.waitForFunction(() => !document.querySelector('#mfa-notices-table tbody tr[data-key]'));
  await page.selectOption('#mfa-notices-filter', 'sent');
  await page.waitForFunction(() => document.querySelectorAll('#mfa-notices-table tbody tr[data-key]').length === 3);
  assert.deepEqual(await noticeRows('sent'), three);
  assert.deepEqual(unexpected(problems), []);
});

test('bulk update from a CSV file: preview, confirm, per-row results', async () => {
  const admin = 'bea.bulk@contoso.test';
  const secret = addAdmin(admin, 'authentication-policy-admin');
  for (const u of ['bulk1', 'bulk2', 'bulk3']) addUser(`${u}@contoso.test`);
  tg(['mfa', 'set', 'enabled', 'bulk2@contoso.test']);
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signInToPortal(page, admin, secret, '#/mfa');
  await page.waitForSelector('#mfa-bulk-file');
  await page.setInputFiles('#mfa-bulk-file', {
    name: 'states.csv', mimeType: 'text/csv',
    buffer: Buffer.from('Username,MFA Status\r\nbulk1@contoso.test,Enforced\r\nbulk2@contoso.test,enabled\r\n' +
      'ghost@contoso.test,enabled\r\nbulk3@contoso.test,sometimes\r\n'),
  });
  await page.waitForFunction(() => /will change/.test((document.querySelector('#mfa-bulk-status') || {}).textContent));
  const preview = await page.textContent('#mfa-bulk-preview');
  assert.match(preview, /4 rows, 1 with a problem \(not sent\): 1 will change, 1 already have their status/);
  assert.match(preview, /"sometimes" is not disabled, enabled or enforced/);
  assert.equal(state('bulk1@contoso.test'), 'disabled', 'nothing applied before confirming');
  await page.click('#mfa-bulk-go');
  await page.waitForSelector('#confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /Enabled: 2 users\. Enforced: 1 users\./);
  await page.click('#confirm-ok');
  await page.waitForSelector('#mfa-bulk-summary .alert');
  assert.match(await page.textContent('#mfa-bulk-summary'), /1 changed, 1 unchanged, 1 not found/);
  const result = (line) => page.textContent(`#mfa-bulk-preview tr[data-line="${line}"] td:last-child`);
  assert.equal(await result(2), 'Changed');
  assert.equal(await result(3), 'Unchanged');
  assert.equal(await result(4), 'Not found');
  assert.match(await result(5), /sometimes/);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#mfa-bulk-download')]);
  const csv = readFileSync(await dl.path(), 'utf8');
  assert.match(csv, /^line,userPrincipalName,perUserMfaState,result\n2,bulk1@contoso\.test,enforced,Changed\n/);
  assert.match(csv, /\n4,ghost@contoso\.test,enabled,Not found\n/);
  assert.equal(state('bulk1@contoso.test'), 'enforced');
  assert.equal(state('bulk2@contoso.test'), 'enabled');
  assert.equal(state('bulk3@contoso.test'), 'disabled');
});

test('service settings: a trusted IP is saved, a bad range shows the server error', async () => {
  const admin = 'sid.settings@contoso.test';
  const secret = addAdmin(admin);
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signInToPortal(page, admin, secret, '#/mfa/settings');
  await page.waitForSelector('#mfa-trusted-ips');
  assert.equal(await page.getAttribute('#mfa-tab-settings', 'aria-selected'), 'true');
  await page.fill('#mfa-trusted-ips', '192.0.2.0/24');
  await page.check('#mfa-remember');
  await page.fill('#mfa-remember-days', '30');
  await page.click('#mfa-settings-save');
  await page.waitForSelector('#mfa-settings-status .alert--ok');
  let s = tgJson(['settings', 'show']);
  assert.deepEqual(s.trustedIps, ['192.0.2.0/24']);
  assert.equal(s.rememberMfaDays, 30);

  await page.fill('#mfa-trusted-ips', '192.0.2.0/24\nnope');
  await page.click('#mfa-settings-save');
  await page.waitForSelector('#mfa-trusted-ips-error:not([hidden])');
  const err = await page.textContent('#mfa-trusted-ips-error');
  assert.match(err, /"nope"/);
  assert.match(err, /trustedIps\[1\]: is not an IP address range/);
  assert.match(err, /Request id/);
  assert.equal(await page.getAttribute('#mfa-trusted-ips', 'aria-invalid'), 'true');
  // every verification option off: refused, shown at its fieldset
  await page.fill('#mfa-trusted-ips', '192.0.2.0/24');
  for (const o of ['appCode', 'sms', 'voice', 'email']) await page.uncheck(`#mfa-opt-${o}`);
  await page.click('#mfa-settings-save');
  await page.waitForSelector('#mfa-verificationOptions-error:not([hidden])');
  assert.match(await page.textContent('#mfa-verificationOptions-error'), /verificationOptions/);
  s = tgJson(['settings', 'show']);
  assert.deepEqual(s.trustedIps, ['192.0.2.0/24'], 'nothing stored by the refused saves');
  assert.equal(s.verificationOptions, 'appCode,sms,voice,email');
});

test('a Global Reader sees per-user MFA but Enable is refused', async () => {
  const reader = 'gus.reader@contoso.test';
  const secret = addAdmin(reader, 'global-reader');
  addUser('gr.target@contoso.test');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signInToPortal(page, reader, secret, '#/mfa');
  await page.waitForSelector('#mfa-table tbody tr[data-key]');
  await searchMfa(page, 'gr.target', 1);
  await page.check('#mfa-table tbody tr[data-key] input[type=checkbox]');
  await page.click('#mfa-enable');
  await page.waitForSelector('#confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /for 1 user\?/);
  await page.click('#confirm-ok');
  await page.waitForSelector('#mfa-result .alert--danger');
  assert.match(await page.textContent('#mfa-result'), /not allowed.*Insufficient privileges/);
  assert.equal(state('gr.target@contoso.test'), 'disabled');
  // the service settings are shown read-only
  await page.click('#mfa-tab-settings');
  await page.waitForSelector('#mfa-trusted-ips');
  assert.ok(await page.isDisabled('#mfa-trusted-ips'));
  assert.equal(await page.$('#mfa-settings-save'), null);
  assert.match(await page.textContent('#mfa-panel'), /You can read these settings/);
});

test('per-user MFA in Swedish', async () => {
  const admin = 'sara.svensk@contoso.test';
  const secret = addAdmin(admin, 'global-admin', { lang: 'sv' });
  addUser('sv.user@contoso.test');
  const ctx = await newContext({ locale: 'sv-SE' });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, admin, secret, '#/mfa');
  await page.waitForSelector('#mfa-table tbody tr[data-key]');
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  assert.equal(await page.textContent('.page--mfa h1'), 'Multifaktorautentisering per användare');
  assert.equal(await page.textContent('#mfa-enable'), 'Aktivera');
  assert.equal(await page.textContent('#mfa-enforce'), 'Framtvinga');
  assert.match(await page.textContent('#mfa-panel'), /Snabbsteg/);
  await searchMfa(page, 'sv.user', 1);
  assert.match(await page.textContent('#mfa-table'), /Inaktiverad/);
  await page.check('#mfa-table tbody tr[data-key] input[type=checkbox]');
  assert.match(await page.textContent('#mfa-selected'), /1 användare markerad/);
  await page.click('#mfa-enforce');
  await page.waitForSelector('#confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /Framtvinga multifaktorautentisering för 1 användare\?/);
  assert.equal(await page.textContent('#confirm-cancel'), 'Avbryt');
  await page.click('#confirm-cancel');
  assert.equal(state('sv.user@contoso.test'), 'disabled', 'cancel changes nothing');
  await page.click('#mfa-tab-settings');
  await page.waitForSelector('#mfa-trusted-ips');
  assert.match(await page.textContent('#mfa-panel'), /Betrodda IP-adresser/);
  assert.match(await page.textContent('#mfa-panel'), /Verifieringsalternativ/);
  assert.equal(await page.textContent('#mfa-tab-settings'), 'Tjänstinställningar');
  assert.deepEqual(unexpected(problems), []);
});

test('users: search, create (a bad UPN first), the detail view and its actions', async () => {
  const admin = 'uma.users@contoso.test';
  const secret = addAdmin(admin);
  const rita = 'rita.reg@contoso.test';
  addUser(rita, { state: 'enforced', mail: rita });
  addApp(rita);
  addUser('rick.other@contoso.test');
  const ctx = await newContext({ viewport: { width: 375, height: 800 } });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, admin, secret, '#/users');
  await page.waitForSelector('#users-table tbody tr[data-key]');
  await page.selectOption('#users-search-by', 'userPrincipalName');
  await page.fill('#users-search', 'ri');
  await page.waitForFunction(() => document.querySelectorAll('#users-table tbody tr[data-key]').length === 2);
  await page.fill('#users-search', 'rita');
  await page.waitForFunction(() => document.querySelectorAll('#users-table tbody tr[data-key]').length === 1);
  assert.match(await page.textContent('#users-table'), /rita\.reg@contoso\.test/);

  // create: a bad UPN is refused at its field, then a good one
  await page.click('#users-new');
  await page.waitForSelector('#user-upn');
  await page.fill('#user-upn', 'not a upn');
  await page.click('#user-create');
  await page.waitForSelector('#user-upn-error:not([hidden])');
  assert.match(await page.textContent('#user-upn-error'), /invalid user principal name.*Request id/);
  assert.equal(await page.getAttribute('#user-upn', 'aria-invalid'), 'true');
  await page.fill('#user-upn', 'nina.new@contoso.test');
  await page.fill('#user-name', 'Nina New');
  await page.fill('#user-mail', 'nina@contoso.test');
  await page.selectOption('#user-lang', 'sv');
  await page.click('#user-create');
  await page.waitForSelector('#user-create-result .alert--ok');
  const pw = (await page.textContent('#users-generated-password')).trim();
  assert.match(pw, /^[a-km-zA-HJ-NP-Z2-9]{20}$/);
  const nina = tgJson(['user', 'show', 'nina.new@contoso.test']);
  assert.equal(nina.displayName, 'Nina New');
  assert.equal(nina.hasPassword, true);
  assert.equal(nina.passwordMustChange, true);
  assert.equal(await page.getAttribute('#user-upn', 'aria-invalid'), null);

  // import from CSV: each row its own result ($batch of POST /users)
  await page.goto(page.url().replace(/#.*$/, '#/users/import'));
  await page.setInputFiles('#users-import-file', {
    name: 'users.csv', mimeType: 'text/csv',
    buffer: Buffer.from('userPrincipalName,displayName,preferredLanguage,password\n' +
      'ivy.import@contoso.test,"Ivy, Import",sv,Corr3ct-Horse-Battery\n' +
      'nina.new@contoso.test,Nina Again,,\n' +
      'ike.import@contoso.test,Ike,xx,\n' +
      'ivy.import@contoso.test,Ivy Twice,,\n'),
  });
  await page.waitForSelector('#users-import-go');
  assert.match(await page.textContent('#users-import-preview'), /4 rows: 3 ready, 1 with a problem/);
  await page.click('#users-import-go');
  await page.waitForSelector('#users-import-summary .alert');
  assert.match(await page.textContent('#users-import-summary'), /1 created, 3 not created/);
  const row = (line) => page.textContent(`#users-import-preview tr[data-line="${line}"] td:last-child`);
  assert.equal(await row(2), 'Created');
  assert.match(await row(3), /already exists/);
  assert.match(await row(4), /language "xx" is not supported/);
  assert.match(await row(5), /Appears again \(first on line 2\)/);
  const ivy = tgJson(['user', 'show', 'ivy.import@contoso.test']);
  assert.equal(ivy.displayName, 'Ivy, Import');
  assert.equal(ivy.hasPassword, true);
  assert.throws(() => tg(['user', 'show', 'ike.import@contoso.test']));

  // the detail view
  await page.goto(page.url().replace(/#.*$/, '#/users'));
  await page.fill('#users-search', 'rita');
  await page.waitForFunction(() => document.querySelectorAll('#users-table tbody tr[data-key]').length === 1);
  await page.click('#users-table tbody tr[data-key] .linklike');
  await page.waitForSelector('#user-methods tbody tr');
  assert.match(await page.textContent('#user-methods'), /Authenticator app/);
  assert.match(await page.textContent('#user-mfa-state'), /Enforced/);
  await page.waitForSelector('#user-roles');
  assert.match(await page.textContent('#user-roles'), /No directory role/);
  // groups, also through nesting, and a role, from transitiveMemberOf
  tg(['group', 'add', 'Sales-Outer']);
  tg(['group', 'add', 'Sales-Inner']);
  tg(['group', 'member', 'add', 'Sales-Outer', '--group', 'Sales-Inner']);
  tg(['group', 'member', 'add', 'Sales-Inner', '--user', rita]);
  tg(['role', 'assign', rita, 'helpdesk-admin']);
  await page.reload();
  await page.waitForSelector('#user-groups li');
  assert.match(await page.textContent('#user-roles'), /Helpdesk Administrator/);
  const groups = await page.textContent('#user-groups');
  assert.ok(groups.includes('Sales-Inner') && groups.includes('Sales-Outer'), groups);
  tg(['role', 'remove', rita, 'helpdesk-admin']);

  // require re-register: confirm, the app is gone
  const active = () => tgJson(['method', 'list', rita]).methods.filter((m) => m.status === 'active');
  assert.equal(active().length, 1);
  await page.click('#user-require-reregister');
  await page.waitForSelector('#confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /rita\.reg@contoso\.test/);
  await page.click('#confirm-ok');
  await page.waitForSelector('#user-action-result .alert--ok');
  assert.deepEqual(active(), []);
  await page.waitForFunction(() => !/Authenticator app/.test(document.querySelector('#user-auth-methods').textContent));

  // revoke MFA sessions: cancelling does nothing, confirming is audited
  const revoked = () => tgJson(['audit', 'list', '--action', 'user.revoke_sessions', '--target', rita])
    .filter((a) => a.initiatedBy === `user:${admin}`).length;
  await page.click('#user-revoke-sessions');
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-cancel');
  assert.equal(revoked(), 0);
  await page.click('#user-revoke-sessions');
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-ok');
  await page.waitForFunction(() => /signed out/.test(document.querySelector('#user-action-result').textContent));
  assert.equal(revoked(), 1);
  assert.deepEqual(unexpected(problems), []);
});
