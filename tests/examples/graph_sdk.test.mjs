// SPDX-License-Identifier: MIT
// Microsoft's Graph JavaScript SDK (@microsoft/microsoft-graph-client
// 3.0.7) against Tollgate, written as for graph.microsoft.com with two
// changes: the client's baseUrl + customHosts, and where the token comes
// from. Run by tests/examples/test_graph_sdk.sh, which starts the server
// (public_url https://127.0.0.1:TG_TLS_PORT) and exports TOLLGATE, TG_DATA,
// TG_PLAIN_URL, TG_TLS_PORT, TG_TLS_KEY/CERT, TG_APP_ID/SECRET, TG_E2E.
// Every effect is read back with the tollgate CLI on the data folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

// the SDK lives in tests/e2e/node_modules (one package.json for the tests)
const require = createRequire(path.join(process.env.TG_E2E, 'package.json'));
const {
  Client, PageIterator, BatchRequestContent, BatchResponseContent, GraphError,
} = require('@microsoft/microsoft-graph-client');

const TLS_PORT = Number(process.env.TG_TLS_PORT);
const SERVER = `https://127.0.0.1:${TLS_PORT}`;
const TENANT = `${SERVER}/default`;
const PLAIN = new URL(process.env.TG_PLAIN_URL);

// cli(...args): the tollgate CLI's --json answer, parsed
function cli(...args) {
  const out = execFileSync(process.env.TOLLGATE, ['--data', process.env.TG_DATA, '--json', ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}
const mfaState = (upn) => cli('mfa', 'show', upn).perUserMfaState;
const sdEnabled = () => cli('security-defaults', 'show').isEnabled;

// expectGraphError(promise, status, code): the SDK rejects with its own
// GraphError carrying Tollgate's status, code and request id
async function expectGraphError(promise, statusCode, code) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof GraphError, `expected a GraphError, got ${err}`);
  assert.equal(err.statusCode, statusCode, err.message);
  assert.equal(err.code, code, err.message);
  assert.match(err.requestId ?? '', /\S/, 'the request id is carried over');
  return err;
}

// The https front a deployment has in its reverse proxy: TLS on TG_TLS_PORT,
// bytes passed to the plain server.
const sockets = new Set();
const front = tls.createServer({
  key: readFileSync(process.env.TG_TLS_KEY), cert: readFileSync(process.env.TG_TLS_CERT),
}, (c) => {
  const s = net.connect(Number(PLAIN.port), PLAIN.hostname);
  for (const x of [c, s]) {
    sockets.add(x);
    x.on('close', () => sockets.delete(x));
  }
  c.on('error', () => s.destroy());
  s.on('error', () => c.destroy());
  c.pipe(s).pipe(c);
});

let token;
let client;
before(async () => {
  await new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(TLS_PORT, '127.0.0.1', resolve);
  });
  // An app-only token (client credentials), as @azure/identity would get
  // one from login.microsoftonline.com: here from the tenant's endpoint.
  const r = await fetch(`${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials', client_id: process.env.TG_APP_ID,
      client_secret: process.env.TG_APP_SECRET, scope: `${TENANT}/.default`,
    }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  token = (await r.json()).access_token;
  assert.ok(token);
  // The two changed lines: baseUrl (+ customHosts so the SDK sends the
  // token there) and the token.
  client = Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${TENANT}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set(['127.0.0.1']),
  });
});
after(() => {
  front.close();
  for (const s of sockets) s.destroy();
});

test('the SDK sends the token only to https hosts: over plain http it is a 401', async () => {
  const plain = Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${PLAIN.origin}/default/`,
    customHosts: new Set(['127.0.0.1']),
  });
  await expectGraphError(plain.api('/users').top(1).get(), 401, 'InvalidAuthenticationToken');
  // the same request over https carries it
  const page = await client.api('/users').top(1).get();
  assert.equal(page.value.length, 1);
});

test('security defaults: GET and PATCH', async () => {
  const sd = await client.api('/policies/identitySecurityDefaultsEnforcementPolicy').get();
  assert.equal(sd.id, '00000000-0000-0000-0000-000000000005');
  assert.equal(sd.isEnabled, false);
  await client.api('/policies/identitySecurityDefaultsEnforcementPolicy').patch({ isEnabled: true });
  assert.equal(sdEnabled(), true, 'on as the CLI sees it');
  const on = await client.api('/policies/identitySecurityDefaultsEnforcementPolicy').get();
  assert.equal(on.isEnabled, true);
  await client.api('/policies/identitySecurityDefaultsEnforcementPolicy').patch({ isEnabled: false });
  assert.equal(sdEnabled(), false, 'off again');
});

