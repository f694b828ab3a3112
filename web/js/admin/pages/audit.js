// SPDX-License-Identifier: MIT
// Audit log (#/audit): every change made in the tenant, newest first, a
// page at a time (GET /v1.0/auditLogs/directoryAudits), filtered by what
// the endpoint's $filter supports: activity (an action such as
// policy.update, or a prefix ending in "." such as "policy."), target id,
// who initiated the change (a UPN, or an app's client id) and a date
// range. The filters live in the hash so a view can be linked.
// A record's detail (#/audit/{id}): who did what to which target, and the
// modified properties before and after — for JSON documents, the members
// that changed.
import { t } from '/js/i18n.js';
import { h, heading, pagedTable, when, details } from '/js/admin/ui.js';
import { get, pager, odataString, query } from '/js/admin/api.js';
import { field, section, simpleTable, localToIso, backLink } from '/js/admin/pages/policy-lib.js';

const PATH = '/v1.0/auditLogs/directoryAudits';

// Actions and prefixes offered in the activity field (free text works too).
const ACTIVITIES = [
  'policy.', 'policy.create', 'policy.update', 'policy.delete',
  'location.', 'securityDefaults.update', 'settings.update',
  'user.', 'user.create', 'user.update', 'user.delete', 'user.mfa_state', 'user.revoke_sessions',
  'method.', 'role.', 'group.', 'app.', 'app_password.', 'account.', 'key.',
];

export function initiator(a) {
  const by = a.initiatedBy || {};
  if (by.user && by.user.userPrincipalName) return by.user.userPrincipalName;
  if (by.app) return by.app.displayName || by.app.appId || '';
  return '';
}

function target(a) {
  const tr = (a.targetResources || [])[0];
  return tr ? tr.displayName || tr.id || '' : '';
}

function filterOf(params) {
  const clauses = [];
  const activity = (params.get('activity') || '').trim();
  const targetId = (params.get('target') || '').trim();
  const by = (params.get('by') || '').trim();
  const from = localToIso(params.get('from'));
  const to = localToIso(params.get('to'));
  if (activity) clauses.push(`activityDisplayName eq ${odataString(activity)}`);
  if (targetId) clauses.push(`targetId eq ${odataString(targetId)}`);
  // a UPN has an @; anything else is taken for an application (client) id
  if (by) {
    const prop = by.includes('@') ? 'initiatedBy/user/userPrincipalName' : 'initiatedBy/app/appId';
    clauses.push(`${prop} eq ${odataString(by)}`);
  }
  if (from) clauses.push(`activityDateTime ge ${from}`);
  if (to) clauses.push(`activityDateTime le ${to}`);
  return clauses.join(' and ');
}

