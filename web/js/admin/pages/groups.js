// SPDX-License-Identifier: MIT
// Groups (#/groups): Entra's Groups blade over /v1.0/groups.
//  - #/groups[?q=…]: a paged list (50 a page over the API's nextLink, never
//    the whole tenant) with a "starts with" search on the name; each
//    group's object id with a copy button — the id is what Conditional
//    Access policies name in includeGroups / excludeGroups.
//  - #/groups/new: create (displayName, description; the server's error at
//    its field).
//  - #/groups/{id}: properties (rename, description), delete behind a
//    confirmation (a 409 names the Conditional Access policies that name
//    the group, shown as it comes), and the members: direct (users and
//    nested groups, paged; add by UPN or by group name or id, remove behind
//    a confirmation) or all (transitive, through nested groups).
// Write controls are drawn only for the roles that may write (GROUP_WRITE,
// GROUP_MEMBER_WRITE in docs/admin-api.md); the server still decides, and
// its 403 (a User Administrator moving an administrator) is shown as it is.
import { t } from '/js/i18n.js';
import { alertBox, confirmDialog, details, errorText, h, heading, pagedTable, when } from '/js/admin/ui.js';
import { del, get, odataString, pager, patch, post, query } from '/js/admin/api.js';
import { ROLE } from '/js/admin/app.js';
import { debounce, field, fieldOf } from '/js/admin/pages/users-lib.js';

const PAGE_SIZE = 50;
const MAX_NAME = 256;          // TG_MAX_GROUP_NAME
const MAX_DESCRIPTION = 256;   // TG_MAX_DISPLAY_NAME
const GRAPH = 'https://graph.microsoft.com/v1.0';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Which form field a server message is about.
const GROUP_FIELDS = {
  displayName: [/displayName/, /display name/i, /group name/i, /needs a name/i],
  description: [/description/i],
};

// GROUP_WRITE and GROUP_MEMBER_WRITE: Global Administrator, User
// Administrator (members of non-administrators only).
const canWrite = (ctx) => ctx.hasRole(ROLE.globalAdmin, ROLE.userAdmin);

const groupPath = (id) => `/v1.0/groups/${encodeURIComponent(id)}`;

// A button copying text (an object id) to the clipboard.
function copyButton(text, label) {
  const b = h('button', { type: 'button', class: 'button button--ghost groups-copy', 'aria-label': label },
    t('groups.copy'));
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = t('groups.copied');
    } catch (e) {
      b.textContent = t('groups.copyFailed');
    }
  });
  return b;
}

function idCell(g) {
  return h('span', { class: 'groups-id' }, h('code', {}, g.id), ' ',
    copyButton(g.id, t('groups.copyIdOf', { name: g.displayName })));
}

// ---- the list --------------------------------------------------------------

function renderList(root, ctx) {
  root.append(heading(t('groups.title')),
    h('p', { class: 'muted' }, t('groups.intro')));
  const search = h('input', {
    type: 'search', id: 'groups-search', autocomplete: 'off', maxlength: MAX_NAME,
    placeholder: t('groups.searchPlaceholder'),
  });
  search.value = ctx.params.get('q') || '';
  root.append(h('div', { class: 'toolbar', role: 'search' },
    h('div', { class: 'field groups-search' }, h('label', { for: 'groups-search' }, t('groups.search')), search),
    h('span', { class: 'toolbar__spacer' }),
    canWrite(ctx) ? h('a', { class: 'button', href: '#/groups/new', id: 'groups-new' }, t('groups.new')) : null));

  const makePager = () => {
    const text = search.value.trim();
    return pager(`/v1.0/groups${query({
      $select: 'id,displayName,description',
      $top: PAGE_SIZE,
      $filter: text ? `startswith(displayName,${odataString(text)})` : '',
    })}`);
  };
  const table = pagedTable(makePager, [
    { label: t('groups.col.name'), value: (g) => g.displayName },
    { label: t('groups.col.id'), value: idCell },
    { label: t('groups.col.description'), value: (g) => g.description || '' },
  ], {
    caption: t('groups.caption'),
    empty: t('groups.none'),
    onRow: (g) => ctx.navigate(`#/groups/${encodeURIComponent(g.id)}`),
  });
  table.element.id = 'groups-table';
  root.append(table.element);
  const reload = debounce(() => {
    const q = search.value.trim();
    // keep the search in the address without a new navigation
    history.replaceState(null, '', `#/groups${q ? `?q=${encodeURIComponent(q)}` : ''}`);
    table.reload();
  }, 300);
  search.addEventListener('input', reload);
  return table.reload();
}

