// SPDX-License-Identifier: MIT
// Sign-in logs (#/signins): the stored Graph signIn records, newest first,
// a page at a time (GET /beta/auditLogs/signIns, $top and @odata.nextLink),
// filtered by what the endpoint's $filter supports: userPrincipalName,
// appId, createdDateTime ge/le, status/errorCode eq and ne 0 ("not
// successful": code=failed in the hash). The filters live in
// the hash (#/signins?user=…&app=…&from=…&to=…&code=…) so a view can be
// linked. A sign-in's detail (#/signins/{id}): basic info, why MFA was or
// was not required, authentication details, Conditional Access and
// report-only results, and the record as logged.
import { t } from '/js/i18n.js';
import { h, heading, pagedTable, when, details } from '/js/admin/ui.js';
import { get, pager, odataString, query } from '/js/admin/api.js';
import {
  field, select, section, simpleTable, resultBadge, yesNo, list, localToIso, backLink,
} from '/js/admin/pages/policy-lib.js';
import { explainMfa } from '/js/admin/pages/signin-explain.js';
import { outcomeText } from '/js/admin/pages/ca-whatif.js';

const PATH = '/beta/auditLogs/signIns';

// Error codes an administrator meets, in the order the filter offers them.
const SUCCESS = 0;
const INTERRUPTED = [50076, 50072, 50079, 50055, 70043];
const FAILURE = [50126, 50074, 53003, 530035, 53004];

export function signinStatus(rec) {
  const code = rec.status ? rec.status.errorCode : 0;
  if (!code) return 'success';
  return INTERRUPTED.includes(code) ? 'interrupted' : 'failure';
}

export function statusBadge(rec) {
  const s = signinStatus(rec);
  const cls = { success: 'badge badge--ok', interrupted: 'badge badge--warn', failure: 'badge badge--danger' }[s];
  const code = rec.status ? rec.status.errorCode : 0;
  return h('span', { class: cls, 'data-status': s }, code ? `${t(`policy.signins.status.${s}`)} (${code})` : t(`policy.signins.status.${s}`));
}

export function requirementText(rec) {
  return rec.authenticationRequirement === 'multiFactorAuthentication'
    ? t('policy.signins.multiFactor') : t('policy.signins.singleFactor');
}

function codeLabel(c) {
  const key = `policy.signins.code.${c}`;
  const v = t(key);
  return v === key ? String(c) : `${c} – ${v}`;
}

// $filter from the page's query parameters.
function filterOf(params) {
  const clauses = [];
  const user = (params.get('user') || '').trim();
  const app = (params.get('app') || '').trim();
  const from = localToIso(params.get('from'));
  const to = localToIso(params.get('to'));
  const code = (params.get('code') || '').trim();
  if (user) clauses.push(`userPrincipalName eq ${odataString(user)}`);
  if (app) clauses.push(`appId eq ${odataString(app)}`);
  if (from) clauses.push(`createdDateTime ge ${from}`);
  if (to) clauses.push(`createdDateTime le ${to}`);
  if (code === 'failed') clauses.push('status/errorCode ne 0');
  else if (/^\d+$/.test(code)) clauses.push(`status/errorCode eq ${code}`);
  return clauses.join(' and ');
}

