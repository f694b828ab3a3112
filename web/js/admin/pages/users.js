// SPDX-License-Identifier: MIT
// Users (#/users): a paged list with search (startswith on the display
// name or the user principal name, one page at a time over /v1.0/users),
// and the views under it: #/users/new (create), #/users/import (CSV) and
// #/users/{id} (one user: properties, roles and groups, methods, per-user
// MFA, recent sign-ins, and the helpdesk actions).
import { t } from '/js/i18n.js';
import { h, heading, pagedTable } from '/js/admin/ui.js';
import { pager, odataString, query } from '/js/admin/api.js';
import { debounce, enabledBadge } from '/js/admin/pages/users-lib.js';

const PAGE_SIZE = 25;

function renderList(root, ctx) {
  root.append(heading(t('users.title')));
  const search = h('input', {
    type: 'search', id: 'users-search', autocomplete: 'off',
    placeholder: t('users.searchPlaceholder'),
  });
  search.value = ctx.params.get('q') || '';
  const by = h('select', { id: 'users-search-by' },
    h('option', { value: 'displayName' }, t('users.col.name')),
    h('option', { value: 'userPrincipalName' }, t('users.col.upn')));
  by.value = ctx.params.get('by') === 'userPrincipalName' ? 'userPrincipalName' : 'displayName';
  const toolbar = h('div', { class: 'toolbar', role: 'search' },
    h('div', { class: 'field users-search' }, h('label', { for: 'users-search' }, t('users.search')), search),
    h('div', { class: 'field' }, h('label', { for: 'users-search-by' }, t('users.searchBy')), by),
    h('span', { class: 'toolbar__spacer' }),
    h('a', { class: 'button', href: '#/users/new', id: 'users-new' }, t('users.new')),
    h('a', { class: 'button button--ghost', href: '#/users/import', id: 'users-import' }, t('users.importButton')));
  root.append(toolbar);

  const makePager = () => {
    const text = search.value.trim();
    return pager(`/v1.0/users${query({
      $select: 'id,displayName,userPrincipalName,mail,accountEnabled,userType',
      $top: PAGE_SIZE,
      $filter: text ? `startswith(${by.value},${odataString(text)})` : '',
    })}`);
  };
  const table = pagedTable(makePager, [
    { label: t('users.col.name'), value: (u) => u.displayName || u.userPrincipalName },
    { label: t('users.col.upn'), value: (u) => u.userPrincipalName },
    { label: t('users.col.mail'), value: (u) => u.mail || '' },
    { label: t('users.col.type'), value: (u) => (u.userType === 'Guest' ? t('users.guest') : t('users.member')) },
    { label: t('users.col.account'), value: (u) => enabledBadge(u.accountEnabled) },
  ], {
    caption: t('users.caption'),
    empty: t('users.none'),
    onRow: (u) => ctx.navigate(`#/users/${encodeURIComponent(u.id)}`),
  });
  table.element.id = 'users-table';
  root.append(table.element);
  const reload = debounce(() => table.reload(), 300);
  search.addEventListener('input', reload);
  by.addEventListener('change', () => table.reload());
  return table.reload();
}

export default {
  async render(root, ctx) {
    const [first] = ctx.sub;
    if (!first) return renderList(root, ctx);
    if (first === 'new') return (await import('/js/admin/pages/users-create.js')).renderCreate(root, ctx);
    if (first === 'import') return (await import('/js/admin/pages/users-import.js')).renderImport(root, ctx);
    return (await import('/js/admin/pages/users-detail.js')).renderDetail(root, ctx, first);
  },
};