// ---- create ----------------------------------------------------------------

function nameFields(prefix, g = {}) {
  const name = h('input', { type: 'text', name: 'displayName', autocomplete: 'off', required: true, maxlength: MAX_NAME });
  const desc = h('textarea', { name: 'description', rows: '3', maxlength: MAX_DESCRIPTION });
  name.value = g.displayName || '';
  desc.value = g.description || '';
  return {
    name,
    desc,
    fields: {
      displayName: field({ id: `${prefix}-name`, label: t('groups.col.name'), input: name }),
      description: field({ id: `${prefix}-description`, label: t('groups.col.description'), input: desc }),
    },
  };
}

// Show a server error at the field it is about, else in formError.
function showFormError(e, fields, formError) {
  const which = fieldOf(e.message, GROUP_FIELDS);
  if (which && fields[which]) {
    fields[which].setError(errorText(e));
    fields[which].querySelector('input,textarea').focus();
  } else {
    formError.replaceChildren(alertBox('danger', errorText(e)));
    formError.focus();
  }
}

function renderCreate(root, ctx) {
  root.append(heading(t('groups.create.title')),
    h('p', {}, h('a', { href: '#/groups' }, t('groups.back'))));
  if (!canWrite(ctx)) {
    root.append(alertBox('warn', t('groups.readOnly')));
    return;
  }
  const { name, desc, fields } = nameFields('group-create');
  const formError = h('div', { id: 'group-form-error', tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'group-create' }, t('groups.create.submit'));
  const form = h('form', { class: 'groups-form card', novalidate: true },
    formError, fields.displayName, h('p', { class: 'field__hint' }, t('groups.create.typeHint')),
    fields.description, h('div', { class: 'toolbar' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError('');
    formError.replaceChildren();
    if (!name.value.trim()) {
      fields.displayName.setError(t('groups.create.nameRequired'));
      name.focus();
      return;
    }
    const body = { displayName: name.value.trim(), mailEnabled: false, securityEnabled: true, groupTypes: [] };
    if (desc.value.trim()) body.description = desc.value.trim();
    form.setAttribute('aria-busy', 'true');
    submit.disabled = true;
    try {
      const g = await post('/v1.0/groups', body);
      ctx.navigate(`#/groups/${encodeURIComponent(g.id)}?created=1`);
    } catch (e) {
      showFormError(e, fields, formError);
    } finally {
      form.removeAttribute('aria-busy');
      submit.disabled = false;
    }
  });
  root.append(form);
}

// ---- one group -------------------------------------------------------------

function kindOf(m) {
  return m['@odata.type'] === '#microsoft.graph.group' ? 'group' : 'user';
}

// A member for people: a user's name with the UPN, a group's name.
function memberName(m) {
  const name = m.displayName || '';
  const upn = m.userPrincipalName || '';
  if (kindOf(m) === 'group' || !upn) return name || m.id;
  return name && name !== upn ? `${name} (${upn})` : upn;
}

function kindBadge(m) {
  const k = kindOf(m);
  return h('span', { class: `badge groups-kind groups-kind--${k}`, 'data-kind': k }, t(`groups.kind.${k}`));
}

// The properties form (rename, description) and the delete button.
function manage(g, ctx, out) {
  const { name, desc, fields } = nameFields('group-edit', g);
  const formError = h('div', { id: 'group-edit-error', tabindex: '-1' });
  const save = h('button', { type: 'submit', class: 'button', id: 'group-save' }, t('groups.edit.save'));
  const form = h('form', { class: 'groups-form', novalidate: true },
    formError, fields.displayName, fields.description, h('div', { class: 'toolbar' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError('');
    formError.replaceChildren();
    out.replaceChildren();
    const newName = name.value.trim();
    const newDesc = desc.value.trim();
    if (!newName) {
      fields.displayName.setError(t('groups.create.nameRequired'));
      name.focus();
      return;
    }
    const body = {};
    if (newName !== g.displayName) body.displayName = newName;
    if (newDesc !== (g.description || '')) body.description = newDesc || null;
    if (!Object.keys(body).length) {
      formError.replaceChildren(alertBox('ok', t('groups.edit.unchanged')));
      return;
    }
    save.disabled = true;
    try {
      await patch(groupPath(g.id), body);
      ctx.navigate(`#/groups/${encodeURIComponent(g.id)}?saved=1`);
    } catch (e) {
      showFormError(e, fields, formError);
    } finally {
      save.disabled = false;
    }
  });

  const remove = h('button', { type: 'button', class: 'button button--danger', id: 'group-delete' },
    t('groups.delete.button'));
  remove.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: t('groups.delete.title'),
      text: t('groups.delete.confirm', { name: g.displayName }),
      ok: t('groups.delete.button'),
    });
    if (!ok) return;
    out.replaceChildren();
    try {
      await del(groupPath(g.id));
    } catch (e) {
      // a 409 names the Conditional Access policies: shown as it comes
      out.replaceChildren(alertBox('danger', errorText(e)));
      out.focus();
      return;
    }
    const page = out.closest('.page') || out.parentElement;
    page.replaceChildren(heading(t('groups.deleted.title')),
      alertBox('ok', t('groups.deleted.text', { name: g.displayName })),
      h('p', {}, h('a', { href: '#/groups', id: 'groups-back' }, t('groups.back'))));
    page.querySelector('h1').focus();
  });
  return h('section', { class: 'card groups-section', id: 'group-manage', 'aria-labelledby': 'group-manage-h' },
    h('h2', { id: 'group-manage-h' }, t('groups.edit.title')), form,
    h('div', { class: 'toolbar groups-danger' }, remove));
}

