// SPDX-License-Identifier: MIT
// One user (#/users/{id}): properties; the helpdesk actions (reset
// password, require re-register, revoke MFA sessions, delete all app
// passwords, enable/disable, delete), each behind a confirmation; per-user
// MFA state; directory roles and groups; authentication methods and app
// passwords; the newest sign-ins. Each part loads on its own, so a role
// that may not read one part (a 403) still sees the others.
import { t } from '/js/i18n.js';
import { alertBox, confirmDialog, details, errorText, h, heading, when } from '/js/admin/ui.js';
import { del, get, odataString, patch, post, query } from '/js/admin/api.js';
import { enabledBadge, generatePassword, stateBadge } from '/js/admin/pages/users-lib.js';
import { passwordOnce } from '/js/admin/pages/users-create.js';

const SIGNINS_SHOWN = 10;
const GROUPS_CHECKED = 100;

function section(id, title, wide = false) {
  const body = h('div', { class: 'users-section__body' }, h('p', { class: 'muted' }, t('admin.loading')));
  const el = h('section', { class: `card users-section${wide ? ' users-section--wide' : ''}`, id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title), body);
  return { el, body };
}

// Fill a section from an async loader; an error (a 403 for this role) is
// shown in the section only.
async function fill(sec, loader) {
  try {
    const content = await loader();
    sec.body.replaceChildren(...[].concat(content));
  } catch (e) {
    sec.body.replaceChildren(alertBox(e.status === 403 ? 'warn' : 'danger', errorText(e)));
  }
}

function table(caption, headers, rows, empty) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) =>
      h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, c)))))));
}

// ---- roles and groups ------------------------------------------------------
// One paged request: /users/{id}/transitiveMemberOf gives the groups (also
// through nested groups) and the directory roles; a page at a time, so a
// user in thousands of groups costs the first page only.

async function memberships(userId) {
  const out = [];
  let data;
  try {
    data = await get(`/v1.0/users/${encodeURIComponent(userId)}/transitiveMemberOf${query({
      $select: 'id,displayName', $top: GROUPS_CHECKED })}`);
  } catch (e) {
    out.push(h('h3', {}, t('users.detail.roles')), alertBox(e.status === 403 ? 'warn' : 'danger', errorText(e)));
    return out;
  }
  const items = (data && data.value) || [];
  const mine = items.filter((x) => x['@odata.type'] === '#microsoft.graph.directoryRole');
  const inGroups = items.filter((x) => x['@odata.type'] === '#microsoft.graph.group');
  out.push(h('h3', {}, t('users.detail.roles')));
  out.push(mine.length
    ? h('ul', { id: 'user-roles' }, mine.map((r) => h('li', {}, r.displayName)))
    : h('p', { class: 'muted', id: 'user-roles' }, t('users.detail.noRoles')));
  out.push(h('h3', {}, t('users.detail.groups')));
  out.push(inGroups.length
    ? h('ul', { id: 'user-groups' }, inGroups.map((g) => h('li', {}, g.displayName)))
    : h('p', { class: 'muted', id: 'user-groups' }, t('users.detail.noGroups')));
  if (data && data['@odata.nextLink']) {
    out.push(h('p', { class: 'field__hint' }, t('users.detail.groupsChecked', { n: GROUPS_CHECKED })));
  }
  return out;
}

// ---- methods ---------------------------------------------------------------

function methodRow(m) {
  const type = (m['@odata.type'] || '').replace('#microsoft.graph.', '').replace('AuthenticationMethod', '');
  const known = ['password', 'phone', 'email', 'softwareOath', 'hardwareOath'];
  const name = known.includes(type) ? t(`users.method.${type}`) : type;
  let detail = '';
  if (type === 'phone') detail = `${m.phoneNumber} (${t(`users.phoneType.${m.phoneType}`)})`;
  else if (type === 'email') detail = m.emailAddress;
  else if (type === 'hardwareOath') {
    detail = [m.serialNumber, [m.manufacturer, m.model].filter(Boolean).join(' '), m.status]
      .filter(Boolean).join(' · ');
  } else if (type === 'softwareOath') detail = m.displayName || '';
  return [name, detail, when(m.createdDateTime), when(m.lastUsedDateTime)];
}