test('Conditional Access: create (report-only, a real group), list, patch, 409 under security defaults, delete', async () => {
  const group = cli('group', 'list').find((g) => g.displayName === 'MFA pilot');
  assert.ok(group, 'the group made by the runner');
  const ghost = '11111111-2222-3333-4444-555555555555';
  const draft = {
    displayName: 'Require MFA for the pilot',
    state: 'enabledForReportingButNotEnforced',
    conditions: {
      users: { includeGroups: [ghost] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
  const bad = await expectGraphError(
    client.api('/identity/conditionalAccess/policies').post(draft), 400, 'Request_BadRequest');
  assert.match(bad.message, /includeGroups\[0\]/, 'the JSON path of the unknown group');
  assert.equal(cli('policy', 'list').length, 0, 'nothing stored for an unknown group');

  draft.conditions.users.includeGroups = [group.id];
  const created = await client.api('/identity/conditionalAccess/policies').post(draft);
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  const stored = cli('policy', 'show', created.id);
  assert.equal(stored.state, 'enabledForReportingButNotEnforced');
  assert.deepEqual(stored.conditions.users.includeGroups, [group.id]);
  assert.deepEqual(stored.grantControls.builtInControls, ['mfa']);

  const list = await client.api('/identity/conditionalAccess/policies').get();
  assert.deepEqual(list.value.map((p) => p.id), [created.id]);

  await client.api(`/identity/conditionalAccess/policies/${created.id}`)
    .patch({ state: 'enabled', displayName: 'Require MFA for the pilot (on)' });
  const on = cli('policy', 'show', created.id);
  assert.equal(on.state, 'enabled');
  assert.equal(on.displayName, 'Require MFA for the pilot (on)');

  const conflict = await expectGraphError(
    client.api('/policies/identitySecurityDefaultsEnforcementPolicy').patch({ isEnabled: true }),
    409, 'Request_Conflict');
  assert.match(conflict.message, /Conditional Access/);
  assert.equal(sdEnabled(), false, 'security defaults stay off');

  await client.api(`/identity/conditionalAccess/policies/${created.id}`).delete();
  assert.equal(cli('policy', 'list').length, 0, 'deleted');
  await expectGraphError(client.api(`/identity/conditionalAccess/policies/${created.id}`).get(),
    404, 'Request_ResourceNotFound');
});

test('named location: create and delete', async () => {
  const loc = await client.api('/identity/conditionalAccess/namedLocations').post({
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    displayName: 'Head office',
    isTrusted: false,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '192.0.2.0/24' }],
  });
  assert.equal(loc['@odata.type'], '#microsoft.graph.ipNamedLocation');
  const stored = cli('location', 'show', loc.id);
  assert.equal(stored.displayName, 'Head office');
  assert.equal(stored.ipRanges[0].cidrAddress, '192.0.2.0/24');
  await client.api(`/identity/conditionalAccess/namedLocations/${loc.id}`).delete();
  assert.equal(cli('location', 'list').length, 0, 'deleted');
});

test('users: create, then $filter/$top/$select', async () => {
  const made = await client.api('/users').post({
    accountEnabled: true,
    displayName: 'Sam SDK',
    mailNickname: 'sam',
    userPrincipalName: 'sam@contoso.test',
    passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Corr3ct-Horse-Battery' },
  });
  assert.equal(made.userPrincipalName, 'sam@contoso.test');
  const stored = cli('user', 'show', 'sam@contoso.test');
  assert.equal(stored.id, made.id);
  assert.equal(stored.displayName, 'Sam SDK');
  assert.equal(stored.passwordMustChange, true);

  const page = await client.api('/users')
    .filter("startswith(userPrincipalName,'page00')")
    .top(5)
    .select(['userPrincipalName', 'displayName'])
    .get();
  assert.deepEqual(page.value.map((u) => u.userPrincipalName),
    [1, 2, 3, 4, 5].map((i) => `page00${i}@contoso.test`));
  assert.deepEqual(Object.keys(page.value[0]).sort(), ['displayName', 'id', 'userPrincipalName']);
  assert.match(page['@odata.nextLink'], /^https:\/\/127\.0\.0\.1:\d+\/default\/v1\.0\/users\?/);
  // the rest of page001..page009 on the next page of the SDK's request
  const next = await client.api(page['@odata.nextLink']).get();
  assert.deepEqual(next.value.map((u) => u.userPrincipalName),
    [6, 7, 8, 9].map((i) => `page00${i}@contoso.test`));
  assert.equal(next['@odata.nextLink'], undefined);
});

test('users: PageIterator follows @odata.nextLink over every user once', async () => {
  const seen = [];
  let pages = 1;
  const first = await client.api('/users').top(100).select('id,userPrincipalName').get();
  const it = new PageIterator(client, first, (u) => {
    seen.push(u.userPrincipalName);
    return true;
  });
  // count the pages the iterator fetches through the SDK's own request
  const fetchNext = it.fetchAndUpdateNextPageData.bind(it);
  it.fetchAndUpdateNextPageData = async () => { pages += 1; return fetchNext(); };
  await it.iterate();
  assert.ok(it.isComplete());
  const all = cli('user', 'list').map((u) => u.userPrincipalName);
  assert.ok(all.length >= 262, `${all.length} users (admin, 260 imported, sam)`);
  assert.equal(seen.length, all.length, 'as many as the CLI lists');
  assert.equal(new Set(seen).size, seen.length, 'none twice');
  assert.deepEqual([...seen].sort(), [...all].sort(), 'the same users');
  assert.equal(pages, Math.ceil(all.length / 100), 'pages of 100');
});

test('per-user MFA: beta requirements GET and PATCH', async () => {
  const r = await client.api('/users/page100@contoso.test/authentication/requirements').version('beta').get();
  assert.equal(r.perUserMfaState, 'disabled');
  await client.api('/users/page100@contoso.test/authentication/requirements').version('beta')
    .patch({ perUserMfaState: 'enforced' });
  assert.equal(mfaState('page100@contoso.test'), 'enforced');
  assert.equal(mfaState('page101@contoso.test'), 'disabled', 'no one else');
  const id = cli('user', 'show', 'page101@contoso.test').id;
  await client.api(`/users/${id}/authentication/requirements`).version('beta')
    .patch({ perUserMfaState: 'enabled' });
  assert.equal(mfaState('page101@contoso.test'), 'enabled', 'by object id');
  const back = await client.api(`/users/${id}/authentication/requirements`).version('beta').get();
  assert.equal(back.perUserMfaState, 'enabled');
  await expectGraphError(
    client.api('/users/page100@contoso.test/authentication/requirements').version('beta')
      .patch({ perUserMfaState: 'sometimes' }), 400, 'Request_BadRequest');
  assert.equal(mfaState('page100@contoso.test'), 'enforced', 'unchanged by a bad value');
});

test('JSON batch: BatchRequestContent with dependsOn, read with BatchResponseContent', async () => {
  const req = (method, upn, body) => new Request(
    `${TENANT}/beta/users/${upn}/authentication/requirements`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  // a serial chain (the SDK accepts parallel, serial or one shared
  // dependency): 4 names an unknown user, so 5 is not run
  const batch = new BatchRequestContent([
    { id: '1', request: req('PATCH', 'page201@contoso.test', { perUserMfaState: 'enabled' }) },
    { id: '2', request: req('PATCH', 'page202@contoso.test', { perUserMfaState: 'enforced' }), dependsOn: ['1'] },
    { id: '3', request: req('GET', 'page202@contoso.test'), dependsOn: ['2'] },
    { id: '4', request: req('PATCH', 'ghost@contoso.test', { perUserMfaState: 'enabled' }), dependsOn: ['3'] },
    { id: '5', request: req('PATCH', 'page203@contoso.test', { perUserMfaState: 'enabled' }), dependsOn: ['4'] },
  ]);
  const answer = await client.api('/$batch').version('beta').post(await batch.getContent());
  const res = new BatchResponseContent(answer);
  assert.equal(res.getResponseById('1').status, 204);
  assert.equal(res.getResponseById('2').status, 204);
  const three = res.getResponseById('3');
  assert.equal(three.status, 200);
  assert.equal((await three.json()).perUserMfaState, 'enforced', 'read after the change it depends on');
  const four = res.getResponseById('4');
  assert.equal(four.status, 404);
  assert.equal((await four.json()).error.code, 'Request_ResourceNotFound');
  const five = res.getResponseById('5');
  assert.equal(five.status, 424, 'not run: its dependency failed');
  assert.equal((await five.json()).error.code, 'Request_FailedDependency');
  assert.equal(mfaState('page201@contoso.test'), 'enabled');
  assert.equal(mfaState('page202@contoso.test'), 'enforced');
  assert.equal(mfaState('page203@contoso.test'), 'disabled', 'the dependent of a failure did not run');
  const audit = cli('audit', 'list', '--action', 'user.mfa_state');
  assert.ok(audit.some((a) => JSON.stringify(a).includes(`app:${process.env.TG_APP_ID}`)),
    'audited with the app as the actor');
});

test('a missing user is GraphError 404 Request_ResourceNotFound', async () => {
  const err = await expectGraphError(client.api('/users/ghost@contoso.test').get(),
    404, 'Request_ResourceNotFound');
  assert.match(err.message, /ghost@contoso\.test/);
  await expectGraphError(
    client.api('/users/ghost@contoso.test/authentication/requirements').version('beta')
      .patch({ perUserMfaState: 'enforced' }), 404, 'Request_ResourceNotFound');
});