// Add a member: a user by UPN (or id), a group by name or id.
function addMember(g, onAdded) {
  const kind = h('select', { name: 'kind' },
    h('option', { value: 'user' }, t('groups.kind.user')),
    h('option', { value: 'group' }, t('groups.kind.group')));
  const who = h('input', { type: 'text', name: 'member', autocomplete: 'off', spellcheck: 'false', maxlength: MAX_NAME });
  const kindField = field({ id: 'group-add-kind', label: t('groups.add.kind'), input: kind });
  const whoField = field({ id: 'group-add-who', label: t('groups.add.upn'), input: who, hint: t('groups.add.upnHint') });
  const label = whoField.querySelector('label');
  const hint = whoField.querySelector('.field__hint');
  kind.addEventListener('change', () => {
    const user = kind.value === 'user';
    label.textContent = t(user ? 'groups.add.upn' : 'groups.add.group');
    hint.textContent = t(user ? 'groups.add.upnHint' : 'groups.add.groupHint');
    whoField.setError('');
  });
  const done = h('div', { id: 'group-add-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'group-add' }, t('groups.add.submit'));
  const form = h('form', { class: 'groups-add', novalidate: true, 'aria-labelledby': 'group-add-h' },
    h('h3', { id: 'group-add-h' }, t('groups.add.title')),
    h('div', { class: 'toolbar' }, kindField, whoField, submit), done);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    whoField.setError('');
    done.replaceChildren();
    const value = who.value.trim();
    if (!value) {
      whoField.setError(t(kind.value === 'user' ? 'groups.add.upnRequired' : 'groups.add.groupRequired'));
      who.focus();
      return;
    }
    submit.disabled = true;
    try {
      let ref;
      let shown = value;
      if (kind.value === 'user') {
        // no UPN holds a '/'; escaped, the server refuses it at @odata.id
        ref = `${GRAPH}/users/${value.replace(/\//g, '%2F')}`;
      } else if (GUID.test(value)) {
        ref = `${GRAPH}/groups/${value}`;
      } else {
        const found = await get(`/v1.0/groups${query({
          $filter: `displayName eq ${odataString(value)}`, $select: 'id,displayName', $top: 1,
        })}`);
        const hit = found && found.value && found.value[0];
        if (!hit) {
          whoField.setError(t('groups.add.noGroup', { name: value }));
          who.focus();
          return;
        }
        ref = `${GRAPH}/groups/${hit.id}`;
        shown = hit.displayName;
      }
      await post(`${groupPath(g.id)}/members/$ref`, { '@odata.id': ref });
      who.value = '';
      done.replaceChildren(alertBox('ok', t('groups.add.done', { name: shown, group: g.displayName })));
      await onAdded();
    } catch (e) {
      whoField.setError(errorText(e));
      who.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function members(g, ctx) {
  const writable = canWrite(ctx);
  const out = h('div', { id: 'group-member-result', tabindex: '-1', 'aria-live': 'polite' });
  let transitive = false;
  const makePager = () => pager(`${groupPath(g.id)}/${transitive ? 'transitiveMembers' : 'members'}${query({
    $select: 'id,displayName,userPrincipalName', $top: PAGE_SIZE,
  })}`);
  const columns = [
    { label: t('groups.col.name'), value: (m) => m.displayName || m.userPrincipalName || m.id },
    { label: t('groups.col.kind'), value: kindBadge },
    { label: t('groups.col.upn'), value: (m) => m.userPrincipalName || '' },
  ];
  let table;
  if (writable) {
    columns.push({
      label: h('span', { class: 'visually-hidden' }, t('groups.col.actions')),
      value: (m) => {
        if (transitive) return '';
        const name = memberName(m);
        const b = h('button', {
          type: 'button', class: 'button button--ghost groups-remove',
          'aria-label': t('groups.remove.label', { name }),
        }, t('groups.remove.button'));
        b.addEventListener('click', async () => {
          const ok = await confirmDialog({
            title: t('groups.remove.title'),
            text: t('groups.remove.confirm', { name, group: g.displayName }),
            ok: t('groups.remove.button'),
          });
          if (!ok) return;
          out.replaceChildren();
          try {
            await del(`${groupPath(g.id)}/members/${encodeURIComponent(m.id)}/$ref`);
            out.replaceChildren(alertBox('ok', t('groups.remove.done', { name, group: g.displayName })));
            await table.reload();
          } catch (e) {
            out.replaceChildren(alertBox('danger', errorText(e)));
          }
          out.focus();
        });
        return b;
      },
    });
  }
  table = pagedTable(makePager, columns, {
    caption: t('groups.members.caption', { name: g.displayName }),
    empty: t('groups.members.none'),
    rowKey: (m) => m.id,
    onRow: (m) => ctx.navigate(`#/${kindOf(m) === 'group' ? 'groups' : 'users'}/${encodeURIComponent(m.id)}`),
  });
  table.element.id = 'group-members-table';

  // Direct members / All members: tabs over one panel
  const tabs = [
    { id: 'group-tab-direct', key: 'groups.members.direct', transitive: false },
    { id: 'group-tab-all', key: 'groups.members.all', transitive: true },
  ];
  const adder = writable ? addMember(g, () => table.reload()) : null;
  const hint = h('p', { class: 'field__hint', id: 'group-members-hint' }, t('groups.members.directHint'));
  const panel = h('div', { role: 'tabpanel', id: 'group-members-panel', tabindex: '0' },
    hint, table.element);
  const buttons = tabs.map((tab) => h('button', {
    type: 'button', role: 'tab', id: tab.id, 'aria-controls': panel.id,
    'aria-selected': tab.transitive === transitive ? 'true' : 'false',
    tabindex: tab.transitive === transitive ? '0' : '-1',
  }, t(tab.key)));
  const select = async (i, focus) => {
    transitive = tabs[i].transitive;
    buttons.forEach((b, k) => {
      b.setAttribute('aria-selected', k === i ? 'true' : 'false');
      b.tabIndex = k === i ? 0 : -1;
    });
    if (focus) buttons[i].focus();
    panel.setAttribute('aria-labelledby', tabs[i].id);
    hint.textContent = t(transitive ? 'groups.members.allHint' : 'groups.members.directHint');
    if (adder) adder.hidden = transitive;
    // all members are read only: no Remove column (admin-groups.css)
    table.element.classList.toggle('groups-members--all', transitive && writable);
    out.replaceChildren();
    await table.reload();
  };
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => select(i, false));
    b.addEventListener('keydown', (ev) => {
      const n = { ArrowRight: 1, ArrowLeft: -1 }[ev.key];
      if (n === undefined) return;
      ev.preventDefault();
      select((i + n + tabs.length) % tabs.length, true);
    });
  });
  panel.setAttribute('aria-labelledby', tabs[0].id);
  const sec = h('section', { class: 'card groups-section', id: 'group-members', 'aria-labelledby': 'group-members-h' },
    h('h2', { id: 'group-members-h' }, t('groups.members.title')),
    adder,
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('groups.members.title') }, buttons),
    out, panel);
  return { el: sec, load: () => table.reload() };
}

