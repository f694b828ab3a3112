// SPDX-License-Identifier: MIT
// Conditional Access (#/ca): the tenant's policies with their state, new
// policies from a template (always created in report-only) or from Graph
// conditionalAccessPolicy JSON, a policy's view with its JSON and state
// switch (Off / Report-only / On), edit, delete, what-if and impact replay.
//   #/ca                 list
//   #/ca/templates       create from a template
//   #/ca/new             create from JSON
//   #/ca/whatif          what-if (ca-whatif.js)
//   #/ca/impact[?policy=ID]  impact replay of a draft (ca-impact.js)
//   #/ca/{id}[?created=template|json]  one policy
//   #/ca/{id}/edit       edit its JSON
// The server decides who may do what: a reader's Create is answered 403
// and shown as such.
import { t } from '/js/i18n.js';
import { h, heading, status, confirmDialog, errorText, pagedTable, when, details } from '/js/admin/ui.js';
import { get, post, patch, del } from '/js/admin/api.js';
import {
  arrayPager, stateBadge, stateInfo, jsonEditor, parseJson, editable, replaceBody, backLink, list, uid,
  skeleton,
} from '/js/admin/pages/policy-lib.js';
import whatif from '/js/admin/pages/ca-whatif.js';
import impact from '/js/admin/pages/ca-impact.js';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';
const SD = '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy';

const TEMPLATES = [
  'require-mfa-admins',
  'require-mfa-all-users',
  'block-legacy-auth',
  'require-mfa-admin-portals',
  'require-mfa-risky-sign-ins',
  'require-password-change-high-risk-users',
];

const STATES = ['disabled', 'enabledForReportingButNotEnforced', 'enabled'];

const pretty = (v) => JSON.stringify(v, null, 2);

function pageLink(href, text, cls = 'button button--ghost') {
  return h('a', { class: cls, href }, text);
}

// A notice when security defaults are on: policies can be saved Off or
// Report-only, not On. Readers without access to the setting see nothing.
async function sdNotice() {
  try {
    const sd = await get(SD);
    if (sd && sd.isEnabled) {
      return h('p', { class: 'alert alert--warn', id: 'ca-sd-on' }, t('policy.ca.sdOn'),
        ' ', h('a', { href: '#/security-defaults' }, t('admin.nav.securityDefaults')));
    }
  } catch (e) {
    // not allowed to read security defaults: no notice
  }
  return null;
}

async function renderList(root, ctx) {
  root.append(heading(t('admin.nav.ca')));
  root.append(h('p', { class: 'lead' }, t('policy.ca.intro')));
  const gone = ctx.params.get('deleted');
  if (gone) root.append(h('p', { class: 'alert alert--ok', role: 'status' }, t('policy.ca.deleted', { name: gone })));
  const notice = await sdNotice();
  if (notice) root.append(notice);
  root.append(h('div', { class: 'toolbar' },
    pageLink('#/ca/templates', t('policy.ca.newFromTemplate'), 'button'),
    pageLink('#/ca/new', t('policy.ca.newFromJson')),
    pageLink('#/ca/whatif', t('policy.whatif.title')),
    pageLink('#/ca/impact', t('policy.impact.title')),
    pageLink('#/locations', t('admin.nav.locations'))));
  const table = pagedTable(() => arrayPager(async () => {
    const data = await get(POLICIES);
    return (data && data.value) || [];
  }, 50), [
    { label: t('policy.ca.col.name'), value: (p) => p.displayName || p.id },
    { label: t('policy.ca.col.state'), value: (p) => stateBadge(p.state) },
    { label: t('policy.ca.col.modified'), value: (p) => when(p.modifiedDateTime || p.createdDateTime) },
  ], {
    caption: t('policy.ca.listCaption'),
    empty: t('policy.ca.none'),
    onRow: (p) => ctx.navigate(`#/ca/${encodeURIComponent(p.id)}`),
  });
  root.append(table.element);
  await table.reload();
}