async function methods(userId) {
  const [list, pws] = await Promise.all([
    get(`/v1.0/users/${encodeURIComponent(userId)}/authentication/methods`),
    get(`/tollgate/v1/users/${encodeURIComponent(userId)}/appPasswords`).catch((e) => e),
  ]);
  const rows = ((list && list.value) || []).map(methodRow);
  const out = [table(t('users.detail.methods'),
    [t('users.detail.method'), t('users.detail.methodDetail'), t('users.detail.created'), t('users.detail.lastUsed')],
    rows, t('users.detail.noMethods'))];
  out[0].id = 'user-methods';
  out.push(h('h3', {}, t('users.detail.appPasswords')));
  if (pws instanceof Error) {
    out.push(alertBox('warn', errorText(pws)));
  } else {
    const items = (pws && pws.value) || [];
    const tbl = table(t('users.detail.appPasswords'),
      [t('users.col.name'), t('users.detail.created'), t('users.detail.lastUsed')],
      items.map((p) => [p.displayName, when(p.createdDateTime), when(p.lastUsedDateTime)]),
      t('users.detail.noAppPasswords'));
    tbl.id = 'user-app-passwords';
    out.push(tbl);
  }
  return out;
}

// ---- sign-ins --------------------------------------------------------------

async function signins(userId, upn) {
  const data = await get(`/beta/auditLogs/signIns${query({
    $filter: `userId eq ${odataString(userId)}`, $top: SIGNINS_SHOWN,
  })}`);
  const rows = ((data && data.value) || []).map((s) => {
    const code = s.status ? s.status.errorCode : 0;
    return [
      h('a', { href: `#/signins/${encodeURIComponent(s.id)}` }, when(s.createdDateTime)),
      s.appDisplayName || s.appId || '',
      s.ipAddress || '',
      code ? h('span', { class: 'badge badge--danger' }, t('users.detail.failure', { code }))
        : h('span', { class: 'badge badge--ok' }, t('users.detail.success')),
      s.authenticationRequirement === 'multiFactorAuthentication' ? t('users.detail.reqMfa') : t('users.detail.reqSfa'),
    ];
  });
  const tbl = table(t('users.detail.signins'),
    [t('users.detail.date'), t('users.detail.app'), t('users.detail.ip'), t('users.detail.result'),
      t('users.detail.requirement')], rows, t('users.detail.noSignins'));
  tbl.id = 'user-signins';
  return [tbl, h('p', {}, h('a', { href: `#/signins?user=${encodeURIComponent(upn)}` }, t('users.detail.allSignins')))];
}

// ---- actions ---------------------------------------------------------------

