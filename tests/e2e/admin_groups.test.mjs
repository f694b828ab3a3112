// SPDX-License-Identifier: MIT
// The Groups section of the admin portal (#/groups) in a real browser
// (run by test_admin_groups.sh); every change is read back with the CLI on
// the server's data directory:
//  - a Global Administrator creates a group (a taken name is shown at the
//    field and creates nothing), adds two users and a nested group (an
//    unknown user is shown at the field), sees them with their kind and
//    through nesting, removes one after a confirmation (cancel keeps it);
//    the object id shown equals the CLI's;
//  - renaming works; deleting a group a Conditional Access policy names
//    shows the server's 409 naming the policy and keeps the group; once
//    the policy is gone the delete succeeds;
//  - a Global Reader sees groups and members and no write control;
//  - a User Administrator cannot add an administrator to a group (the 403
//    at the field) but can add a user;
//  - 60 groups: 50 on the first page, Next shows the other 10;
//  - the section in Swedish.
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { addAdmin, addUser, closeAll, newContext, openSection, signInToPortal, tg, tgJson,
         watch } from './admin_lib.mjs';

after(closeAll);

const noise = (p) => !/400|401|403|404|409|Failed to load resource/.test(p);
const groups = () => tgJson(['group', 'list']);
const groupByName = (name) => groups().find((g) => g.displayName === name);
const members = (name, transitive = false) =>
  tgJson(['group', 'members', name, ...(transitive ? ['--transitive'] : [])])
    .map((m) => `${m.type}:${m.name}`).sort();
const MEMBERS = '#group-members-table';

// The keys (object ids) of the rows a table shows once it shows n rows.
async function rowKeys(page, table, n) {
  await page.waitForFunction(([sel, k]) =>
    document.querySelectorAll(`${sel} tbody tr[data-key]`).length === k, [table, n]);
  return page.$$eval(`${table} tbody tr[data-key]`, (trs) => trs.map((tr) => tr.dataset.key));
}

async function confirm(page, ok = true) {
  await page.waitForSelector('#confirm[open]');
  await page.click(ok ? '#confirm-ok' : '#confirm-cancel');
  await page.waitForSelector('#confirm:not([open])', { state: 'attached' });
}

async function addMember(page, kind, who) {
  await page.selectOption('#group-add-kind', kind);
  await page.fill('#group-add-who', who);
  await page.click('#group-add');
}