async function renderList(root, ctx) {
  root.append(heading(t('admin.nav.audit')));
  root.append(h('p', { class: 'lead' }, t('policy.audit.intro')));
  const p = ctx.params;
  const activity = h('input', { type: 'text', name: 'activity', list: 'audit-activities', autocomplete: 'off', value: p.get('activity') || '' });
  const activities = h('datalist', { id: 'audit-activities' }, ACTIVITIES.map((a) => h('option', { value: a })));
  const targetId = h('input', { type: 'text', name: 'target', autocomplete: 'off', value: p.get('target') || '' });
  const by = h('input', { type: 'text', name: 'by', autocomplete: 'off', spellcheck: 'false', value: p.get('by') || '' });
  const from = h('input', { type: 'datetime-local', name: 'from', value: p.get('from') || '' });
  const to = h('input', { type: 'datetime-local', name: 'to', value: p.get('to') || '' });
  const form = h('form', { class: 'toolbar pol-filters', role: 'search', 'aria-label': t('policy.filter.label') },
    field(t('policy.audit.activity'), activity, { hint: t('policy.audit.activityHint') }), activities,
    field(t('policy.audit.target'), targetId, { hint: t('policy.audit.targetHint') }),
    field(t('policy.audit.initiator'), by, { hint: t('policy.audit.initiatorHint') }),
    field(t('policy.filter.from'), from),
    field(t('policy.filter.to'), to),
    h('div', { class: 'pol-filters__buttons' },
      h('button', { type: 'submit', class: 'button' }, t('policy.filter.apply')),
      h('a', { class: 'button button--ghost', href: '#/audit' }, t('policy.filter.clear'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.navigate(`#/audit${query({
      activity: activity.value.trim(), target: targetId.value.trim(), by: by.value.trim(),
      from: from.value, to: to.value,
    })}`);
  });
  root.append(form);

  const filter = filterOf(p);
  const table = pagedTable(() => pager(`${PATH}${query({ $top: 50, $filter: filter })}`), [
    { label: t('policy.audit.col.date'), value: (a) => when(a.activityDateTime) },
    { label: t('policy.audit.col.activity'), value: (a) => a.activityDisplayName || '' },
    { label: t('policy.audit.col.operation'), value: (a) => a.operationType || '' },
    { label: t('policy.audit.col.initiator'), value: (a) => initiator(a) },
    { label: t('policy.audit.col.target'), value: (a) => target(a) },
  ], {
    caption: t('policy.audit.listCaption'),
    empty: t('policy.audit.none'),
    onRow: (a) => ctx.navigate(`#/audit/${encodeURIComponent(a.id)}`),
  });
  root.append(table.element);
  await table.reload();
}

// One record by id: the collection is paged by sequence number, so the
// page "before id + 1" of size 1 is exactly that record.
async function fetchOne(id) {
  if (!/^\d{1,18}$/.test(id)) return null;
  const next = (BigInt(id) + 1n).toString();
  const data = await get(`${PATH}${query({ $top: 1, $skiptoken: next })}`);
  const a = data && data.value && data.value[0];
  return a && a.id === id ? a : null;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Leaf members of a JSON document by path ("conditions.users.includeUsers");
// arrays are leaves.
function flatten(v, prefix, out) {
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (!keys.length && prefix) out.set(prefix, '{}');
    for (const k of keys) flatten(v[k], prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, JSON.stringify(v));
  }
  return out;
}

function parseDoc(s) {
  if (typeof s !== 'string' || !s.trim().startsWith('{')) return null;
  try {
    const v = JSON.parse(s);
    return isObj(v) ? v : null;
  } catch (e) {
    return null;
  }
}

function pre(text) {
  const el = h('pre', { class: 'json', tabindex: '0' });
  el.textContent = text;
  return el;
}

function modifiedView(m) {
  const before = parseDoc(m.oldValue);
  const after = parseDoc(m.newValue);
  if (!before && !after) {
    return simpleTable([t('policy.audit.property'), t('policy.audit.before'), t('policy.audit.after')],
      [[m.displayName || '', m.oldValue || '—', m.newValue || '—']], t('policy.audit.modified'));
  }
  const a = flatten(before || {}, '', new Map());
  const b = flatten(after || {}, '', new Map());
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
  const rows = keys.map((k) => [k, a.has(k) ? a.get(k) : '—', b.has(k) ? b.get(k) : '—']);
  return h('div', {},
    rows.length
      ? simpleTable([t('policy.audit.property'), t('policy.audit.before'), t('policy.audit.after')], rows, t('policy.audit.modified'))
      : h('p', { class: 'muted' }, t('policy.audit.noChange')),
    h('details', { class: 'pol-raw' }, h('summary', {}, t('policy.audit.before')),
      pre(before ? JSON.stringify(before, null, 2) : (m.oldValue || '—'))),
    h('details', { class: 'pol-raw' }, h('summary', {}, t('policy.audit.after')),
      pre(after ? JSON.stringify(after, null, 2) : (m.newValue || '—'))));
}

async function renderDetail(root, ctx, id) {
  root.append(backLink('#/audit', t('admin.nav.audit')));
  const a = await fetchOne(id);
  if (!a) {
    root.append(heading(t('admin.nav.audit')), h('p', { class: 'alert alert--warn' }, t('policy.audit.notFound', { id })));
    return;
  }
  root.append(heading(t('policy.audit.detailTitle', { activity: a.activityDisplayName, time: when(a.activityDateTime) })));
  root.append(section(t('policy.audit.activityTitle'), details([
    [t('policy.audit.id'), a.id],
    [t('policy.audit.col.date'), when(a.activityDateTime)],
    [t('policy.audit.col.activity'), a.activityDisplayName],
    [t('policy.audit.category'), a.category],
    [t('policy.audit.col.operation'), a.operationType],
    [t('policy.audit.result'), a.result],
    [t('policy.audit.col.initiator'), initiator(a)],
    [t('policy.audit.loggedBy'), a.loggedByService],
  ])));
  for (const tr of a.targetResources || []) {
    root.append(section(t('policy.audit.targetTitle', { name: tr.displayName || tr.id || '' }),
      details([
        [t('policy.audit.id'), tr.id],
        [t('policy.audit.type'), tr.type],
      ]),
      (tr.modifiedProperties || []).length
        ? (tr.modifiedProperties || []).map(modifiedView)
        : h('p', { class: 'muted' }, t('policy.audit.noModified'))));
  }
}

export default {
  async render(root, ctx) {
    const [first] = ctx.sub;
    if (!first) return renderList(root, ctx);
    return renderDetail(root, ctx, first);
  },
};