async function renderTemplates(root, ctx) {
  root.append(backLink('#/ca', t('admin.nav.ca')));
  root.append(heading(t('policy.tpl.title')));
  root.append(h('p', { class: 'alert alert--warn' }, t('policy.tpl.reportOnly')));
  const grid = h('ul', { class: 'pol-templates' });
  for (const name of TEMPLATES) {
    const err = h('p', { class: 'field__error', role: 'alert', hidden: true });
    const titleId = uid('tpl');
    const btn = h('button', {
      type: 'button', class: 'button', 'data-template': name, 'aria-describedby': titleId,
    }, t('policy.tpl.create'));
    btn.addEventListener('click', async () => {
      err.hidden = true;
      btn.disabled = true;
      try {
        const p = await post(`/tollgate/v1/conditionalAccess/templates/${encodeURIComponent(name)}`);
        ctx.navigate(`#/ca/${encodeURIComponent(p.id)}?created=template`);
      } catch (e) {
        err.textContent = errorText(e);
        err.hidden = false;
        btn.disabled = false;
        btn.focus();
      }
    });
    grid.append(h('li', { class: 'card pol-template' },
      h('h2', { id: titleId }, t(`policy.tpl.${name}.title`)),
      h('p', {}, t(`policy.tpl.${name}.text`)),
      btn, err));
  }
  root.append(grid);
}

// The JSON editor for a new policy (id null) or an existing one.
async function renderEditor(root, ctx, id) {
  let orig = null;
  if (id) {
    orig = await get(`${POLICIES}/${encodeURIComponent(id)}`);
    root.append(backLink(`#/ca/${encodeURIComponent(id)}`, orig.displayName || id));
    root.append(heading(t('policy.ca.editTitle', { name: orig.displayName || id })));
  } else {
    root.append(backLink('#/ca', t('admin.nav.ca')));
    root.append(heading(t('policy.ca.newTitle')));
  }
  root.append(h('p', {}, t('policy.ca.jsonIntro')));
  const editor = jsonEditor(t('policy.ca.jsonLabel'), pretty(id ? editable(orig) : skeleton()),
    t('policy.ca.jsonHint'));
  const save = h('button', { type: 'submit', class: 'button' }, id ? t('policy.save') : t('policy.ca.create'));
  const tryImpact = h('button', { type: 'button', class: 'button button--ghost' }, t('policy.impact.runDraft'));
  const form = h('form', { class: 'pol-form', novalidate: true }, editor.element,
    h('div', { class: 'toolbar' }, save, tryImpact,
      h('a', { class: 'button button--ghost', href: id ? `#/ca/${encodeURIComponent(id)}` : '#/ca' }, t('admin.cancel'))));
  root.append(form);

  tryImpact.addEventListener('click', () => {
    sessionStorage.setItem('tollgate.impactDraft', editor.value());
    ctx.navigate('#/ca/impact?draft=1');
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    editor.clear();
    let body;
    try {
      body = parseJson(editor.value());
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error(t('policy.json.notObject'));
    } catch (e) {
      editor.showError(e.message);
      return;
    }
    save.disabled = true;
    try {
      if (id) {
        await patch(`${POLICIES}/${encodeURIComponent(id)}`, replaceBody(orig, body));
        ctx.navigate(`#/ca/${encodeURIComponent(id)}?created=saved`);
      } else {
        const p = await post(POLICIES, body);
        ctx.navigate(`#/ca/${encodeURIComponent(p.id)}?created=json`);
      }
    } catch (e) {
      editor.showError(e);
    } finally {
      save.disabled = false;
    }
  });
}

// A policy in a few lines of words (the JSON is shown below in full).
// Names for the object ids a policy names — users, groups, directory
// roles, named locations — read once per view (at most LOOKUP_MAX single
// reads, roles in one), so the summary says "Sales (group)" and links to
// it instead of showing a GUID. An id that cannot be read (deleted since,
// or this administrator may not read it) stays an id.
const LOOKUP_MAX = 40;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function objectNames(p) {
  const c = p.conditions || {};
  const u = c.users || {};
  const loc = c.locations || {};
  const ids = (...lists) => lists.flatMap((l) => (Array.isArray(l) ? l : [])).filter((x) => GUID.test(x));
  const want = [
    ...ids(u.includeUsers, u.excludeUsers).map((id) => ['user', id]),
    ...ids(u.includeGroups, u.excludeGroups).map((id) => ['group', id]),
    ...ids(loc.includeLocations, loc.excludeLocations).map((id) => ['location', id]),
  ];
  const names = new Map();
  const reads = want.slice(0, LOOKUP_MAX).map(async ([kind, id]) => {
    const e = encodeURIComponent(id);
    const path = { user: `/v1.0/users/${e}`, group: `/v1.0/groups/${e}`, location: `/v1.0/identity/conditionalAccess/namedLocations/${e}` }[kind];
    try {
      const o = await get(path);
      const text = kind === 'user' ? o.userPrincipalName : o.displayName;
      const href = { user: `#/users/${e}`, group: `#/groups/${e}`, location: `#/locations/${e}` }[kind];
      if (text) names.set(`${kind}:${id}`, { text, href });
    } catch (err) {
      // stays an id
    }
  });
  if (ids(u.includeRoles, u.excludeRoles).length) {
    reads.push(get('/v1.0/directoryRoles').then((d) => {
      for (const r of (d && d.value) || []) names.set(`role:${r.roleTemplateId}`, { text: r.displayName });
    }, () => {}));
  }
  await Promise.all(reads);
  return names;
}

