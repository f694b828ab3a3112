// SPDX-License-Identifier: MIT
// Create a user (#/users/new): POST /v1.0/users with Graph's body
// (userPrincipalName, displayName, mail, preferredLanguage,
// accountEnabled, passwordProfile {password, forceChangePasswordNextSignIn}).
// A generated password is shown once after the user is created. The
// server's error is shown at the field it is about (the JSON path, or the
// service's wording), else above the form, with the request id.
import { t } from '/js/i18n.js';
import { alertBox, errorText, h, heading } from '/js/admin/ui.js';
import { post } from '/js/admin/api.js';
import { checkbox, field, fieldOf, generatePassword } from '/js/admin/pages/users-lib.js';

// Which field a server message is about.
export const USER_FIELDS = {
  userPrincipalName: [/user principal name/i, /property userPrincipalName/i],
  displayName: [/display name/i],
  mail: [/email address/i],
  mobilePhone: [/phone number/i],
  preferredLanguage: [/language/i],
  'passwordProfile.password': [/password/i],
};

// The generated password, shown once with a copy button.
export function passwordOnce(upn, password) {
  const code = h('code', { class: 'users-secret', id: 'users-generated-password' }, password);
  const copy = h('button', {
    type: 'button', class: 'button button--ghost',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(password);
        copy.textContent = t('users.copied');
      } catch (e) {
        copy.textContent = t('users.copyFailed');
      }
    },
  }, t('users.copy'));
  return h('div', { class: 'alert alert--warn users-once', role: 'status' },
    h('p', {}, t('users.passwordOnce', { upn })), h('p', {}, code, ' ', copy));
}

export function renderCreate(root, ctx) {
  root.append(heading(t('users.create.title')),
    h('p', {}, h('a', { href: '#/users' }, t('users.back'))));
  const upn = h('input', { type: 'text', name: 'userPrincipalName', autocomplete: 'off', required: true, spellcheck: 'false' });
  const name = h('input', { type: 'text', name: 'displayName', autocomplete: 'off' });
  const mail = h('input', { type: 'email', name: 'mail', autocomplete: 'off' });
  const lang = h('select', { name: 'preferredLanguage' },
    h('option', { value: '' }, t('users.lang.default')),
    h('option', { value: 'en' }, 'English'),
    h('option', { value: 'sv' }, 'Svenska'));
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', disabled: true });
  const fields = {
    userPrincipalName: field({ id: 'user-upn', label: t('users.col.upn'), input: upn, hint: t('users.create.upnHint') }),
    displayName: field({ id: 'user-name', label: t('users.col.name'), input: name }),
    mail: field({ id: 'user-mail', label: t('users.col.mail'), input: mail, hint: t('users.create.mailHint') }),
    preferredLanguage: field({ id: 'user-lang', label: t('users.col.lang'), input: lang }),
    'passwordProfile.password': field({ id: 'user-password', label: t('users.create.password'), input: password }),
  };
  const gen = h('input', { type: 'radio', name: 'pwmode', id: 'user-pw-generate', value: 'generate', checked: true });
  const own = h('input', { type: 'radio', name: 'pwmode', id: 'user-pw-own', value: 'own' });
  const syncPw = () => {
    password.disabled = !own.checked;
    if (own.checked) password.focus();
  };
  gen.addEventListener('change', syncPw);
  own.addEventListener('change', syncPw);
  const pwChoice = h('fieldset', { class: 'users-choice' },
    h('legend', {}, t('users.create.passwordLegend')),
    h('div', { class: 'check' }, gen, h('label', { for: 'user-pw-generate' }, t('users.create.generate'))),
    h('div', { class: 'check' }, own, h('label', { for: 'user-pw-own' }, t('users.create.own'))),
    fields['passwordProfile.password']);
  const mustChange = checkbox({ id: 'user-must-change', label: t('users.create.mustChange'), checked: true });
  const enabled = checkbox({ id: 'user-enabled', label: t('users.create.enabled'), checked: true });
  const formError = h('div', { id: 'user-form-error' });
  const result = h('div', { id: 'user-create-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'user-create' }, t('users.create.submit'));
  const form = h('form', { class: 'users-form card', novalidate: true },
    formError, fields.userPrincipalName, fields.displayName, fields.mail, fields.preferredLanguage,
    pwChoice, mustChange, enabled, h('div', { class: 'toolbar' }, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError('');
    formError.replaceChildren();
    result.replaceChildren();
    if (!upn.value.trim()) {
      fields.userPrincipalName.setError(t('users.create.upnRequired'));
      upn.focus();
      return;
    }
    const generated = gen.checked ? generatePassword() : '';
    const body = {
      accountEnabled: enabled.querySelector('input').checked,
      userPrincipalName: upn.value.trim(),
      passwordProfile: {
        password: generated || password.value,
        forceChangePasswordNextSignIn: mustChange.querySelector('input').checked,
      },
    };
    if (name.value.trim()) body.displayName = name.value.trim();
    if (mail.value.trim()) body.mail = mail.value.trim();
    if (lang.value) body.preferredLanguage = lang.value;
    form.setAttribute('aria-busy', 'true');
    submit.disabled = true;
    try {
      const u = await post('/v1.0/users', body);
      form.reset();
      syncPw();
      result.append(alertBox('ok', t('users.create.done', { upn: u.userPrincipalName })),
        h('p', {}, h('a', { href: `#/users/${encodeURIComponent(u.id)}`, id: 'user-open' },
          t('users.create.open', { upn: u.userPrincipalName }))));
      if (generated) result.append(passwordOnce(u.userPrincipalName, generated));
      result.focus();
    } catch (e) {
      const which = fieldOf(e.message, USER_FIELDS);
      if (which && fields[which]) {
        fields[which].setError(errorText(e));
        fields[which].querySelector('input,select').focus();
      } else {
        formError.replaceChildren(alertBox('danger', errorText(e)));
      }
    } finally {
      form.removeAttribute('aria-busy');
      submit.disabled = false;
    }
  });
  result.tabIndex = -1;
  root.append(form, result);
}