function actions(u, ctx, out, refreshMethods) {
  const base = encodeURIComponent(u.id);
  const show = (...nodes) => {
    out.replaceChildren(...nodes);
    out.focus();
  };
  const run = async (ask, fn) => {
    if (!(await confirmDialog(ask))) return;
    try {
      await fn();
    } catch (e) {
      show(alertBox('danger', errorText(e)));
    }
  };
  const who = u.userPrincipalName;
  const b = (id, key, fn, cls = 'button button--ghost') => {
    const el = h('button', { type: 'button', class: cls, id }, t(key));
    el.addEventListener('click', fn);
    return el;
  };
  return h('div', { class: 'toolbar users-actions', role: 'group', 'aria-label': t('users.detail.actions') },
    b('user-reset-password', 'users.action.resetPassword', () => run({
      title: t('users.action.resetPassword'), text: t('users.confirm.resetPassword', { upn: who }),
      ok: t('users.action.resetPassword'),
    }, async () => {
      const pw = generatePassword();
      await patch(`/v1.0/users/${base}`, { passwordProfile: { password: pw, forceChangePasswordNextSignIn: true } });
      show(alertBox('ok', t('users.done.resetPassword', { upn: who })), passwordOnce(who, pw));
    })),
    b('user-require-reregister', 'users.action.reregister', () => run({
      title: t('users.action.reregister'), text: t('users.confirm.reregister', { upn: who }),
      ok: t('users.action.reregister'),
    }, async () => {
      await post(`/tollgate/v1/users/${base}/requireReregister`);
      show(alertBox('ok', t('users.done.reregister', { upn: who })));
      refreshMethods();
    })),
    b('user-revoke-sessions', 'users.action.revoke', () => run({
      title: t('users.action.revoke'), text: t('users.confirm.revoke', { upn: who }),
      ok: t('users.action.revoke'),
    }, async () => {
      const r = (await post(`/tollgate/v1/users/${base}/revokeMfaSessions`)) || {};
      show(alertBox('ok', t('users.done.revoke', {
        upn: who, sessions: r.sessions || 0, devices: r.rememberedDevices || 0, families: r.refreshTokenFamilies || 0,
      })));
    })),
    b('user-delete-app-passwords', 'users.action.deleteAppPasswords', () => run({
      title: t('users.action.deleteAppPasswords'), text: t('users.confirm.deleteAppPasswords', { upn: who }),
      ok: t('users.action.deleteAppPasswords'),
    }, async () => {
      const r = (await post(`/tollgate/v1/users/${base}/deleteAllAppPasswords`)) || {};
      show(alertBox('ok', t('users.done.deleteAppPasswords', { upn: who, n: r.deleted || 0 })));
      refreshMethods();
    })),
    b('user-toggle-enabled', u.accountEnabled ? 'users.action.disable' : 'users.action.enable', () => run({
      title: t(u.accountEnabled ? 'users.action.disable' : 'users.action.enable'),
      text: t(u.accountEnabled ? 'users.confirm.disable' : 'users.confirm.enable', { upn: who }),
      ok: t(u.accountEnabled ? 'users.action.disable' : 'users.action.enable'),
    }, async () => {
      await patch(`/v1.0/users/${base}`, { accountEnabled: !u.accountEnabled });
      ctx.navigate(`#/users/${base}`);
    })),
    b('user-delete', 'users.action.delete', () => run({
      title: t('users.action.delete'), text: t('users.confirm.delete', { upn: who }), ok: t('users.action.delete'),
    }, async () => {
      await del(`/v1.0/users/${base}`);
      const root = out.closest('.page') || out.parentElement;
      root.replaceChildren(heading(t('users.deleted.title')),
        alertBox('ok', t('users.deleted.text', { upn: who })),
        h('p', {}, h('a', { href: '#/users', id: 'users-back' }, t('users.back'))));
      root.querySelector('h1').focus();
    }), 'button button--danger'));
}

export async function renderDetail(root, ctx, id) {
  let u;
  try {
    u = await get(`/v1.0/users/${encodeURIComponent(id)}`);
  } catch (e) {
    root.append(heading(t('users.detail.title')), alertBox('danger', errorText(e)),
      h('p', {}, h('a', { href: '#/users' }, t('users.back'))));
    return;
  }
  const out = h('div', { id: 'user-action-result', tabindex: '-1', 'aria-live': 'polite' });
  const mfa = section('user-mfa', t('users.detail.mfa'));
  const dir = section('user-directory', t('users.detail.directory'));
  const meth = section('user-auth-methods', t('users.detail.methods'), true);
  const sign = section('user-recent-signins', t('users.detail.signins'), true);
  const refreshMethods = () => fill(meth, () => methods(u.id));
  root.append(heading(u.displayName || u.userPrincipalName),
    h('p', {}, h('a', { href: '#/users' }, t('users.back'))),
    details([
      [t('users.col.upn'), u.userPrincipalName],
      [t('users.detail.id'), h('code', {}, u.id)],
      [t('users.col.mail'), u.mail],
      [t('users.detail.phone'), u.mobilePhone],
      [t('users.col.lang'), u.preferredLanguage ? t(`users.lang.${u.preferredLanguage}`) : t('users.lang.default')],
      [t('users.col.account'), enabledBadge(u.accountEnabled)],
      [t('users.col.type'), u.userType === 'Guest' ? t('users.guest') : t('users.member')],
      [t('users.detail.created'), when(u.createdDateTime)],
    ]),
    actions(u, ctx, out, refreshMethods), out,
    h('div', { class: 'users-sections' }, mfa.el, dir.el, meth.el, sign.el));
  await Promise.all([
    fill(mfa, async () => {
      const r = await get(`/beta/users/${encodeURIComponent(u.id)}/authentication/requirements`);
      return [h('p', { id: 'user-mfa-state' }, stateBadge(r.perUserMfaState)),
        h('p', {}, h('a', { href: `#/mfa?q=${encodeURIComponent(u.userPrincipalName)}` }, t('users.detail.mfaPage')))];
    }),
    fill(dir, () => memberships(u.id)),
    refreshMethods(),
    fill(sign, () => signins(u.id, u.userPrincipalName)),
  ]);
}