test('a Global Administrator creates a group, adds users and a nested group, removes one', async () => {
  const upn = 'gina.groups@contoso.test';
  const secret = addAdmin(upn);
  addUser('ga.alice@contoso.test');
  addUser('ga.bob@contoso.test');
  addUser('ga.carol@contoso.test');
  tg(['group', 'add', 'GA Nested']);
  tg(['group', 'member', 'add', 'GA Nested', '--user', 'ga.carol@contoso.test']);
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/groups');
  assert.match(await page.textContent('#nav'), /Groups/);
  assert.equal(await page.textContent('.page--groups h1'), 'Groups');

  // a taken name: the server's message at the name field, nothing created
  await page.click('#groups-new');
  await page.waitForSelector('#group-create-name');
  await page.fill('#group-create-name', 'GA Nested');
  await page.click('#group-create');
  await page.waitForSelector('#group-create-name-error:not([hidden])');
  const taken = await page.textContent('#group-create-name-error');
  assert.match(taken, /Another object with the same value for property displayName already exists/);
  assert.match(taken, /Request id: [0-9a-f-]{36}/);
  assert.equal(await page.getAttribute('#group-create-name', 'aria-invalid'), 'true');
  assert.equal(groups().filter((g) => g.displayName === 'GA Nested').length, 1);

  // created: the group's page, its id the CLI's
  await page.fill('#group-create-name', 'GA Sales');
  await page.fill('#group-create-description', 'Sales team');
  await page.click('#group-create');
  await page.waitForSelector('#group-result .alert--ok');
  const cli = groupByName('GA Sales');
  assert.ok(cli, 'the CLI lists the new group');
  assert.equal(cli.description, 'Sales team');
  assert.equal(await page.textContent('.page--groups h1'), 'GA Sales');
  assert.equal(await page.textContent('#group-id code'), cli.id);
  assert.ok(page.url().includes(`#/groups/${cli.id}`));

  // two users by UPN, a group by name; an unknown user at the field
  for (const who of ['ga.alice@contoso.test', 'ga.bob@contoso.test']) {
    await addMember(page, 'user', who);
    await page.waitForSelector(`#group-add-result .alert--ok:has-text("${who}")`);
  }
  await addMember(page, 'group', 'GA Nested');
  await page.waitForSelector('#group-add-result .alert--ok:has-text("GA Nested")');
  await addMember(page, 'user', 'ga.nobody@contoso.test');
  await page.waitForSelector('#group-add-who-error:not([hidden])');
  assert.match(await page.textContent('#group-add-who-error'), /Request_ResourceNotFound/);
  await addMember(page, 'group', 'GA Nowhere');
  await page.waitForFunction(() => /no group named "GA Nowhere"/.test(
    document.querySelector('#group-add-who-error').textContent));
  assert.deepEqual(members('GA Sales'),
    ['group:GA Nested', 'user:ga.alice@contoso.test', 'user:ga.bob@contoso.test']);

  // the direct members with their kind; all members through nesting
  await rowKeys(page, MEMBERS, 3);
  const kinds = await page.$$eval(`${MEMBERS} tbody tr`, (trs) => trs.map((tr) =>
    `${tr.querySelector('[data-kind]').dataset.kind}:${tr.querySelectorAll('td')[1].textContent ||
      tr.querySelector('th').textContent}`).sort());
  assert.deepEqual(kinds, ['group:GA Nested', 'user:ga.alice@contoso.test', 'user:ga.bob@contoso.test']);
  await page.click('#group-tab-all');
  await rowKeys(page, MEMBERS, 4);
  assert.equal(await page.getAttribute('#group-tab-all', 'aria-selected'), 'true');
  assert.match(await page.textContent(MEMBERS), /ga\.carol@contoso\.test/);
  assert.equal(await page.locator(`${MEMBERS} .groups-remove`).count(), 0, 'no Remove among all members');
  assert.ok(await page.locator(`${MEMBERS} thead th`).last().isHidden(), 'nor an empty Remove column');
  assert.ok(await page.locator('form.groups-add').isHidden());
  assert.equal(members('GA Sales', true).length, 4);
  await page.click('#group-tab-direct');
  await rowKeys(page, MEMBERS, 3);

  // remove bob: cancel keeps him, confirm removes him
  const bob = page.getByRole('button', { name: 'Remove ga.bob (ga.bob@contoso.test)' });
  await bob.click();
  await confirm(page, false);
  assert.equal(members('GA Sales').length, 3);
  await bob.click();
  await confirm(page);
  await page.waitForSelector('#group-member-result .alert--ok');
  await rowKeys(page, MEMBERS, 2);
  assert.deepEqual(members('GA Sales'), ['group:GA Nested', 'user:ga.alice@contoso.test']);

  // the list: search by the start of the name, the id beside it
  await openSection(page, '#/groups');
  await page.fill('#groups-search', 'ga s');
  assert.deepEqual(await rowKeys(page, '#groups-table', 1), [cli.id]);
  assert.equal(await page.textContent(`#groups-table tr[data-key="${cli.id}"] code`), cli.id);
  assert.match(await page.textContent('#groups-table'), /Sales team/);
  assert.match(page.url(), /#\/groups\?q=ga%20s$/);
  assert.deepEqual(problems.filter(noise), []);
});

test('a group named by a Conditional Access policy is not deleted until the policy goes', async () => {
  const upn = 'dora.delete@contoso.test';
  const secret = addAdmin(upn);
  tg(['group', 'add', 'GA Pilot']);
  const id = groupByName('GA Pilot').id;
  const policy = JSON.parse(tg(['--json', 'policy', 'create', '-'], JSON.stringify({
    displayName: 'Pilot group needs MFA',
    state: 'disabled',
    conditions: {
      users: { includeGroups: [id] },
      applications: { includeApplications: ['All'] },
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  })));
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, `#/groups/${id}`);
  await page.waitForSelector('#group-edit-name');

  // rename and describe; the CLI reads the new name
  await page.fill('#group-edit-name', 'GA Pilot Users');
  await page.fill('#group-edit-description', 'Pilot of the MFA rollout');
  await page.click('#group-save');
  await page.waitForSelector('#group-result .alert--ok');
  assert.equal(await page.textContent('.page--groups h1'), 'GA Pilot Users');
  const renamed = groups().find((g) => g.id === id);
  assert.equal(renamed.displayName, 'GA Pilot Users');
  assert.equal(renamed.description, 'Pilot of the MFA rollout');

  // cancel deletes nothing; confirm: the server's 409 naming the policy
  await page.click('#group-delete');
  await confirm(page, false);
  await page.click('#group-delete');
  await confirm(page);
  await page.waitForSelector('#group-result .alert--danger');
  const msg = await page.textContent('#group-result');
  assert.match(msg, /Pilot group needs MFA/);
  assert.match(msg, /Request_Conflict/);
  assert.match(msg, /Request id: [0-9a-f-]{36}/);
  assert.ok(groups().some((g) => g.id === id), 'the group still exists');

  // the policy's page names the group (not its GUID) and links to it
  await openSection(page, `#/ca/${policy.id}`);
  const link = page.locator(`.page--ca dd a[data-id="${id}"]`);
  assert.equal(await link.textContent(), 'GA Pilot Users');
  assert.equal(await link.getAttribute('href'), `#/groups/${id}`);
  await link.click();
  await page.waitForSelector('.page--groups:not([aria-busy]) #group-delete');

  // the policy gone, the delete goes through
  tg(['policy', 'delete', policy.id]);
  await page.click('#group-delete');
  await confirm(page);
  await page.waitForSelector('#groups-back');
  assert.equal(await page.textContent('.page--groups h1'), 'Group deleted');
  assert.ok(!groups().some((g) => g.id === id), 'the CLI no longer lists the group');
  assert.deepEqual(problems.filter(noise), []);
});

test('a Global Reader sees groups and members but no write control', async () => {
  const upn = 'rita.reader@contoso.test';
  const secret = addAdmin(upn, 'global-reader');
  addUser('gr.member@contoso.test');
  tg(['group', 'add', 'GR Team', '--description', 'Read only']);
  tg(['group', 'member', 'add', 'GR Team', '--user', 'gr.member@contoso.test']);
  const id = groupByName('GR Team').id;
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/groups?q=GR%20T');
  assert.match(await page.textContent('#nav'), /Groups/);
  assert.deepEqual(await rowKeys(page, '#groups-table', 1), [id]);
  assert.equal(await page.locator('#groups-new').count(), 0, 'no New group');
  await page.click(`#groups-table tr[data-key="${id}"] button.linklike`);
  await page.waitForSelector('.page--groups:not([aria-busy]) #group-id');
  await rowKeys(page, MEMBERS, 1);
  assert.match(await page.textContent(MEMBERS), /gr\.member@contoso\.test/);
  assert.match(await page.textContent('.page--groups .details'), /Read only/);
  for (const sel of ['#group-add', '#group-delete', '#group-save', '.groups-remove', '#group-manage']) {
    assert.equal(await page.locator(sel).count(), 0, `no ${sel}`);
  }
  await openSection(page, '#/groups/new');
  assert.equal(await page.locator('#group-create').count(), 0);
  assert.match(await page.textContent('.page--groups'), /can read groups but not change them/);
  assert.deepEqual(problems.filter(noise), []);
});

test('a User Administrator cannot add an administrator to a group, but a user', async () => {
  const upn = 'ursula.useradmin@contoso.test';
  const secret = addAdmin(upn, 'user-admin');
  addAdmin('ua.admin@contoso.test', 'security-admin');
  addUser('ua.plain@contoso.test');
  tg(['group', 'add', 'UA Team']);
  const id = groupByName('UA Team').id;
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, `#/groups/${id}`);
  await page.waitForSelector('#group-add');
  await addMember(page, 'user', 'ua.admin@contoso.test');
  await page.waitForSelector('#group-add-who-error:not([hidden])');
  assert.match(await page.textContent('#group-add-who-error'), /not allowed/);
  await addMember(page, 'user', 'ua.plain@contoso.test');
  await page.waitForSelector('#group-add-result .alert--ok');
  await rowKeys(page, MEMBERS, 1);
  assert.deepEqual(members('UA Team'), ['user:ua.plain@contoso.test']);
  assert.deepEqual(problems.filter(noise), []);
});

