// SPDX-License-Identifier: MIT
// Impact replay (#/ca/impact): replay the logged sign-ins of a period
// against a draft policy (POST /tollgate/v1/conditionalAccess/impact;
// nothing is written) and show whom it would block or prompt, per user
// and app, a page at a time. The draft comes from ?policy=ID (a stored
// policy), ?draft=1 (the JSON editor's text) or a new policy skeleton.
import { t } from '/js/i18n.js';
import { h, heading, pagedTable, details } from '/js/admin/ui.js';
import { get, post } from '/js/admin/api.js';
import {
  arrayPager, field, select, jsonEditor, parseJson, editable, section, backLink, skeleton,
} from '/js/admin/pages/policy-lib.js';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';

function rowsOf(report) {
  const rows = (report.byUserAndApp || []).filter((r) => r.applied > 0);
  rows.sort((a, b) => (b.newlyBlocked - a.newlyBlocked) || (b.newlyPrompted - a.newlyPrompted)
    || (b.blocked - a.blocked) || (b.prompted - a.prompted)
    || String(a.userPrincipalName).localeCompare(String(b.userPrincipalName)));
  return rows;
}

async function showReport(out, r) {
  const notes = [];
  if (r.securityDefaultsOn) notes.push(t('policy.impact.noteSd'));
  if (r.changedWithoutDraft) notes.push(t('policy.impact.noteChanged', { n: r.changedWithoutDraft }));
  if (r.truncated) notes.push(t('policy.impact.noteTruncated'));
  if (r.skippedUnknownUser || r.skippedUnreadable) {
    notes.push(t('policy.impact.noteSkipped', { users: r.skippedUnknownUser, unreadable: r.skippedUnreadable }));
  }
  const rows = rowsOf(r);
  const table = pagedTable(() => arrayPager(async () => rows, 25), [
    { label: t('policy.impact.col.user'), value: (x) => x.userPrincipalName || x.userId },
    { label: t('policy.impact.col.app'), value: (x) => x.appDisplayName || x.appId },
    { label: t('policy.impact.col.signIns'), value: (x) => String(x.signIns) },
    { label: t('policy.impact.col.applied'), value: (x) => String(x.applied) },
    { label: t('policy.impact.col.blocked'), value: (x) => String(x.blocked) },
    { label: t('policy.impact.col.prompted'), value: (x) => String(x.prompted) },
    { label: t('policy.impact.col.newlyBlocked'), value: (x) => String(x.newlyBlocked) },
    { label: t('policy.impact.col.newlyPrompted'), value: (x) => String(x.newlyPrompted) },
  ], {
    rowKey: (x) => `${x.userId}|${x.appId}`,
    caption: t('policy.impact.whoCaption'),
    empty: t('policy.impact.nobody'),
  });
  out.replaceChildren(
    section(t('policy.impact.summary'),
      h('p', {}, t('policy.impact.period', { name: (r.draft && r.draft.displayName) || '', n: r.replayed, since: r.since, until: r.until })),
      details([
        [t('policy.impact.applied'), String(r.applied)],
        [t('policy.impact.blocked'), t('policy.impact.ofWhichNew', { n: r.blocked, m: r.newlyBlocked })],
        [t('policy.impact.prompted'), t('policy.impact.ofWhichNew', { n: r.prompted, m: r.newlyPrompted })],
      ]),
      notes.map((n) => h('p', { class: 'alert alert--warn' }, n))),
    section(t('policy.impact.who'), table.element));
  await table.reload();
}

export default {
  async render(root, ctx) {
    root.append(backLink('#/ca', t('admin.nav.ca')));
    root.append(heading(t('policy.impact.title')));
    root.append(h('p', {}, t('policy.impact.intro')));
    let text = JSON.stringify(skeleton(), null, 2);
    const pid = ctx.params.get('policy');
    if (pid) {
      const p = await get(`${POLICIES}/${encodeURIComponent(pid)}`);
      text = JSON.stringify(editable(p), null, 2);
    } else if (ctx.params.get('draft')) {
      text = sessionStorage.getItem('tollgate.impactDraft') || text;
    }
    const editor = jsonEditor(t('policy.impact.draft'), text, t('policy.impact.draftHint'));
    const since = select([
      ['24h', t('policy.impact.last24h')], ['7d', t('policy.impact.last7d')],
      ['30d', t('policy.impact.last30d')], ['90d', t('policy.impact.last90d')],
    ], '7d', { name: 'since' });
    const submit = h('button', { type: 'submit', class: 'button' }, t('policy.impact.run'));
    const form = h('form', { class: 'pol-form', novalidate: true }, editor.element,
      field(t('policy.impact.since'), since), h('div', { class: 'toolbar' }, submit));
    const out = h('div', { class: 'pol-result', 'aria-live': 'polite' });
    root.append(form, out);

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      editor.clear();
      let policy;
      try {
        policy = parseJson(editor.value());
        if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) throw new Error(t('policy.json.notObject'));
      } catch (e) {
        editor.showError(e.message);
        return;
      }
      submit.disabled = true;
      out.replaceChildren(h('p', { class: 'muted' }, t('admin.loading')));
      try {
        const r = await post('/tollgate/v1/conditionalAccess/impact', { policy, since: since.value });
        await showReport(out, r);
      } catch (e) {
        out.replaceChildren();
        editor.showError(e);
      } finally {
        submit.disabled = false;
      }
    });
  },
};