async function renderDetail(root, ctx, id) {
  let g;
  try {
    g = await get(`${groupPath(id)}${query({ $select: 'id,displayName,description,createdDateTime,securityEnabled' })}`);
  } catch (e) {
    root.append(heading(t('groups.detail.title')), alertBox('danger', errorText(e)),
      h('p', {}, h('a', { href: '#/groups' }, t('groups.back'))));
    return;
  }
  const out = h('div', { id: 'group-result', tabindex: '-1', 'aria-live': 'polite' });
  if (ctx.params.get('created')) out.append(alertBox('ok', t('groups.create.done', { name: g.displayName })));
  else if (ctx.params.get('saved')) out.append(alertBox('ok', t('groups.edit.done', { name: g.displayName })));
  // said once: a reload or a language change does not say it again
  if (ctx.params.has('created') || ctx.params.has('saved')) {
    history.replaceState(null, '', `#/groups/${encodeURIComponent(g.id)}`);
  }
  const mem = members(g, ctx);
  root.append(heading(g.displayName),
    h('p', {}, h('a', { href: '#/groups' }, t('groups.back'))),
    out,
    details([
      [t('groups.col.name'), g.displayName],
      [t('groups.col.id'), h('span', { id: 'group-id' }, h('code', {}, g.id), ' ',
        copyButton(g.id, t('groups.copyIdOf', { name: g.displayName })))],
      [t('groups.col.description'), g.description || ''],
      [t('groups.detail.type'), t('groups.detail.security')],
      [t('groups.detail.created'), when(g.createdDateTime)],
    ]),
    h('p', { class: 'field__hint' }, t('groups.detail.idHint')),
    h('div', { class: 'groups-sections' }, mem.el, canWrite(ctx) ? manage(g, ctx, out) : null));
  await mem.load();
}

export default {
  async render(root, ctx) {
    const [first] = ctx.sub;
    if (!first) return renderList(root, ctx);
    if (first === 'new') return renderCreate(root, ctx);
    return renderDetail(root, ctx, first);
  },
};
