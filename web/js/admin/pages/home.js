// SPDX-License-Identifier: MIT
// The portal's start page: who is signed in, with which roles, and the
// sections this administrator can use.
import { t } from '/js/i18n.js';
import { h, heading } from '/js/admin/ui.js';
import { get } from '/js/admin/api.js';

const ROLE_NAMES = new Map();

async function roleNames() {
  if (ROLE_NAMES.size) return ROLE_NAMES;
  try {
    const data = await get('/v1.0/directoryRoles');
    for (const r of (data && data.value) || []) ROLE_NAMES.set(r.roleTemplateId || r.id, r.displayName);
  } catch (e) {
    // a reader without directory access sees the ids
  }
  return ROLE_NAMES;
}

export default {
  async render(root, ctx) {
    // The role names are fetched first so the page appears whole.
    const names = await roleNames();
    root.append(heading(t('admin.home.title')));
    const me = ctx.me || {};
    root.append(h('p', { class: 'lead' }, t('admin.home.signedInAs', { upn: me.upn || '' })));
    const roles = me.roles || [];
    root.append(h('h2', {}, t('admin.home.roles')));
    if (!roles.length) {
      root.append(h('p', { class: 'alert alert--warn' }, t('admin.home.noRoles')));
    } else {
      root.append(h('ul', { class: 'admin-roles' }, roles.map((r) => h('li', {}, names.get(r) || r))));
    }
    const mfa = (me.amr || []).includes('mfa');
    root.append(h('p', { class: mfa ? 'alert alert--ok' : 'alert alert--warn' },
      t(mfa ? 'admin.home.mfaYes' : 'admin.home.mfaNo')));
  },
};