// The ids of kind as names (links where the portal has a page), keywords
// such as "All" as they are, joined by ", "; [] when there are none.
function refs(kind, v, names) {
  if (!Array.isArray(v) || v.length === 0) return [];
  const out = [];
  v.forEach((id, i) => {
    if (i) out.push(', ');
    const n = names.get(`${kind}:${id}`);
    if (!n) out.push(id);
    else if (n.href) out.push(h('a', { href: n.href, title: id, 'data-id': id }, n.text));
    else out.push(h('span', { title: id, 'data-id': id }, n.text));
  });
  return out;
}

// Parts (arrays of nodes and strings) joined by sep; fallback when none.
function joined(parts, sep, fallback) {
  const nonEmpty = parts.filter((x) => x.length);
  if (!nonEmpty.length) return fallback;
  return h('span', {}, nonEmpty.flatMap((x, i) => (i ? [sep, ...x] : x)));
}

function summary(p, names = new Map()) {
  const c = p.conditions || {};
  const u = c.users || {};
  const a = c.applications || {};
  const g = p.grantControls;
  const s = p.sessionControls;
  const none = t('policy.ca.sum.none');
  const labelled = (label, nodes) => (nodes.length ? [`${label}: `, ...nodes] : []);
  const users = joined([
    refs('user', u.includeUsers, names),
    labelled(t('policy.ca.sum.groups'), refs('group', u.includeGroups, names)),
    labelled(t('policy.ca.sum.roles'), refs('role', u.includeRoles, names)),
  ], '; ', none);
  const excluded = joined([
    refs('user', u.excludeUsers, names),
    labelled(t('policy.ca.sum.groups'), refs('group', u.excludeGroups, names)),
    labelled(t('policy.ca.sum.roles'), refs('role', u.excludeRoles, names)),
  ], '; ', none);
  const apps = [list(a.includeApplications), list(a.includeUserActions)].filter(Boolean).join('; ') || none;
  const conds = [];
  if (list(c.clientAppTypes)) conds.push([`${t('policy.ca.sum.clientApps')}: ${list(c.clientAppTypes)}`]);
  if (c.platforms && list(c.platforms.includePlatforms)) conds.push([`${t('policy.ca.sum.platforms')}: ${list(c.platforms.includePlatforms)}`]);
  if (c.locations) conds.push(labelled(t('policy.ca.sum.locations'), refs('location', c.locations.includeLocations, names)));
  if (list(c.signInRiskLevels)) conds.push([`${t('policy.ca.sum.signInRisk')}: ${list(c.signInRiskLevels)}`]);
  if (list(c.userRiskLevels)) conds.push([`${t('policy.ca.sum.userRisk')}: ${list(c.userRiskLevels)}`]);
  let grant = none;
  if (g) {
    const parts = [...(g.builtInControls || [])];
    if (g.authenticationStrength) parts.push(t('policy.ca.sum.strength'));
    grant = parts.join(g.operator === 'AND' ? ` ${t('policy.ca.sum.and')} ` : ` ${t('policy.ca.sum.or')} `) || none;
  }
  const session = s ? Object.entries(s).filter(([, v]) => v && (v.isEnabled || v === true)).map(([k]) => k).join(', ') : '';
  return details([
    [t('policy.ca.sum.users'), users],
    [t('policy.ca.sum.excluded'), excluded],
    [t('policy.ca.sum.apps'), apps],
    [t('policy.ca.sum.conditions'), joined(conds, '; ', none)],
    [t('policy.ca.sum.grant'), grant],
    [t('policy.ca.sum.session'), session || none],
  ]);
}