async function renderList(root, ctx) {
  root.append(heading(t('admin.nav.signins')));
  root.append(h('p', { class: 'lead' }, t('policy.signins.intro')));
  const p = ctx.params;
  const user = h('input', { type: 'text', name: 'user', autocomplete: 'off', value: p.get('user') || '' });
  const app = h('input', { type: 'text', name: 'app', autocomplete: 'off', list: 'signin-apps', value: p.get('app') || '' });
  const appList = h('datalist', { id: 'signin-apps' });
  const from = h('input', { type: 'datetime-local', name: 'from', value: p.get('from') || '' });
  const to = h('input', { type: 'datetime-local', name: 'to', value: p.get('to') || '' });
  const codeNow = p.get('code') || '';
  const known = [String(SUCCESS), 'failed', ...INTERRUPTED.map(String), ...FAILURE.map(String)];
  const statusSel = select([
    ['', t('policy.signins.status.all')],
    ['0', t('policy.signins.status.success')],
    ['failed', t('policy.signins.status.notSuccess')],
    ...INTERRUPTED.map((c) => [String(c), `${t('policy.signins.status.interrupted')}: ${codeLabel(c)}`]),
    ...FAILURE.map((c) => [String(c), `${t('policy.signins.status.failure')}: ${codeLabel(c)}`]),
    ['other', t('policy.signins.status.other')],
  ], codeNow === '' ? '' : known.includes(codeNow) ? codeNow : 'other', { name: 'status' });
  const code = h('input', { type: 'text', name: 'code', inputmode: 'numeric', pattern: '[0-9]*', value: known.includes(codeNow) ? '' : codeNow });
  const codeField = field(t('policy.signins.errorCode'), code);
  codeField.hidden = statusSel.value !== 'other';
  statusSel.addEventListener('change', () => {
    codeField.hidden = statusSel.value !== 'other';
  });
  const apply = h('button', { type: 'submit', class: 'button' }, t('policy.filter.apply'));
  const reset = h('a', { class: 'button button--ghost', href: '#/signins' }, t('policy.filter.clear'));
  const form = h('form', { class: 'toolbar pol-filters', role: 'search', 'aria-label': t('policy.filter.label') },
    field(t('policy.signins.user'), user),
    field(t('policy.signins.app'), app, { hint: t('policy.signins.appHint') }), appList,
    field(t('policy.filter.from'), from),
    field(t('policy.filter.to'), to),
    field(t('policy.signins.statusLabel'), statusSel),
    codeField,
    h('div', { class: 'pol-filters__buttons' }, apply, reset));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const c = statusSel.value === 'other' ? code.value.trim() : statusSel.value;
    ctx.navigate(`#/signins${query({
      user: user.value.trim(), app: app.value.trim(), from: from.value, to: to.value, code: c,
    })}`);
  });
  root.append(form);

  const seenApps = new Map();
  const filter = filterOf(p);
  const table = pagedTable(() => {
    const inner = pager(`${PATH}${query({ $top: 50, $filter: filter })}`);
    return {
      get hasMore() { return inner.hasMore; },
      async next() {
        const items = await inner.next();
        for (const s of items) {
          if (s.appId && !seenApps.has(s.appId)) {
            seenApps.set(s.appId, s.appDisplayName || s.appId);
            appList.append(h('option', { value: s.appId }, s.appDisplayName || s.appId));
          }
        }
        return items;
      },
    };
  }, [
    { label: t('policy.signins.col.date'), value: (s) => when(s.createdDateTime) },
    { label: t('policy.signins.col.user'), value: (s) => s.userPrincipalName || s.userId },
    { label: t('policy.signins.col.app'), value: (s) => s.appDisplayName || s.appId },
    { label: t('policy.signins.col.ip'), value: (s) => s.ipAddress || '' },
    { label: t('policy.signins.col.status'), value: (s) => statusBadge(s) },
    { label: t('policy.signins.col.requirement'), value: (s) => requirementText(s) },
  ], {
    caption: t('policy.signins.listCaption'),
    empty: t('policy.signins.none'),
    onRow: (s) => ctx.navigate(`#/signins/${encodeURIComponent(s.id)}`),
  });
  root.append(table.element);
  await table.reload();
}

function policyTable(policies, caption) {
  return simpleTable([
    t('policy.ca.col.name'), t('policy.whatif.col.result'), t('policy.whatif.col.grant'),
    t('policy.signins.sessionControls'), t('policy.whatif.col.reason'), t('policy.whatif.col.notSatisfied'),
  ], policies.map((p) => [
    h('a', { href: `#/ca/${encodeURIComponent(p.id)}` }, p.displayName || p.id),
    resultBadge(p.result),
    list(p.enforcedGrantControls, '—'),
    list(p.enforcedSessionControls, '—'),
    p.reason || '',
    p.conditionsNotSatisfied && p.conditionsNotSatisfied !== 'none' ? p.conditionsNotSatisfied : '',
  ]), caption);
}

