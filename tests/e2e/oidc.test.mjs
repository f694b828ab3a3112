// SPDX-License-Identifier: MIT
// The OpenID Connect provider against a real relying party: npm
// `openid-client` (6.x) discovers the issuer, runs the authorization code
// flow with PKCE while Playwright drives the sign-in pages in Debian's
// chromium, checks the ID token's signature against the JWKS, refreshes,
// and gets app-only tokens. Then bad input, with fetch: each refusal is a
// clear OAuth error, never a crash, never a token.
// Run by run.sh (TG_URL, TG_DATA; TOLLGATE is the binary under test).
import * as client from 'openid-client';
import * as OTPAuth from 'otpauth';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { launch } from './browser.mjs';

const base = process.env.TG_URL;
const issuer = new URL(`${base}/default/v2.0`);
const endpoint = (name) => `${base}/default/oauth2/v2.0/${name}`;
let REDIRECT;         // http://localhost:PORT/cb: the relying party's callback (rp below)
const PASSWORD = 'Correct-Horse-42!';
const insecure = { execute: [client.allowInsecureRequests] };

// ---- set-up through the CLI --------------------------------------------------

function cli(args, input) {
  return execFileSync(process.env.TOLLGATE, ['--data', process.env.TG_DATA, ...args],
    { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
const cliJson = (args) => JSON.parse(cli(['--json', ...args]));
function sql(statement) {
  execFileSync('sqlite3', [`${process.env.TG_DATA}/tollgate.db`, statement]);
}
function addUser(upn) {
  cli(['user', 'add', upn, '--password-stdin'], `${PASSWORD}\n`);
  return cliJson(['user', 'show', upn]).id;
}

// TOTP: each time step is accepted once per user, so remember the last one
// used and always present a later one (within the ±1 step window).
const totpUsers = {};
function totpCode(upn) {
  const u = totpUsers[upn];
  const now = Math.floor(Date.now() / 1000 / 30);
  const step = Math.max(now, u.lastStep + 1);
  u.lastStep = step;
  const t = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(u.secret) });
  return t.generate({ timestamp: step * 30 * 1000 });
}
function addAuthenticator(upn) {
  const m = cliJson(['method', 'add-app', upn]);
  totpUsers[upn] = { secret: m.secret, lastStep: 0 };
  cli(['method', 'activate', upn, m.id, totpCode(upn)]);
}

// The relying party's redirect endpoint: a tiny server that remembers
// each callback URL and hands it to whoever waits for the next one.
const rp = { server: null, waiting: [] };
function nextCallback() {
  return new Promise((resolve, reject) => {
    const waiter = (url) => { clearTimeout(timer); resolve(url); };
    const timer = setTimeout(() => {
      rp.waiting = rp.waiting.filter((w) => w !== waiter);
      reject(new Error('no callback within 60 s'));
    }, 60000);
    rp.waiting.push(waiter);
  });
}
async function startRelyingParty() {
  rp.server = createServer((req, res) => {
    const url = new URL(req.url, REDIRECT);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    const w = rp.waiting.shift();
    if (w) w(url);
  });
  await new Promise((resolve) => rp.server.listen(0, '127.0.0.1', resolve));
  REDIRECT = `http://localhost:${rp.server.address().port}/cb`;
}

let ctx;
let publicApp;        // public client: PKCE, refresh tokens
let webApp;           // confidential client with a secret, RS256 ID tokens
let daemonApp;        // client_credentials with an application permission
let users;

before(async () => {
  await startRelyingParty();
  users = {
    alice: addUser('alice@contoso.test'),   // per-user MFA disabled
    bob: addUser('bob@contoso.test'),       // enforced, authenticator app
    carol: addUser('carol@contoso.test'),   // disabled, later enabled without methods
    dave: addUser('dave@contoso.test'),     // sign-in frequency policy
  };
  users.erin = addUser('erin@contoso.test');   // disabled, has an authenticator (step-up)
  addAuthenticator('bob@contoso.test');
  addAuthenticator('erin@contoso.test');
  cli(['mfa', 'set', 'enforced', 'bob@contoso.test']);
  publicApp = cliJson(['app', 'add', 'SPA', '--public', '--redirect-uri', REDIRECT]);
  webApp = cliJson(['app', 'add', 'Web', '--redirect-uri', REDIRECT, '--signing-alg', 'RS256']);
  daemonApp = cliJson(['app', 'add', 'Daemon', '--grant', 'client_credentials',
    '--permission', 'User.Read.All']);
  ctx = await launch();
});
after(async () => {
  if (ctx) await ctx.close();
  rp.server?.close();
});

async function publicConfig() {
  return client.discovery(issuer, publicApp.appId,
    { id_token_signed_response_alg: 'ES256' }, client.None(), insecure);
}

// Sign in through the pages: from the app's authorization URL to the
// redirect back to the relying party. steps: the pages expected on the
// way ('password', 'mfa'); [] when the session is enough.
async function browserSignIn(authUrl, upn, { steps = ['password'], fresh = true } = {}) {
  if (fresh) await ctx.clearCookies();
  const page = await ctx.newPage();
  const back = nextCallback();
  try {
    await page.goto(authUrl.href);
    for (const step of steps) {
      if (step === 'password') {
        await page.waitForSelector('#p-password:not([hidden])');
        await page.fill('#username', upn);
        await page.fill('#password', PASSWORD);
        await page.click('#f-password button[type=submit]');
      } else {
        await page.waitForSelector('#p-mfa:not([hidden])');
        await page.fill('#mfa-code', totpCode(upn));
        await page.click('#f-mfa button[type=submit]');
      }
    }
    return await back;
  } finally {
    await page.close();
  }
}

// The whole code flow for a public client; returns { config, tokens }.
async function codeFlow(upn, opts = {}) {
  const config = await publicConfig();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope: 'openid profile email offline_access', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256', ...(opts.params || {}),
  });
  const back = await browserSignIn(url, upn, opts);
  const tokens = await client.authorizationCodeGrant(config, back, {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce,
    idTokenExpected: true,
  });
  return { config, tokens, back };
}

function jwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

async function form(url, fields, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields),
    redirect: 'manual',
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { res, text, json };
}

// Refusals carry an OAuth error and never a token.
function assertOAuthError(r, status, error) {
  assert.equal(r.res.status, status, r.text);
  assert.equal(r.json?.error, error, r.text);
  assert.equal(r.json.access_token, undefined);
  assert.equal(r.json.id_token, undefined);
  assert.equal(r.json.refresh_token, undefined);
  assert.equal(r.res.headers.get('cache-control'), 'no-store');
}

// ---- the flows ----------------------------------------------------------------

describe('openid-client against the discovery document', () => {
  test('discovery names the endpoints, PKCE S256, ES256 and RS256', async () => {
    const config = await publicConfig();
    const md = config.serverMetadata();
    assert.equal(md.issuer, issuer.href);
    assert.deepEqual(md.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(md.response_types_supported, ['code']);
    assert.deepEqual(md.id_token_signing_alg_values_supported, ['ES256', 'RS256']);
    assert.deepEqual(md.token_endpoint_auth_methods_supported,
      ['client_secret_basic', 'client_secret_post', 'none']);
    assert.equal(md.jwks_uri, `${base}/default/discovery/v2.0/keys`);
    const jwks = await (await fetch(md.jwks_uri)).json();
    assert.deepEqual(jwks.keys.map((k) => k.alg), ['ES256', 'RS256']);
    for (const k of jwks.keys) assert.equal(k.d, undefined, 'no private member');
  });

  test('authorization code + PKCE: password only (per-user MFA disabled)', async () => {
    const { config, tokens, back } = await codeFlow('alice@contoso.test');
    assert.equal(back.searchParams.get('iss'), issuer.href, 'RFC 9207 iss');
    const c = tokens.claims();
    assert.equal(c.sub, users.alice);
    assert.equal(c.aud, publicApp.appId);
    assert.equal(c.upn, 'alice@contoso.test');
    assert.deepEqual(c.amr, ['pwd']);
    assert.equal(c.acr, 'pwd');
    assert.ok(c.auth_time > 0 && c.auth_time <= c.iat);
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
    assert.equal(tokens.expires_in, 3600);
    const at = jwtPayload(tokens.access_token);
    assert.equal(at.aud, base);
    assert.equal(at.client_id, publicApp.appId);
    assert.equal(at.exp - at.iat, 3600);
    const info = await client.fetchUserInfo(config, tokens.access_token, users.alice);
    assert.equal(info.preferred_username, 'alice@contoso.test');
    // a single-page app on another origin (another port) reads discovery
    // and calls /userinfo with the token: a CORS preflight, then the call
    const spa = createServer((q, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end('<!doctype html><title>spa</title>');
    });
    await new Promise((ok) => spa.listen(0, '127.0.0.1', ok));
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${spa.address().port}/`);
    const fromApp = await page.evaluate(async ([disc, ui, at]) => {
      const md = await (await fetch(disc)).json();
      const res = await fetch(ui, { headers: { Authorization: `Bearer ${at}` } });
      return { issuer: md.issuer, status: res.status, body: await res.json() };
    }, [`${base}/default/v2.0/.well-known/openid-configuration`, endpoint('userinfo'), tokens.access_token]);
    await page.close();
    spa.close();
    assert.equal(fromApp.issuer, issuer.href);
    assert.equal(fromApp.status, 200);
    assert.equal(fromApp.body.preferred_username, 'alice@contoso.test');
  });

  test('amr contains mfa after a sign-in with an authenticator code', async () => {
    const { tokens } = await codeFlow('bob@contoso.test', { steps: ['password', 'mfa'] });
    const c = tokens.claims();
    assert.equal(c.sub, users.bob);
    assert.ok(c.amr.includes('pwd') && c.amr.includes('mfa'), JSON.stringify(c.amr));
    assert.equal(c.acr, 'mfa');
    assert.ok(jwtPayload(tokens.access_token).amr.includes('mfa'));
  });

  test('an existing session signs in again without a prompt; prompt=none works', async () => {
    await codeFlow('alice@contoso.test');
    const { tokens } = await codeFlow('alice@contoso.test',
      { steps: [], fresh: false, params: { prompt: 'none' } });
    assert.equal(tokens.claims().sub, users.alice);
  });

  test('prompt=none without a session answers login_required', async () => {
    const config = await publicConfig();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid', state: 's1', prompt: 'none',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    await ctx.clearCookies();
    const back = await browserSignIn(url, null, { steps: [], fresh: false });
    assert.equal(back.searchParams.get('error'), 'login_required');
    assert.equal(back.searchParams.get('state'), 's1');
    assert.equal(back.searchParams.get('code'), null);
  });

  test('acr_values=mfa steps up a password-only session with a second factor', async () => {
    const first = await codeFlow('erin@contoso.test');
    assert.deepEqual(first.tokens.claims().amr, ['pwd']);
    const { tokens } = await codeFlow('erin@contoso.test',
      { steps: ['mfa'], fresh: false, params: { acr_values: 'mfa' } });
    const c = tokens.claims();
    assert.ok(c.amr.includes('mfa'), JSON.stringify(c.amr));
    assert.equal(c.acr, 'mfa');
    assert.equal(c.sub, users.erin);
  });

  test('max_age=0 and prompt=login ask for the password again', async () => {
    const first = await codeFlow('alice@contoso.test');
    await new Promise((r) => setTimeout(r, 1100));
    const again = await codeFlow('alice@contoso.test',
      { fresh: false, params: { max_age: '0' } });
    assert.ok(again.tokens.claims().auth_time > first.tokens.claims().auth_time);
    const third = await codeFlow('alice@contoso.test',
      { fresh: false, params: { prompt: 'login' } });
    assert.equal(third.tokens.claims().sub, users.alice);
  });

  test('end session: registered post_logout_redirect_uri, then prompt=none fails', async () => {
    const { config, tokens } = await codeFlow('alice@contoso.test');
    // without an id_token_hint a GET only asks (another site could link here)
    const page = await ctx.newPage();
    await page.goto(endpoint('logout'));
    assert.match(await page.textContent('h1'), /Sign out\?/);
    await page.close();
    const ok = await codeFlow('alice@contoso.test',
      { steps: [], fresh: false, params: { prompt: 'none' } });
    assert.equal(ok.tokens.claims().sub, users.alice, 'still signed in');
    // an unregistered post-logout URI is refused on a page
    const evil = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token,
      post_logout_redirect_uri: 'https://evil.test/' });
    const res = await fetch(evil, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    // with the hint: signed out and sent back with the state
    const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token,
      post_logout_redirect_uri: REDIRECT, state: 'bye' });
    const p2 = await ctx.newPage();
    const back = nextCallback();
    await p2.goto(url.href);
    const landed = await back;
    await p2.close();
    assert.equal(landed.searchParams.get('state'), 'bye');
    const verifier = client.randomPKCECodeVerifier();
    const none = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid', prompt: 'none',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const after = await browserSignIn(none, null, { steps: [], fresh: false });
    assert.equal(after.searchParams.get('error'), 'login_required');
    // the refresh tokens of the ended session are revoked with it
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token),
      (e) => e.error === 'invalid_grant');
  });

  test('a confidential client with client_secret_basic gets RS256 ID tokens', async () => {
    const config = await client.discovery(issuer, webApp.appId,
      { id_token_signed_response_alg: 'RS256' }, client.ClientSecretBasic(webApp.clientSecret),
      insecure);
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config,
      { redirect_uri: REDIRECT, scope: 'openid', state, nonce });
    const back = await browserSignIn(url, 'alice@contoso.test');
    const tokens = await client.authorizationCodeGrant(config, back,
      { expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const header = JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url'));
    assert.equal(header.alg, 'RS256');
    assert.equal(tokens.refresh_token, undefined, 'no offline_access, no refresh token');
  });

  test('refresh tokens rotate; reusing an old one revokes the whole family', async () => {
    const { config, tokens } = await codeFlow('alice@contoso.test');
    const first = tokens.refresh_token;
    const second = await client.refreshTokenGrant(config, first);
    assert.ok(second.refresh_token && second.refresh_token !== first, 'a new refresh token');
    assert.equal(second.claims().sub, users.alice);
    assert.equal(second.claims().auth_time, tokens.claims().auth_time, 'original auth_time');
    const third = await client.refreshTokenGrant(config, second.refresh_token);
    assert.ok(third.access_token);
    await assert.rejects(client.refreshTokenGrant(config, first),
      (e) => e.error === 'invalid_grant');
    // the newest token of the family is revoked too
    await assert.rejects(client.refreshTokenGrant(config, third.refresh_token),
      (e) => e.error === 'invalid_grant');
    const intro = await client.tokenIntrospection(
      await client.discovery(issuer, webApp.appId, webApp.clientSecret, undefined, insecure),
      third.refresh_token);
    assert.equal(intro.active, false);
  });

  test('a refresh re-runs the decision: an enabled user without methods must interact', async () => {
    const { config, tokens } = await codeFlow('carol@contoso.test');
    cli(['mfa', 'set', 'enabled', 'carol@contoso.test']);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token),
      (e) => e.error === 'interaction_required');
    cli(['mfa', 'set', 'disabled', 'carol@contoso.test']);
    const again = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(again.access_token, 'the refused refresh did not spend the token');
  });

  test('sign-in frequency: a refresh older than the policy is invalid_grant 70043', async () => {
    const { config, tokens } = await codeFlow('dave@contoso.test');
    const policy = {
      displayName: 'Sign-in frequency for dave', state: 'enabled',
      conditions: {
        users: { includeUsers: [users.dave] }, applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
      },
      sessionControls: { signInFrequency: { isEnabled: true, type: 'hours', value: 1 } },
    };
    cli(['policy', 'create', '-'], JSON.stringify(policy));
    // the grant's first factor two hours ago (the clock cannot be moved)
    sql(`UPDATE refresh_token SET auth_time = auth_time - 7200 WHERE family_id IN
         (SELECT id FROM refresh_family WHERE user_id = '${users.dave}')`);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token),
      (e) => e.error === 'invalid_grant' && /70043/.test(e.error_description));
  });

  test('client_credentials: an app-only token with the app permission as roles', async () => {
    const config = await client.discovery(issuer, daemonApp.appId, daemonApp.clientSecret,
      client.ClientSecretPost(daemonApp.clientSecret), insecure);
    const tokens = await client.clientCredentialsGrant(config);
    const at = jwtPayload(tokens.access_token);
    assert.equal(at.sub, daemonApp.appId);
    assert.equal(at.idtyp, 'app');
    assert.deepEqual(at.roles, ['User.Read.All']);
    assert.equal(tokens.refresh_token, undefined);
    const intro = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(intro.active, true);
    assert.equal(intro.client_id, daemonApp.appId);
    await client.tokenRevocation(config, tokens.access_token);
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
    // an app-only token has no user: userinfo refuses it
    const res = await fetch(endpoint('userinfo'),
      { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(res.status, 401);
  });

  test('tollgate key rotate-signing: new kid, the previous key still published and trusted', async () => {
    const before = await codeFlow('alice@contoso.test');
    const oldKid = JSON.parse(Buffer.from(before.tokens.access_token.split('.')[0],
      'base64url')).kid;
    const out = cli(['key', 'rotate-signing']);
    assert.match(out, /ES256: new key/);
    const jwks = await (await fetch(`${base}/default/discovery/v2.0/keys`)).json();
    assert.equal(jwks.keys.length, 4);
    assert.ok(jwks.keys.some((k) => k.kid === oldKid), 'the previous key is still in the JWKS');
    // tokens signed before the rotation keep working
    const info = await client.fetchUserInfo(before.config, before.tokens.access_token,
      users.alice);
    assert.equal(info.sub, users.alice);
    // new tokens are signed with the new key, and verify against the JWKS
    const after = await codeFlow('alice@contoso.test');
    const newKid = JSON.parse(Buffer.from(after.tokens.id_token.split('.')[0], 'base64url')).kid;
    assert.notEqual(newKid, oldKid);
    assert.equal(jwks.keys[0].kid, newKid, 'current keys are listed first');
  });
});

// ---- bad input ------------------------------------------------------------------

describe('bad input is refused clearly', () => {
  // A fresh code for alice from the public client, with its verifier.
  async function freshCode() {
    const config = await publicConfig();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid', state: 'st',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const back = await browserSignIn(url, 'alice@contoso.test');
    return { code: back.searchParams.get('code'), verifier };
  }
  const redeem = (code, verifier, extra = {}) => form(endpoint('token'), {
    grant_type: 'authorization_code', client_id: publicApp.appId, code,
    redirect_uri: REDIRECT, ...(verifier ? { code_verifier: verifier } : {}), ...extra,
  });

  test('a wrong redirect_uri at /authorize is an error page, never a redirect', async () => {
    const u = new URL(endpoint('authorize'));
    u.search = new URLSearchParams({ client_id: publicApp.appId, response_type: 'code',
      scope: 'openid', redirect_uri: `${REDIRECT}/evil` });
    const res = await fetch(u, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /AADSTS50011/);
    u.search = new URLSearchParams({ client_id: '00000000-0000-4000-8000-00000000dead',
      response_type: 'code', scope: 'openid', redirect_uri: REDIRECT });
    const res2 = await fetch(u, { redirect: 'manual' });
    assert.equal(res2.status, 400);
    assert.equal(res2.headers.get('location'), null);
  });

  test('a public client without PKCE is sent back with invalid_request', async () => {
    const u = new URL(endpoint('authorize'));
    u.search = new URLSearchParams({ client_id: publicApp.appId, response_type: 'code',
      scope: 'openid', redirect_uri: REDIRECT, state: 'x' });
    const res = await fetch(u, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get('location'));
    assert.equal(loc.searchParams.get('error'), 'invalid_request');
    assert.equal(loc.searchParams.get('state'), 'x');
  });

  test('the token endpoint: wrong redirect_uri, missing and wrong verifier, reuse', async () => {
    let c = await freshCode();
    assertOAuthError(await redeem(c.code, c.verifier, { redirect_uri: `${REDIRECT}x` }),
      400, 'invalid_grant');
    // the failed attempt used the code up
    assertOAuthError(await redeem(c.code, c.verifier), 400, 'invalid_grant');
    c = await freshCode();
    assertOAuthError(await redeem(c.code, null), 400, 'invalid_grant');
    c = await freshCode();
    assertOAuthError(await redeem(c.code, client.randomPKCECodeVerifier()), 400, 'invalid_grant');
    c = await freshCode();
    const ok = await redeem(c.code, c.verifier);
    assert.equal(ok.res.status, 200, ok.text);
    assert.ok(ok.json.access_token);
    const again = await redeem(c.code, c.verifier);
    assertOAuthError(again, 400, 'invalid_grant');
    assert.match(again.json.error_description, /already used/);
  });

  test('an expired code is refused', async () => {
    const c = await freshCode();
    sql('UPDATE auth_code SET expires = created - 1 WHERE used = 0');
    const r = await redeem(c.code, c.verifier);
    assertOAuthError(r, 400, 'invalid_grant');
  });

  test('forged, unsigned and garbage JWTs at /userinfo are invalid_token', async () => {
    const { tokens } = await codeFlow('alice@contoso.test');
    const [h, p, s] = tokens.access_token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url'));
    claims.sub = users.bob;
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${
      Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const idAsAccess = tokens.id_token;   // wrong audience
    for (const bad of [forged, none, idAsAccess, 'abc.def.ghi', `a.${'x'.repeat(8000)}.b`]) {
      const res = await fetch(endpoint('userinfo'), { headers: { Authorization: `Bearer ${bad}` } });
      assert.equal(res.status, 401, bad.slice(0, 20));
      assert.match(res.headers.get('www-authenticate') ?? '', /Bearer/);
      const body = await res.json().catch(() => ({}));
      assert.equal(body.sub, undefined);
    }
    const res = await fetch(endpoint('userinfo'));
    assert.equal(res.status, 401);
    assert.doesNotMatch(res.headers.get('www-authenticate'), /error=/);
  });

  test('oversized and malformed bodies', async () => {
    const big = `grant_type=client_credentials&x=${'a'.repeat(20000)}`;
    assertOAuthError(await form(endpoint('token'), big), 413, 'invalid_request');
    assertOAuthError(await form(endpoint('token'), 'grant_type=%zz'), 400, 'invalid_request');
    assertOAuthError(await form(endpoint('token'),
      'grant_type=client_credentials&grant_type=client_credentials'), 400, 'invalid_request');
    assertOAuthError(await form(endpoint('token'), { grant_type: 'password' }), 400,
      'unsupported_grant_type');
    assertOAuthError(await form(endpoint('token'), {}), 400, 'invalid_request');
    const json = await fetch(endpoint('token'), { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"x"}' });
    assert.equal(json.status, 415);
    // past the server's body limit: 413 as soon as Content-Length is read,
    // and the connection is closed, so the client may see EPIPE instead
    try {
      const huge = await fetch(endpoint('token'), { method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'a='.padEnd(2 * 1024 * 1024, 'b') });
      assert.equal(huge.status, 413);
    } catch (e) {
      assert.match(String(e.cause?.code), /EPIPE|ECONNRESET/, String(e));
    }
    // wrong client secret: invalid_client, 401 with a Basic challenge
    const basic = Buffer.from(`${daemonApp.appId}:wrong`).toString('base64');
    const r = await form(endpoint('token'), { grant_type: 'client_credentials' },
      { Authorization: `Basic ${basic}` });
    assertOAuthError(r, 401, 'invalid_client');
    assert.match(r.res.headers.get('www-authenticate'), /Basic/);
    // the server is still there
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });
});