async function renderPolicy(root, ctx, id) {
  const path = `${POLICIES}/${encodeURIComponent(id)}`;
  let p = await get(path);
  const names = await objectNames(p);
  root.append(backLink('#/ca', t('admin.nav.ca')));
  const title = heading(p.displayName || id);
  root.append(title);
  const created = ctx.params.get('created');
  if (created) {
    const key = { template: 'policy.ca.createdTemplate', json: 'policy.ca.createdJson', saved: 'policy.ca.saved' }[created];
    if (key) {
      const [label] = stateInfo(p.state);
      root.append(h('p', { class: 'alert alert--ok', role: 'status', id: 'ca-created' }, t(key, { state: label })));
    }
  }
  const notice = await sdNotice();
  if (notice) root.append(notice);

  // state switch: three radios, confirmed, reverted when the server says no
  const legendId = uid('state');
  const conflict = h('div', { class: 'alert alert--danger pol-conflict', role: 'alert', hidden: true, id: uid('conflict') });
  const radios = STATES.map((s) => {
    const input = h('input', { type: 'radio', name: 'ca-state', value: s, id: uid('st'), 'aria-describedby': conflict.id });
    return { s, input, el: h('span', { class: 'pol-radio' }, input, h('label', { for: input.id }, stateInfo(s)[0])) };
  });
  const badge = h('span', {});
  const meta = h('div', {});
  const json = h('pre', { class: 'json', tabindex: '0', 'aria-label': t('policy.ca.jsonLabel') });
  function show() {
    for (const r of radios) r.input.checked = r.s === p.state;
    badge.replaceChildren(stateBadge(p.state));
    meta.replaceChildren(details([
      [t('policy.ca.col.state'), badge],
      [t('policy.ca.id'), p.id],
      [t('policy.ca.col.created'), when(p.createdDateTime)],
      [t('policy.ca.col.modified'), when(p.modifiedDateTime)],
    ]), h('h2', {}, t('policy.ca.sum.title')), summary(p, names));
    json.textContent = pretty(p);
    title.textContent = p.displayName || id;
  }
  const fieldset = h('fieldset', { class: 'pol-states', 'aria-describedby': legendId },
    h('legend', {}, t('policy.ca.stateLegend')),
    h('div', { class: 'pol-states__options' }, radios.map((r) => r.el)),
    h('p', { class: 'field__hint', id: legendId }, t('policy.ca.stateHint')),
    conflict);
  const apply = h('button', { type: 'button', class: 'button', disabled: true }, t('policy.ca.applyState'));
  conflict.before(apply);
  const chosen = () => (radios.find((r) => r.input.checked) || {}).s;
  for (const r of radios) {
    r.input.addEventListener('change', () => {
      apply.disabled = chosen() === p.state;
    });
  }
  apply.addEventListener('click', async () => {
    const want = chosen();
    if (!want || want === p.state) return;
    conflict.hidden = true;
    const label = stateInfo(want)[0];
    const ok = await confirmDialog({
      title: t('policy.ca.confirmStateTitle'),
      text: t('policy.ca.confirmStateText', { name: p.displayName, state: label }),
      ok: t('policy.ca.confirmStateOk', { state: label }),
    });
    if (!ok) return;
    apply.disabled = true;
    try {
      await patch(path, { state: want });
      status('ok', t('policy.ca.stateChanged', { state: label }));
    } catch (e) {
      conflict.textContent = errorText(e);
      conflict.hidden = false;
    }
    try {
      p = await get(path);
    } catch (e) {
      status('danger', errorText(e));
    }
    show();
    apply.disabled = true;
    const now = radios.find((x) => x.s === p.state);
    if (now) now.input.focus();
  });

  const edit = h('a', { class: 'button button--ghost', href: `#/ca/${encodeURIComponent(id)}/edit` }, t('policy.ca.editJson'));
  const replay = h('a', { class: 'button button--ghost', href: `#/ca/impact?policy=${encodeURIComponent(id)}` }, t('policy.impact.title'));
  const remove = h('button', { type: 'button', class: 'button button--danger' }, t('policy.delete'));
  remove.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: t('policy.ca.confirmDeleteTitle'),
      text: t('policy.ca.confirmDeleteText', { name: p.displayName }),
      ok: t('policy.delete'),
    });
    if (!ok) return;
    try {
      await del(path);
      ctx.navigate(`#/ca?deleted=${encodeURIComponent(p.displayName || id)}`);
    } catch (e) {
      status('danger', errorText(e));
    }
  });

  root.append(fieldset, h('div', { class: 'toolbar' }, edit, replay, remove), meta,
    h('h2', {}, t('policy.ca.jsonTitle')), json);
  show();
}

export default {
  async render(root, ctx) {
    const [first, second] = ctx.sub;
    if (!first) return renderList(root, ctx);
    if (first === 'templates') return renderTemplates(root, ctx);
    if (first === 'new') return renderEditor(root, ctx, null);
    if (first === 'whatif') return whatif.render(root, ctx);
    if (first === 'impact') return impact.render(root, ctx);
    if (second === 'edit') return renderEditor(root, ctx, first);
    return renderPolicy(root, ctx, first);
  },
};