test('60 groups: 50 on the first page, Next shows the other 10', async () => {
  const upn = 'paula.pages@contoso.test';
  const secret = addAdmin(upn, 'global-reader');
  for (let i = 0; i < 60; i++) tg(['group', 'add', `PG ${String(i).padStart(2, '0')}`]);
  const all = groups().filter((g) => g.displayName.startsWith('PG ')).map((g) => g.id);
  assert.equal(all.length, 60);
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/groups?q=PG%20');
  const table = page.locator('#groups-table');
  const next = table.getByRole('button', { name: 'Next page' });
  const first = await rowKeys(page, '#groups-table', 50);
  assert.ok(await next.isEnabled());
  await next.click();
  await page.waitForFunction(() => document.querySelector('#groups-table .paged__info').textContent === 'Page 2');
  const second = await rowKeys(page, '#groups-table', 10);
  assert.ok(await next.isDisabled(), 'no Next on the last page');
  assert.deepEqual([...first, ...second].sort(), [...all].sort(), 'every group once');
  const names = await page.$$eval('#groups-table tbody th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(names, Array.from({ length: 10 }, (_, i) => `PG ${50 + i}`), 'by name');
  assert.deepEqual(problems.filter(noise), []);
});

test('the Groups section in Swedish', async () => {
  const upn = 'sven.grupper@contoso.test';
  const secret = addAdmin(upn, 'global-admin', { lang: 'sv' });
  addUser('sv.member@contoso.test');
  tg(['group', 'add', 'SV Grupp']);
  tg(['group', 'member', 'add', 'SV Grupp', '--user', 'sv.member@contoso.test']);
  const id = groupByName('SV Grupp').id;
  const ctx = await newContext({ locale: 'sv-SE' });
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, upn, secret, '#/groups?q=SV');
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  assert.match(await page.textContent('#nav'), /Grupper/);
  assert.equal(await page.textContent('.page--groups h1'), 'Grupper');
  assert.equal(await page.textContent('#groups-new'), 'Ny grupp');
  await rowKeys(page, '#groups-table', 1);
  const heads = await page.$$eval('#groups-table thead th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(heads, ['Namn', 'Objekt-ID', 'Beskrivning']);
  await openSection(page, `#/groups/${id}`);
  await rowKeys(page, MEMBERS, 1);
  assert.equal(await page.textContent('#group-members-h'), 'Medlemmar');
  assert.equal(await page.textContent('#group-add-h'), 'Lägg till medlemmar');
  assert.equal(await page.textContent('#group-tab-direct'), 'Direkta medlemmar');
  assert.equal(await page.textContent(`${MEMBERS} .groups-remove`), 'Ta bort');
  assert.equal(await page.textContent(`${MEMBERS} [data-kind]`), 'Användare');
  assert.equal(await page.textContent('#group-delete'), 'Ta bort grupp');
  assert.deepEqual(problems.filter(noise), []);
});
