// SPDX-License-Identifier: MIT
// The sign-in page (/{tenant}/signin/): one panel per state of the server's
// sign-in flow (docs/internals/signin-flow.md). Every action is a JSON POST
// to /{tenant}/api/signin/... carrying the session's CSRF token; the server
// decides everything and answers with the next state. No inline script or
// style (CSP); text comes from the i18n catalogs.
import { init, t } from '/js/i18n.js';

const tenant = decodeURIComponent(location.pathname.split('/')[1] || '');
const params = new URLSearchParams(location.search);
const api = `/${encodeURIComponent(tenant)}/api/signin/`;
const returnTo = params.get('return') || '';

let csrf = '';
let state = null;          // the server's last answer
let method = '';           // MFA method chosen
let panelShown = '';

const $ = (id) => document.getElementById(id);

// ---- talking to the server ----------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(path, body = {}) {
  const payload = { ...body };
  if (returnTo) payload.return = returnTo;
  let res;
  try {
    res = await fetch(api + path, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(payload),
    });
  } catch (e) {
    throw new ApiError(0, 'network', t('signin.error.network'));
  }
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || String(res.status), err.message || t('signin.error.generic'));
  }
  return data;
}

// ---- rendering -------------------------------------------------------------

function clearErrors() {
  for (const el of document.querySelectorAll('[data-error]')) el.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function showError(id, err, input) {
  const el = $(id);
  let text = err instanceof ApiError ? err.message : String(err);
  if (err instanceof ApiError && /^AADSTS\d+$/.test(err.code)) {
    const known = t(`signin.errors.${err.code.slice(6)}`);
    if (!known.startsWith('signin.errors.')) text = known;
    text += ` (${err.code})`;
  } else if (err instanceof ApiError && err.code === 'CodeAlreadyUsed') {
    text = `${t('signin.errors.replay')} (AADSTS50074)`;
  }
  el.textContent = text;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    input.select && input.select();
  }
}

function show(panel) {
  for (const p of document.querySelectorAll('[data-panel]')) p.hidden = p.id !== `p-${panel}`;
  if (panel !== panelShown) {
    panelShown = panel;
    // move focus to the panel's heading (or first field) for keyboard and
    // screen-reader users
    const first = document.querySelector(`#p-${panel} input:not([type=hidden]):not([hidden])`);
    const heading = document.querySelector(`#p-${panel} h1`);
    if (panel === 'password' && first) first.focus();
    else if (heading) heading.focus();
  }
}

function methodLabel(m) {
  return t(`signin.method.${m}`);
}

function renderMethods() {
  const box = $('mfa-methods');
  for (const el of box.querySelectorAll('.signin__method')) el.remove();
  const methods = state.methods || [];
  if (!methods.includes(method)) method = methods[0] || '';
  for (const m of methods) {
    const wrap = document.createElement('div');
    wrap.className = 'signin__method signin__check';
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'method';
    input.id = `m-${m}`;
    input.value = m;
    input.checked = m === method;
    input.addEventListener('change', () => {
      method = m;
      renderMfaMethod();
    });
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = methodLabel(m);
    wrap.append(input, label);
    box.append(wrap);
  }
  renderMfaMethod();
}

function renderMfaMethod() {
  const sendable = ['sms', 'voice', 'email'].includes(method);
  $('mfa-send-wrap').hidden = !sendable;
  const key = { appCode: 'codeApp', hardwareToken: 'codeApp', sms: 'codeSms', voice: 'codeVoice',
    email: 'codeEmail', recoveryCode: 'codeRecovery' }[method] || 'codeApp';
  $('mfa-code-label').textContent = t(`signin.mfa.${key}`);
  $('mfa-code').inputMode = method === 'recoveryCode' ? 'text' : 'numeric';
  const sent = state && state.sentMethod === method && state.sentTo;
  $('mfa-sent').textContent = sent ? t('signin.mfa.sentTo', { to: state.sentTo }) : '';
}

function render() {
  if (!state) return;
  const app = state.app && state.app.name;
  $('app-line').hidden = !app;
  $('app-name').textContent = app || '';
  const user = state.user && state.user.upn;
  $('user-line').hidden = !user || state.state === 'password';
  $('user-line').textContent = user || '';
  document.title = t('signin.pageTitle');

  switch (state.state) {
    case 'password':
      show('password');
      break;
    case 'mfa': {
      renderMethods();
      const days = state.rememberDays || 0;
      $('remember-wrap').hidden = days <= 0;
      $('remember-label').textContent = t('signin.mfa.remember', { days });
      show('mfa');
      break;
    }
    case 'register': {
      const skip = $('skip-wrap');
      skip.hidden = !state.canSkip;
      $('skip').textContent = t('signin.register.skip', { days: state.daysLeft || 0 });
      show('register');
      break;
    }
    case 'passwordChange':
      show('passwordChange');
      break;
    case 'done':
      if (state.next) {
        $('done-text').textContent = t('signin.done.continuing');
        show('done');
        location.assign(state.next);
        return;
      }
      show('done');
      break;
    case 'blocked': {
      const b = state.blocked || {};
      const knownReason = t(`signin.errors.${b.errorCode}`);
      $('blocked-reason').textContent = knownReason.startsWith('signin.errors.')
        ? (b.reason || t('signin.blocked.generic')) : knownReason;
      $('blocked-code').textContent = `AADSTS${b.errorCode}`;
      $('blocked-time').textContent = b.time || '';
      $('blocked-request').textContent = b.requestId || '';
      $('blocked-signin').textContent = b.signInId || '';
      show('blocked');
      break;
    }
    default:
      fatal(t('signin.error.expired'));
  }
}