async function renderDetail(root, ctx, id) {
  const rec = await get(`${PATH}/${encodeURIComponent(id)}`);
  root.append(backLink('#/signins', t('admin.nav.signins')));
  root.append(heading(t('policy.signins.detailTitle')));
  root.append(h('p', { class: 'lead pol-wrap' }, t('policy.signins.detailLead', {
    user: rec.userPrincipalName || rec.userId || '', app: rec.appDisplayName || rec.appId || '',
    time: when(rec.createdDateTime),
  })));
  const st = rec.status || {};
  const dev = rec.deviceDetail || {};
  root.append(section(t('policy.signins.basic'), details([
    [t('policy.signins.requestId'), rec.originalRequestId || ''],
    [t('policy.signins.correlationId'), rec.correlationId || ''],
    [t('policy.signins.id'), rec.id],
    [t('policy.signins.col.date'), when(rec.createdDateTime)],
    [t('policy.signins.col.user'), `${rec.userPrincipalName || ''}${rec.userId ? ` (${rec.userId})` : ''}`],
    [t('policy.signins.col.app'), `${rec.appDisplayName || ''}${rec.appId ? ` (${rec.appId})` : ''}`],
    [t('policy.signins.col.ip'), rec.ipAddress || ''],
    [t('policy.signins.clientApp'), [rec.clientAppUsed, rec.clientAppType].filter(Boolean).join(' · ')],
    [t('policy.signins.os'), dev.operatingSystem || ''],
    [t('policy.signins.userAgent'), rec.userAgent || ''],
    [t('policy.signins.interactive'), yesNo(rec.isInteractive)],
    [t('policy.signins.col.status'), statusBadge(rec)],
    [t('policy.signins.errorCode'), String(st.errorCode ?? 0)],
    [t('policy.signins.failureReason'), st.failureReason || ''],
    [t('policy.signins.additionalDetails'), st.additionalDetails || ''],
    [t('policy.signins.outcome'), rec.outcome ? outcomeText(rec.outcome) : ''],
    [t('policy.signins.risk'), [rec.riskLevelDuringSignIn, rec.riskReason].filter(Boolean).join(' — ')],
    [t('policy.signins.userRisk'), [rec.userRiskLevel, rec.userRiskReason].filter(Boolean).join(' — ')],
  ])));

  root.append(section(t('policy.why.title'), explainMfa(rec)));

  const steps = rec.authenticationDetails || [];
  const di = rec.decisionInput || {};
  root.append(section(t('policy.signins.authDetails'),
    details([
      [t('policy.signins.col.requirement'), requirementText(rec)],
      [t('policy.signins.mfaMethodsOffered'), list(rec.mfaMethodsOffered)],
      [t('policy.signins.mfaMethodsUsed'), list(di.mfaMethods)],
      [t('policy.signins.mfaTime'), di.mfaDateTime ? when(di.mfaDateTime) : ''],
      [t('policy.signins.rememberedDevice'), di.rememberedDevice === undefined ? '' : yesNo(di.rememberedDevice)],
    ]),
    steps.length ? simpleTable([
      t('policy.signins.step.requirement'), t('policy.signins.step.time'), t('policy.signins.step.method'),
      t('policy.signins.step.methodDetail'), t('policy.signins.step.succeeded'), t('policy.signins.step.result'),
    ], steps.map((s) => [
      s.authenticationStepRequirement || '', when(s.authenticationStepDateTime), s.authenticationMethod || '—',
      s.authenticationMethodDetail || '', yesNo(s.succeeded), s.authenticationStepResultDetail || '',
    ]), t('policy.signins.authDetails')) : h('p', { class: 'muted' }, t('admin.empty')),
    (rec.authenticationRequirementPolicies || []).length ? simpleTable([
      t('policy.signins.req.provider'), t('policy.signins.req.status'), t('policy.signins.req.detail'),
    ], rec.authenticationRequirementPolicies.map((r) => [r.requirementProvider, r.status || '', r.detail || '']),
    t('policy.signins.req.caption')) : null));

  const policies = rec.appliedConditionalAccessPolicies || [];
  const enforced = policies.filter((x) => !String(x.result || '').startsWith('reportOnly'));
  const reportOnly = policies.filter((x) => String(x.result || '').startsWith('reportOnly'));
  const caStatusKey = `policy.signins.caStatus.${rec.conditionalAccessStatus}`;
  const caStatus = t(caStatusKey) === caStatusKey ? rec.conditionalAccessStatus : t(caStatusKey);
  root.append(section(t('admin.nav.ca'),
    h('p', {}, t('policy.signins.caStatusLabel'), ' ', h('strong', {}, caStatus || '')),
    enforced.length ? policyTable(enforced, t('admin.nav.ca')) : h('p', { class: 'muted' }, t('policy.signins.noPolicies'))));
  root.append(section(t('policy.signins.reportOnly'),
    h('p', { class: 'muted' }, t('policy.signins.reportOnlyHint')),
    reportOnly.length ? policyTable(reportOnly, t('policy.signins.reportOnly')) : h('p', { class: 'muted' }, t('policy.signins.noReportOnly'))));

  const raw = h('pre', { class: 'json', tabindex: '0' });
  raw.textContent = JSON.stringify(rec, null, 2);
  root.append(h('details', { class: 'pol-raw' }, h('summary', {}, t('policy.signins.raw')), raw));
}

export default {
  async render(root, ctx) {
    const [first] = ctx.sub;
    if (!first) return renderList(root, ctx);
    return renderDetail(root, ctx, first);
  },
};
