// SPDX-License-Identifier: MIT
// Per-user MFA (#/mfa), Entra's "multifactor authentication" page: the
// users with their state (GET /tollgate/v1/perUserMfa, one page at a
// time), filtered by state and searched by name; checkboxes that keep the
// selection across pages; quick steps Enable / Disable / Enforce with a
// confirmation that says how many users change, applied with POST
// /tollgate/v1/perUserMfa/bulk (changed / unchanged / not found); a bulk
// update from a CSV file (mfa-bulk.js); and the Service settings tab
// (#/mfa/settings, mfa-settings.js) and Notices tab (#/mfa/notices,
// mfa-notices.js: were users emailed when MFA was turned on for them).
import { t } from '/js/i18n.js';
import { alertBox, confirmDialog, errorText, h, heading, pagedTable } from '/js/admin/ui.js';
import { odataString, pager, post, query } from '/js/admin/api.js';
import { STATES, debounce, stateBadge } from '/js/admin/pages/users-lib.js';

const PAGE_SIZE = 50;
const TABS = [
  { id: 'users', hash: '#/mfa', key: 'mfa.tab.users' },
  { id: 'settings', hash: '#/mfa/settings', key: 'mfa.tab.settings' },
  { id: 'notices', hash: '#/mfa/notices', key: 'mfa.tab.notices' },
];

// "n users" / "1 user" in the page's language.
export function plural(key, n, vars = {}) {
  return t(`${key}.${n === 1 ? 'one' : 'other'}`, { n, ...vars });
}

// The tab strip: links styled as tabs (each tab is its own URL).
function tabs(current, ctx) {
  const list = h('div', { class: 'tabs mfa-tabs', role: 'tablist', 'aria-label': t('mfa.tabsLabel') });
  const buttons = TABS.map((tab) => h('button', {
    type: 'button', role: 'tab', id: `mfa-tab-${tab.id}`, 'aria-controls': 'mfa-panel',
    'aria-selected': String(tab.id === current), tabindex: tab.id === current ? '0' : '-1',
    onclick: () => ctx.navigate(tab.hash),
  }, t(tab.key)));
  list.addEventListener('keydown', (ev) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    let j = -1;
    if (ev.key === 'ArrowRight') j = (i + 1) % buttons.length;
    else if (ev.key === 'ArrowLeft') j = (i - 1 + buttons.length) % buttons.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = buttons.length - 1;
    if (j < 0) return;
    ev.preventDefault();
    buttons[j].focus();
    buttons[j].click();
  });
  list.append(...buttons);
  return list;
}