function fatal(text) {
  $('error-text').textContent = text;
  show('error');
}

function accept(data) {
  state = data;
  if (data.csrf) csrf = data.csrf;
  clearErrors();
  render();
}

// A step failed: a lost session restarts the flow, the rest is shown.
function failed(err, errorId, input) {
  if (err instanceof ApiError && (err.code === 'SessionExpired' || err.code === 'CsrfTokenInvalid')) {
    fatal(t('signin.error.expired'));
    return;
  }
  showError(errorId, err, input);
}

function busy(form, on) {
  for (const b of form.querySelectorAll('button')) b.disabled = on;
  form.setAttribute('aria-busy', String(on));
}

async function step(form, path, body, errorId, input) {
  busy(form, true);
  try {
    accept(await call(path, body));
    return true;
  } catch (err) {
    failed(err, errorId, input);
    return false;
  } finally {
    busy(form, false);
  }
}

// ---- actions -------------------------------------------------------------------

async function begin() {
  show('loading');
  if (!tenant) {
    fatal(t('signin.error.badLink'));
    return;
  }
  try {
    accept(await call('begin', {
      client_id: params.get('client_id') || undefined,
      force_login: params.get('force_login') === '1',
      require_mfa: params.get('require_mfa') === '1',
    }));
  } catch (err) {
    fatal(err instanceof ApiError ? `${err.message} (${err.code})` : String(err));
  }
}

function wire() {
  $('f-password').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const u = $('username');
    const p = $('password');
    if (!u.value.trim() || !p.value) {
      showError('e-password', t('signin.password.missing'), !u.value.trim() ? u : p);
      return;
    }
    const ok = await step(ev.target, 'password', { username: u.value.trim(), password: p.value },
      'e-password', p);
    if (ok) p.value = '';
  });

  $('mfa-send').addEventListener('click', async () => {
    clearErrors();
    await step($('f-mfa'), 'send', { method }, 'e-mfa');
    $('mfa-code').focus();
  });

  $('f-mfa').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const code = $('mfa-code');
    if (!code.value.trim()) {
      showError('e-mfa', t('signin.mfa.missing'), code);
      return;
    }
    const ok = await step(ev.target, 'verify', {
      method, code: code.value.trim(), remember: $('remember').checked,
    }, 'e-mfa', code);
    if (ok) code.value = '';
  });

  $('reg-app').addEventListener('click', async () => {
    clearErrors();
    $('f-reg-contact').hidden = true;
    busy($('p-register'), true);
    try {
      const data = await call('register/app');
      accept(data);
      const e = data.enrollment || {};
      $('reg-qr').src = e.qr || '';
      $('manual-key').textContent = (e.secret || '').replace(/(.{4})/g, '$1 ').trim();
      $('f-reg-app').hidden = false;
      $('reg-app-code').focus();
    } catch (err) {
      failed(err, 'e-register');
    } finally {
      busy($('p-register'), false);
    }
  });

  $('f-reg-app').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const code = $('reg-app-code');
    if (!code.value.trim()) {
      showError('e-reg-app', t('signin.mfa.missing'), code);
      return;
    }
    const ok = await step(ev.target, 'register/activate', { code: code.value.trim() }, 'e-reg-app', code);
    if (ok) {
      code.value = '';
      $('f-reg-app').hidden = true;
      $('manual-key').textContent = '';
      $('reg-qr').removeAttribute('src');
    }
  });

  $('reg-contact').addEventListener('click', () => {
    clearErrors();
    $('f-reg-app').hidden = true;
    $('f-reg-contact').hidden = false;
    $('reg-value').focus();
  });

  $('reg-send').addEventListener('click', async () => {
    clearErrors();
    const v = $('reg-value');
    if (!v.value.trim()) {
      showError('e-reg-contact', t('signin.register.valueMissing'), v);
      return;
    }
    const ok = await step($('f-reg-contact'), 'register/contact',
      { method: $('reg-kind').value, value: v.value.trim() }, 'e-reg-contact', v);
    if (ok) {
      $('reg-sent').textContent = t('signin.mfa.sentTo', { to: state.sentTo || '' });
      $('reg-contact-code').focus();
    }
  });

  $('f-reg-contact').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const code = $('reg-contact-code');
    if (!code.value.trim()) {
      showError('e-reg-contact', t('signin.mfa.missing'), code);
      return;
    }
    await step(ev.target, 'register/confirm', { code: code.value.trim() }, 'e-reg-contact', code);
  });

  $('skip').addEventListener('click', async () => {
    clearErrors();
    await step($('p-register'), 'skip', {}, 'e-register');
  });

  $('f-pwchange').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const cur = $('pw-current');
    const nw = $('pw-new');
    const conf = $('pw-confirm');
    if (!cur.value || !nw.value) {
      showError('e-pwchange', t('signin.pwchange.missing'), !cur.value ? cur : nw);
      return;
    }
    if (nw.value !== conf.value) {
      showError('e-pwchange', t('signin.pwchange.mismatch'), conf);
      return;
    }
    const ok = await step(ev.target, 'change-password', { current: cur.value, new: nw.value },
      'e-pwchange', cur);
    if (ok) cur.value = nw.value = conf.value = '';
  });

  for (const id of ['restart', 'restart2']) {
    $(id).addEventListener('click', () => begin());
  }
}

document.addEventListener('tollgate:languagechange', () => {
  render();
});
wire();
await init();
await begin();
