// SPDX-License-Identifier: MIT
// The MFA service settings (#/mfa/settings), Entra's "service settings"
// page: app passwords, trusted IPs, verification options, remember MFA on
// trusted devices. GET / PATCH /tollgate/v1/mfaServiceSettings; a 400
// names the JSON path (trustedIps[1]: …), shown at its field. Roles that
// cannot change the settings (only Global Administrator and Authentication
// Policy Administrator can) see them read-only.
import { t } from '/js/i18n.js';
import { alertBox, errorText, h } from '/js/admin/ui.js';
import { get, patch } from '/js/admin/api.js';
import { ROLE } from '/js/admin/app.js';
import { fieldOf } from '/js/admin/pages/users-lib.js';

const OPTIONS = ['appCode', 'sms', 'voice', 'email'];
const PATHS = {
  allowAppPasswords: [],
  trustedIps: [/trusted ip/i, /CIDR/],
  verificationOptions: [/verification/i],
  rememberMfaDays: [/remember/i, /days/i],
};

function errorSlot(id) {
  return h('p', { class: 'field__error', id, hidden: true });
}

export async function renderSettings(panel, ctx) {
  let s;
  try {
    s = await get('/tollgate/v1/mfaServiceSettings');
  } catch (e) {
    panel.append(alertBox(e.status === 403 ? 'warn' : 'danger', errorText(e)));
    return;
  }
  const canWrite = ctx.hasRole(ROLE.globalAdmin, ROLE.authPolicyAdmin);

  const allow = h('input', { type: 'radio', name: 'app-passwords', id: 'mfa-ap-allow', value: 'allow' });
  const deny = h('input', { type: 'radio', name: 'app-passwords', id: 'mfa-ap-deny', value: 'deny' });
  const ips = h('textarea', { id: 'mfa-trusted-ips', rows: '6', class: 'code mfa-ips', spellcheck: 'false',
    'aria-describedby': 'mfa-trusted-ips-hint mfa-trusted-ips-error' });
  const boxes = Object.fromEntries(OPTIONS.map((o) => [o, h('input', { type: 'checkbox', id: `mfa-opt-${o}` })]));
  const remember = h('input', { type: 'checkbox', id: 'mfa-remember' });
  const days = h('input', { type: 'number', id: 'mfa-remember-days', min: '1', max: '365', step: '1', inputmode: 'numeric',
    'aria-describedby': 'mfa-remember-days-hint mfa-rememberMfaDays-error' });
  const errs = {
    allowAppPasswords: errorSlot('mfa-allowAppPasswords-error'),
    trustedIps: errorSlot('mfa-trusted-ips-error'),
    verificationOptions: errorSlot('mfa-verificationOptions-error'),
    rememberMfaDays: errorSlot('mfa-rememberMfaDays-error'),
  };
  const inputs = { allowAppPasswords: allow, trustedIps: ips, verificationOptions: boxes.appCode, rememberMfaDays: days };

  const show = (v) => {
    allow.checked = !!v.allowAppPasswords;
    deny.checked = !v.allowAppPasswords;
    ips.value = (v.trustedIps || []).join('\n');
    for (const o of OPTIONS) boxes[o].checked = (v.verificationOptions || []).includes(o);
    remember.checked = v.rememberMfaDays > 0;
    days.value = v.rememberMfaDays > 0 ? String(v.rememberMfaDays) : '';
    days.disabled = !remember.checked || !canWrite;
  };
  remember.addEventListener('change', () => {
    days.disabled = !remember.checked;
    if (remember.checked && !days.value) days.value = '90';
  });

  const status = h('div', { id: 'mfa-settings-status', tabindex: '-1', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'button', id: 'mfa-settings-save' }, t('mfa.settings.save'));
  const fs = h('fieldset', { class: 'mfa-settings__all' },
    h('legend', { class: 'visually-hidden' }, t('mfa.tab.settings')),
    h('fieldset', { class: 'card' }, h('legend', {}, t('mfa.settings.appPasswords')),
      h('div', { class: 'check' }, allow, h('label', { for: 'mfa-ap-allow' }, t('mfa.settings.allowAppPasswords'))),
      h('div', { class: 'check' }, deny, h('label', { for: 'mfa-ap-deny' }, t('mfa.settings.denyAppPasswords'))),
      h('p', { class: 'field__hint' }, t('mfa.settings.appPasswordsHint')), errs.allowAppPasswords),
    h('fieldset', { class: 'card' }, h('legend', {}, t('mfa.settings.trustedIps')),
      h('label', { for: 'mfa-trusted-ips' }, t('mfa.settings.trustedIpsLabel')), ips,
      h('p', { class: 'field__hint', id: 'mfa-trusted-ips-hint' }, t('mfa.settings.trustedIpsHint')), errs.trustedIps),
    h('fieldset', { class: 'card', 'aria-describedby': 'mfa-verificationOptions-error' },
      h('legend', {}, t('mfa.settings.verification')),
      OPTIONS.map((o) => h('div', { class: 'check' }, boxes[o], h('label', { for: `mfa-opt-${o}` }, t(`mfa.option.${o}`)))),
      errs.verificationOptions),
    h('fieldset', { class: 'card' }, h('legend', {}, t('mfa.settings.remember')),
      h('div', { class: 'check' }, remember, h('label', { for: 'mfa-remember' }, t('mfa.settings.rememberLabel'))),
      h('div', { class: 'field' }, h('label', { for: 'mfa-remember-days' }, t('mfa.settings.days')), days,
        h('p', { class: 'field__hint', id: 'mfa-remember-days-hint' }, t('mfa.settings.daysHint'))),
      errs.rememberMfaDays));
  fs.disabled = !canWrite;
  const form = h('form', { class: 'mfa-settings', novalidate: true }, fs,
    canWrite ? h('div', { class: 'toolbar' }, save) : null);
  if (!canWrite) panel.append(alertBox('warn', t('mfa.settings.readOnly')));
  if (s.securityDefaults) panel.append(alertBox('warn', t('mfa.settings.securityDefaultsOn')));
  panel.append(form, status);
  show(s);

  const clearErrors = () => {
    for (const [k, el] of Object.entries(errs)) {
      el.hidden = true;
      el.textContent = '';
      inputs[k].removeAttribute('aria-invalid');
    }
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    status.replaceChildren();
    const body = {
      allowAppPasswords: allow.checked,
      trustedIps: ips.value.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean),
      verificationOptions: OPTIONS.filter((o) => boxes[o].checked),
      // not a number: sent as typed, so the server names the field
      rememberMfaDays: !remember.checked ? 0 : (/^\d+$/.test(days.value.trim()) ? Number(days.value) : days.value),
    };
    form.setAttribute('aria-busy', 'true');
    save.disabled = true;
    try {
      const now = await patch('/tollgate/v1/mfaServiceSettings', body);
      show(now);
      status.replaceChildren(alertBox('ok', t('mfa.settings.saved')));
      status.focus();
    } catch (e) {
      const which = fieldOf(e.message, PATHS);
      const text = errorText(e);
      const m = /^trustedIps\[(\d+)\]/.exec(e.message || '');
      if (which && errs[which]) {
        errs[which].textContent = m && body.trustedIps[Number(m[1])] !== undefined
          ? `${t('mfa.settings.badEntry', { entry: body.trustedIps[Number(m[1])] })} ${text}` : text;
        errs[which].hidden = false;
        inputs[which].setAttribute('aria-invalid', 'true');
        inputs[which].focus();
      } else {
        status.replaceChildren(alertBox('danger', text));
        status.focus();
      }
    } finally {
      form.removeAttribute('aria-busy');
      save.disabled = false;
    }
  });
}