function renderUsers(panel, ctx) {
  const q = ctx.params.get('q') || '';
  const search = h('input', { type: 'search', id: 'mfa-search', autocomplete: 'off', placeholder: t('users.searchPlaceholder') });
  search.value = q;
  const by = h('select', { id: 'mfa-search-by' },
    h('option', { value: 'displayName' }, t('users.col.name')),
    h('option', { value: 'userPrincipalName' }, t('users.col.upn')));
  by.value = q.includes('@') ? 'userPrincipalName' : 'displayName';
  const stateSel = h('select', { id: 'mfa-state-filter' },
    h('option', { value: '' }, t('mfa.filter.all')),
    STATES.map((s) => h('option', { value: s }, t(`mfa.state.${s}`))));
  const wanted = ctx.params.get('state');
  if (STATES.includes(wanted)) stateSel.value = wanted;

  const count = h('span', { class: 'muted', id: 'mfa-selected', 'aria-live': 'polite' });
  const result = h('div', { id: 'mfa-result', tabindex: '-1', 'aria-live': 'polite' });
  const quick = {};
  const clear = h('button', { type: 'button', class: 'button button--ghost', id: 'mfa-clear', disabled: true },
    t('mfa.clearSelection'));
  for (const [state, key] of [['enabled', 'enable'], ['disabled', 'disable'], ['enforced', 'enforce']]) {
    quick[state] = h('button', { type: 'button', class: 'button', id: `mfa-${key}`, disabled: true },
      t(`mfa.quick.${key}`));
  }

  const makePager = () => {
    const clauses = [];
    if (stateSel.value) clauses.push(`perUserMfaState eq ${odataString(stateSel.value)}`);
    const text = search.value.trim();
    if (text) clauses.push(`startswith(${by.value},${odataString(text)})`);
    return pager(`/tollgate/v1/perUserMfa${query({ $top: PAGE_SIZE, $filter: clauses.join(' and ') })}`);
  };
  const table = pagedTable(makePager, [
    { label: t('users.col.name'), value: (u) => u.displayName || u.userPrincipalName },
    { label: t('users.col.upn'), value: (u) => u.userPrincipalName },
    { label: t('mfa.col.state'), value: (u) => stateBadge(u.perUserMfaState) },
  ], {
    select: true,
    caption: t('mfa.caption'),
    empty: t('users.none'),
    rowKey: (u) => u.id,
    onSelect: (sel) => {
      count.textContent = plural('mfa.selected', sel.length);
      for (const b of Object.values(quick)) b.disabled = sel.length === 0;
      clear.disabled = sel.length === 0;
    },
  });
  table.element.id = 'mfa-table';
  clear.addEventListener('click', () => table.clearSelection());

  async function apply(state, key) {
    const sel = table.selected();
    if (!sel.length) return;
    const change = sel.filter((u) => u.perUserMfaState !== state).length;
    const text = [plural(`mfa.confirm.${key}`, sel.length),
      t('mfa.confirm.counts', { change, same: sel.length - change })];
    if (state === 'enforced') text.push(t('mfa.confirm.enforceTip'));
    if (state !== 'disabled') text.push(t('mfa.confirm.notice'));
    const ok = await confirmDialog({ title: t(`mfa.quick.${key}`), text: text.join(' '), ok: t(`mfa.quick.${key}`) });
    if (!ok) return;
    result.replaceChildren();
    try {
      const r = await post('/tollgate/v1/perUserMfa/bulk', {
        perUserMfaState: state, users: sel.map((u) => u.userPrincipalName),
      });
      const nf = (r && r.notFound) || [];
      result.append(alertBox(nf.length ? 'warn' : 'ok', t('mfa.done', {
        state: t(`mfa.state.${state}`), changed: r.changed, unchanged: r.unchanged, notFound: nf.length,
      })));
      if (nf.length) result.append(h('ul', { class: 'mfa-notfound' }, nf.map((x) => h('li', {}, x))));
      if (state !== 'disabled' && r.changed > 0) {
        result.append(h('p', { class: 'mfa-result__link' },
          h('a', { href: '#/mfa/notices', id: 'mfa-notices-link' }, t('mfa.notices.link'))));
      }
      await table.reload();
    } catch (e) {
      result.append(alertBox('danger', errorText(e)));
    }
    result.focus();
  }
  quick.enabled.addEventListener('click', () => apply('enabled', 'enable'));
  quick.disabled.addEventListener('click', () => apply('disabled', 'disable'));
  quick.enforced.addEventListener('click', () => apply('enforced', 'enforce'));

  // a new search keeps what is selected: pick users from several
  // searches, then apply one quick step to all of them
  const reload = () => table.reload({ keepSelection: true });
  search.addEventListener('input', debounce(reload, 300));
  by.addEventListener('change', reload);
  stateSel.addEventListener('change', reload);

  panel.append(
    h('div', { class: 'toolbar', role: 'search' },
      h('div', { class: 'field mfa-search' }, h('label', { for: 'mfa-search' }, t('users.search')), search),
      h('div', { class: 'field' }, h('label', { for: 'mfa-search-by' }, t('users.searchBy')), by),
      h('div', { class: 'field' }, h('label', { for: 'mfa-state-filter' }, t('mfa.filter.label')), stateSel)),
    h('div', { class: 'toolbar mfa-quick', role: 'group', 'aria-label': t('mfa.quick.label') },
      h('span', { class: 'mfa-quick__label' }, t('mfa.quick.label')),
      quick.enabled, quick.disabled, quick.enforced, clear, count),
    result, table.element);
  count.textContent = plural('mfa.selected', 0);
  return { table, done: table.reload() };
}

export default {
  async render(root, ctx) {
    const current = ['settings', 'notices'].includes(ctx.sub[0]) ? ctx.sub[0] : 'users';
    root.append(heading(t('mfa.title')), h('p', { class: 'lead' }, t('mfa.intro')), tabs(current, ctx));
    const panel = h('div', { role: 'tabpanel', id: 'mfa-panel', 'aria-labelledby': `mfa-tab-${current}` });
    root.append(panel);
    if (current === 'settings') {
      await (await import('/js/admin/pages/mfa-settings.js')).renderSettings(panel, ctx);
      return;
    }
    if (current === 'notices') {
      await (await import('/js/admin/pages/mfa-notices.js')).renderNotices(panel, ctx);
      return;
    }
    const { table, done } = renderUsers(panel, ctx);
    (await import('/js/admin/pages/mfa-bulk.js')).renderBulk(panel, () => table.reload());
    await done;
  },
};
