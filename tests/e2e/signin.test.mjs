// SPDX-License-Identifier: MIT
// The browser sign-in in a real browser (Debian's chromium through
// Playwright) against a real server (run.sh): password + TOTP computed by
// oathtool, the registration interrupt read from the manual key, remembered
// devices and their revocation, trusted IPs, a Conditional Access block
// (53003) with its request id found in the sign-in log, the flow in
// Swedish, and a replayed TOTP code. Users, methods, settings and policies
// are set up with the tollgate CLI on the server's own data directory.
import { launch } from './browser.mjs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test, after } from 'node:test';

const base = process.env.TG_URL;
const signin = `${base}/default/signin/`;
const PASSWORD = 'Corr3ct-Horse-Battery';

function tg(args, input) {
  return execFileSync(process.env.TOLLGATE, ['--data', process.env.TG_DATA, ...args],
    { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
function tgJson(args) {
  return JSON.parse(tg(['--json', ...args]));
}
function oath(secret, offset = 0) {
  const args = ['--totp', '-b', secret];
  if (offset) args.push('-N', `now ${offset < 0 ? '-' : '+'} ${Math.abs(offset)} seconds`);
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}
function addUser(upn, state = 'disabled') {
  tg(['user', 'add', upn, '--password-stdin'], `${PASSWORD}\n`);
  if (state !== 'disabled') tg(['mfa', 'set', state, upn]);
}
// An active authenticator app: activated with the previous step's code so
// that the current one is still unused for the sign-in.
function addApp(upn) {
  const m = tgJson(['method', 'add-app', upn]);
  tg(['method', 'activate', upn, m.id, oath(m.secret, -30)]);
  return m.secret;
}
function mfaState(upn) {
  return tg(['mfa', 'show', upn]);
}

const ctxs = [];
async function newContext(opts) {
  const ctx = await launch(opts);
  ctxs.push(ctx);
  return ctx;
}
after(async () => { for (const c of ctxs) await c.close(); });

// Open the page and sign in with user name and password; returns the page
// once the next panel is visible.
async function password(page, upn, pw = PASSWORD) {
  await page.goto(signin, { waitUntil: 'networkidle' });
  await page.waitForSelector('#p-password:not([hidden])');
  await page.fill('#username', upn);
  await page.fill('#password', pw);
  await page.press('#password', 'Enter');   // keyboard only
  await page.waitForSelector('#p-password[hidden]', { state: 'attached' });
}
async function panel(page) {
  const el = await page.waitForSelector('[data-panel]:not([hidden]):not(#p-loading)');
  return (await el.getAttribute('id')).slice(2);
}
function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

test('an enforced user signs in with a TOTP code from oathtool', async () => {
  const upn = 'erik.enforced@contoso.test';
  addUser(upn, 'enforced');
  const secret = addApp(upn);
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await password(page, upn);
  assert.equal(await panel(page), 'mfa');
  // focus moved to the challenge's heading (keyboard and screen readers)
  assert.equal(await page.evaluate(() => document.activeElement.id), 'h-mfa');
  await page.fill('#mfa-code', oath(secret));
  await page.press('#mfa-code', 'Enter');
  await page.waitForSelector('#p-done:not([hidden])');
  const cookies = await ctx.cookies(base);
  const sess = cookies.find((c) => c.name === 'tg_session');
  assert.ok(sess, 'the session cookie is set');
  assert.equal(sess.httpOnly, true);
  assert.equal(sess.sameSite, 'Lax');
  assert.deepEqual(problems, []);
  const log = tg(['signins', 'list', '--user', upn, '--limit', '1']);
  assert.match(log, /\b0\b/);
});

test('a replayed TOTP code is refused', async () => {
  const upn = 'rita.replay@contoso.test';
  addUser(upn, 'enforced');
  const secret = addApp(upn);
  const code = oath(secret);
  const ctx = await newContext();
  const page = await ctx.newPage();
  await password(page, upn);
  await page.fill('#mfa-code', code);
  await page.press('#mfa-code', 'Enter');
  await page.waitForSelector('#p-done:not([hidden])');

  const ctx2 = await newContext();
  const page2 = await ctx2.newPage();
  await password(page2, upn);
  assert.equal(await panel(page2), 'mfa');
  await page2.fill('#mfa-code', code);
  await page2.press('#mfa-code', 'Enter');
  await page2.waitForFunction(() => document.getElementById('e-mfa').textContent.length > 0);
  const err = await page2.textContent('#e-mfa');
  assert.match(err, /already used once/);
  assert.match(err, /AADSTS50074/);
  assert.equal(await panel(page2), 'mfa', 'still at the challenge');
  assert.equal(await page2.getAttribute('#mfa-code', 'aria-invalid'), 'true');
  const log = tgJson(['signins', 'list', '--user', upn, '--limit', '1']);
  assert.equal(log.value[0].status.errorCode, 50074);
  assert.match(JSON.stringify(log.value[0]), /verification code already used once/);
});

test('an enabled user without methods registers an authenticator app and becomes enforced', async () => {
  const upn = 'nora.new@contoso.test';
  addUser(upn, 'enabled');
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await password(page, upn);
  assert.equal(await panel(page), 'register');
  assert.match(await page.textContent('#h-register'), /More information required/);
  await page.click('#reg-app');
  await page.waitForSelector('#f-reg-app:not([hidden])');
  const src = await page.getAttribute('#reg-qr', 'src');
  assert.match(src, /^data:image\/svg\+xml;base64,/, 'a QR code is shown');
  const key = (await page.textContent('#manual-key')).replace(/\s+/g, '');
  assert.match(key, /^[A-Z2-7]{32}$/, 'a 160-bit Base32 key is shown');
  await page.fill('#reg-app-code', oath(key));
  await page.press('#reg-app-code', 'Enter');
  await page.waitForSelector('#p-done:not([hidden])');
  assert.match(mfaState(upn), /enforced/);
  assert.deepEqual(problems, []);
});

test('a remembered device skips MFA until the sessions are revoked', async () => {
  tg(['settings', 'set', 'remember-mfa-days', '7']);
  try {
    const upn = 'rolf.remember@contoso.test';
    addUser(upn, 'enforced');
    const secret = addApp(upn);
    const ctx = await newContext();
    const page = await ctx.newPage();
    await password(page, upn);
    assert.equal(await panel(page), 'mfa');
    assert.equal(await page.isVisible('#remember'), true);
    assert.match(await page.textContent('#remember-label'), /7 days/);
    await page.check('#remember');
    await page.fill('#mfa-code', oath(secret));
    await page.press('#mfa-code', 'Enter');
    await page.waitForSelector('#p-done:not([hidden])');
    const dev = (await ctx.cookies(base)).find((c) => c.name === 'tg_device');
    assert.ok(dev, 'the device cookie is set');
    assert.equal(dev.httpOnly, true);
    assert.ok(dev.expires > Date.now() / 1000 + 6 * 86400, 'it lasts the tenant\'s 7 days');

    // the session lives on: the next visit is signed in at once (SSO)
    await page.goto(signin, { waitUntil: 'networkidle' });
    assert.equal(await panel(page), 'done');
    // a new browser session (the session cookie gone, the device cookie
    // kept): password only
    await ctx.clearCookies({ name: 'tg_session' });
    await password(page, upn);
    assert.equal(await panel(page), 'done');
    const log = tgJson(['signins', 'list', '--user', upn, '--limit', '1']);
    assert.match(JSON.stringify(log.value[0]), /skipped due to remembered device/);

    // an administrator revokes sessions and devices: password and MFA again
    tg(['mfa', 'revoke-sessions', upn]);
    await password(page, upn);
    assert.equal(await panel(page), 'mfa');
    // force_login (prompt=login) asks for the password even in a session
    await page.fill('#mfa-code', oath(secret, 30));
    await page.press('#mfa-code', 'Enter');
    await page.waitForSelector('#p-done:not([hidden])');
    await page.goto(`${signin}?force_login=1`, { waitUntil: 'networkidle' });
    assert.equal(await panel(page), 'password');
  } finally {
    tg(['settings', 'set', 'remember-mfa-days', '0']);
  }
});

test('a trusted IP skips per-user MFA', async () => {
  const upn = 'tove.trusted@contoso.test';
  addUser(upn, 'enforced');
  addApp(upn);
  tg(['settings', 'set', 'trusted-ips', '127.0.0.0/8']);
  try {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await password(page, upn);
    assert.equal(await panel(page), 'done');
    const log = tgJson(['signins', 'list', '--user', upn, '--limit', '1']);
    assert.match(JSON.stringify(log.value[0]), /skipped due to location/);
  } finally {
    tg(['settings', 'set', 'trusted-ips', 'none']);
  }
  // and without it, the same user is asked again
  const ctx = await newContext();
  const page = await ctx.newPage();
  await password(page, upn);
  assert.equal(await panel(page), 'mfa');
});

test('a Conditional Access block shows the blocked page with 53003 and a request id in the log', async () => {
  const upn = 'bengt.blocked@contoso.test';
  addUser(upn);
  const id = tgJson(['user', 'show', upn]).id;
  const policy = {
    displayName: 'Block Bengt',
    state: 'enabled',
    conditions: {
      users: { includeUsers: [id] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  };
  tg(['policy', 'create', '-'], JSON.stringify(policy));
  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await password(page, upn);
  assert.equal(await panel(page), 'blocked');
  assert.equal(await page.textContent('#blocked-code'), 'AADSTS53003');
  const requestId = (await page.textContent('#blocked-request')).trim();
  const signinId = (await page.textContent('#blocked-signin')).trim();
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  assert.match(await page.textContent('#blocked-time'), /^\d{4}-\d\d-\d\dT/);
  assert.match(await page.textContent('#blocked-reason'), /policy/i);
  const shown = tg(['signins', 'show', signinId]);
  assert.match(shown, new RegExp(`request id\\s+${requestId}`));
  assert.match(shown, /53003/);
  assert.deepEqual(problems, []);
});

test('the same flow in Swedish', async () => {
  const upn = 'sara.svensk@contoso.test';
  addUser(upn, 'enforced');
  const secret = addApp(upn);
  const ctx = await newContext({ locale: 'sv-SE' });
  const page = await ctx.newPage();
  await page.goto(signin, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => document.documentElement.lang === 'sv');
  assert.equal((await page.textContent('#h-password')).trim(), 'Logga in');
  assert.equal((await page.textContent('label[for=password]')).trim(), 'Lösenord');
  // a wrong password, in Swedish
  await page.fill('#username', upn);
  await page.fill('#password', 'fel-lösenord');
  await page.press('#password', 'Enter');
  await page.waitForFunction(() => document.getElementById('e-password').textContent.length > 0);
  assert.match(await page.textContent('#e-password'), /felaktigt.*AADSTS50126/);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForSelector('#p-mfa:not([hidden])');
  assert.equal((await page.textContent('#h-mfa')).trim(), 'Verifiera din identitet');
  await page.fill('#mfa-code', oath(secret));
  await page.press('#mfa-code', 'Enter');
  await page.waitForSelector('#p-done:not([hidden])');
  assert.equal((await page.textContent('#h-done')).trim(), 'Du är inloggad');
  // the visible switch goes back to English
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal((await page.textContent('#h-done')).trim(), "You're signed in");
});

test('a phone-sized screen shows the form without horizontal scrolling', async () => {
  const ctx = await newContext({ viewport: { width: 360, height: 640 } });
  const page = await ctx.newPage();
  await page.goto(signin, { waitUntil: 'networkidle' });
  await page.waitForSelector('#p-password:not([hidden])');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal overflow (${overflow}px)`);
  // every field has a label
  const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select')]
    .filter((i) => !i.labels || i.labels.length === 0).map((i) => i.id));
  assert.deepEqual(unlabeled, []);
});
