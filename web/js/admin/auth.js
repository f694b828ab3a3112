// SPDX-License-Identifier: MIT
// Signing the administrator in: the admin portal is the built-in public
// OpenID Connect client "Tollgate admin portal" of its tenant. It uses the
// authorization code flow with PKCE (S256), state and nonce, and
// redirect_uri = this page (/{tenant}/admin/), which the server accepts for
// the built-in app only (svc_app_has_redirect_uri). The access token is a
// Bearer token for the admin API; it lives in sessionStorage (this tab
// only, gone when the tab closes) and is never put in a URL.
// Security defaults and Conditional Access "admin portals" policies apply
// to this app: the server asks for MFA before it issues the code.

export const CLIENT_ID = '7011a770-0000-4000-8000-000000000001';
const KEY = 'tollgate.admin.';
const SCOPE = 'openid profile offline_access';

export const tenant = decodeURIComponent(location.pathname.split('/')[1] || '');
const tenantUrl = `${location.origin}/${encodeURIComponent(tenant)}`;
export const redirectUri = `${tenantUrl}/admin/`;

function store(name, value) {
  try {
    if (value === null) sessionStorage.removeItem(KEY + name);
    else sessionStorage.setItem(KEY + name, value);
  } catch (e) {
    // storage off: the sign-in lasts for this page only
  }
}

function load(name) {
  try {
    return sessionStorage.getItem(KEY + name);
  } catch (e) {
    return null;
  }
}

function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n = 32) {
  const a = new Uint8Array(n);
  crypto.getRandomValues(a);
  return b64url(a);
}

async function s256(verifier) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return b64url(new Uint8Array(d));
}

// The claims of a JWT, unverified: only for showing who is signed in and
// which sections to offer. The server verifies every token it is given.
export function claims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part),
      (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch (e) {
    return null;
  }
}

// Start a sign-in: remember where the administrator was, then go to
// /authorize. prompt = 'login' forces a new sign-in.
export async function signIn({ prompt = '' } = {}) {
  const verifier = random(48);
  const state = random(24);
  const nonce = random(24);
  store('verifier', verifier);
  store('state', state);
  store('nonce', nonce);
  store('return', location.hash || '#/');
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await s256(verifier),
    code_challenge_method: 'S256',
  });
  if (prompt) q.set('prompt', prompt);
  location.assign(`${tenantUrl}/oauth2/v2.0/authorize?${q}`);
}

async function tokenRequest(params) {
  const res = await fetch(`${tenantUrl}/oauth2/v2.0/token`, {
    method: 'POST',
    credentials: 'omit',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }),
  });
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok || !data || !data.access_token) {
    const why = (data && (data.error_description || data.error)) || `HTTP ${res.status}`;
    throw new Error(why);
  }
  return data;
}

function keep(tok) {
  store('access', tok.access_token);
  store('expires', String(Date.now() + (Number(tok.expires_in) || 3600) * 1000));
  if (tok.refresh_token) store('refresh', tok.refresh_token);
  if (tok.id_token) store('id', tok.id_token);
}

// Finish a sign-in when the page was opened by the redirect from
// /authorize. Returns { returnTo } when it did, null when there was no
// code, and throws with the server's message on an error answer.
export async function completeSignIn() {
  const q = new URLSearchParams(location.search);
  if (!q.has('code') && !q.has('error')) return null;
  const expected = load('state');
  const verifier = load('verifier');
  const returnTo = load('return') || '#/';
  store('state', null);
  store('verifier', null);
  history.replaceState(null, '', `${redirectUri}${returnTo}`);
  if (q.has('error')) throw new Error(q.get('error_description') || q.get('error'));
  if (!expected || q.get('state') !== expected || !verifier) {
    throw new Error('state mismatch: the sign-in was not started here');
  }
  const tok = await tokenRequest({
    grant_type: 'authorization_code',
    code: q.get('code'),
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  const id = tok.id_token ? claims(tok.id_token) : null;
  if (!id || id.nonce !== load('nonce')) throw new Error('nonce mismatch');
  store('nonce', null);
  keep(tok);
  return { returnTo };
}

// The access token, refreshed when it is (about to be) expired; null when
// there is none (sign in again).
export async function accessToken() {
  const tok = load('access');
  const exp = Number(load('expires') || 0);
  if (tok && Date.now() < exp - 60000) return tok;
  const refresh = load('refresh');
  if (!refresh) return null;
  try {
    keep(await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh }));
    return load('access');
  } catch (e) {
    forget();
    return null;
  }
}

export function forget() {
  for (const n of ['access', 'expires', 'refresh', 'id']) store(n, null);
}

export function me() {
  const tok = load('access');
  return tok ? claims(tok) : null;
}

// Sign out of the portal and of the Tollgate session.
export function signOut() {
  const id = load('id');
  forget();
  const q = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: redirectUri });
  if (id) q.set('id_token_hint', id);
  location.assign(`${tenantUrl}/oauth2/v2.0/logout?${q}`);
}
