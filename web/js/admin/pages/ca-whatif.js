// SPDX-License-Identifier: MIT
// What-if (#/ca/whatif): decide a hypothetical sign-in against the tenant
// as it is now (POST /tollgate/v1/conditionalAccess/whatIf; nothing is
// logged) and show the decision, why MFA would or would not be required,
// and which policies apply and which do not, with the reason.
import { t } from '/js/i18n.js';
import { h, heading, errorText } from '/js/admin/ui.js';
import { post } from '/js/admin/api.js';
import { field, select, section, simpleTable, resultBadge, backLink, list } from '/js/admin/pages/policy-lib.js';
import { explainMfa } from '/js/admin/pages/signin-explain.js';

const NOT_APPLIED = ['notApplied', 'notEnabled', 'reportOnlyNotApplied'];

function policyRows(policies) {
  return policies.map((p) => [
    h('a', { href: `#/ca/${encodeURIComponent(p.id)}` }, p.displayName || p.id),
    resultBadge(p.result),
    list(p.enforcedGrantControls, '—'),
    p.reason || '',
    p.conditionsNotSatisfied && p.conditionsNotSatisfied !== 'none' ? p.conditionsNotSatisfied : '',
  ]);
}

export function policyTable(policies, caption) {
  return simpleTable([
    t('policy.ca.col.name'), t('policy.whatif.col.result'), t('policy.whatif.col.grant'),
    t('policy.whatif.col.reason'), t('policy.whatif.col.notSatisfied'),
  ], policyRows(policies), caption);
}

export function outcomeText(outcome) {
  const key = `policy.outcome.${outcome}`;
  const v = t(key);
  return v === key ? outcome : v;
}

function showResult(out, r) {
  const policies = r.appliedConditionalAccessPolicies || [];
  const applies = policies.filter((p) => !NOT_APPLIED.includes(p.result));
  const skipped = policies.filter((p) => NOT_APPLIED.includes(p.result));
  const code = r.status ? r.status.errorCode : 0;
  const okKind = r.outcome === 'allow' ? 'alert--ok' : r.outcome === 'blocked' ? 'alert--danger' : 'alert--warn';
  out.replaceChildren(
    section(t('policy.whatif.decision'),
      h('p', { class: `alert ${okKind}`, id: 'whatif-outcome', 'data-outcome': r.outcome || '' },
        h('strong', {}, outcomeText(r.outcome)),
        code ? ` — ${t('policy.signins.errorCode')} ${code}` : '',
        r.status && r.status.failureReason ? `: ${r.status.failureReason}` : ''),
      r.registrationDaysLeft !== undefined
        ? h('p', {}, t('policy.whatif.daysLeft', { n: r.registrationDaysLeft })) : null),
    section(t('policy.why.title'), explainMfa(r, { whatif: true })),
    section(t('policy.whatif.applies', { n: applies.length }),
      applies.length ? policyTable(applies, t('policy.whatif.applies', { n: applies.length }))
        : h('p', { class: 'muted' }, t('policy.whatif.noneApply'))),
    section(t('policy.whatif.notApplies', { n: skipped.length }),
      skipped.length ? policyTable(skipped, t('policy.whatif.notApplies', { n: skipped.length }))
        : h('p', { class: 'muted' }, t('admin.empty'))));
}

export default {
  async render(root, ctx) {
    root.append(backLink('#/ca', t('admin.nav.ca')));
    root.append(heading(t('policy.whatif.title')));
    root.append(h('p', {}, t('policy.whatif.intro')));
    const p = ctx.params;
    const user = h('input', { type: 'text', name: 'user', required: true, autocomplete: 'off', value: p.get('user') || '' });
    const app = h('input', { type: 'text', name: 'app', list: 'whatif-apps', value: p.get('app') || 'admin-portal' });
    const apps = h('datalist', { id: 'whatif-apps' },
      h('option', { value: 'admin-portal' }), h('option', { value: 'my-signins' }));
    const ip = h('input', { type: 'text', name: 'ip', inputmode: 'decimal', value: p.get('ip') || '', placeholder: '127.0.0.1' });
    const client = select([
      ['browser', t('policy.client.browser')],
      ['mobileAppsAndDesktopClients', t('policy.client.mobileAppsAndDesktopClients')],
      ['exchangeActiveSync', t('policy.client.exchangeActiveSync')],
      ['other', t('policy.client.other')],
    ], p.get('client') || 'browser', { name: 'client' });
    const platform = select([
      ['', t('policy.whatif.platformAny')],
      ...['android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux', 'unknown'].map((x) => [x, x]),
    ], p.get('platform') || '', { name: 'platform' });
    const risk = select([
      ['', t('policy.whatif.riskComputed')],
      ...['none', 'low', 'medium', 'high'].map((x) => [x, t(`policy.risk.${x}`)]),
    ], p.get('risk') || '', { name: 'risk' });
    const mfaAt = h('input', { type: 'text', name: 'mfaAt', value: p.get('mfaAt') || '', placeholder: '2h' });
    const error = h('div', { class: 'alert alert--danger', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button' }, t('policy.whatif.run'));
    const form = h('form', { class: 'pol-form pol-grid', novalidate: true },
      field(t('policy.whatif.user'), user, { hint: t('policy.whatif.userHint') }),
      field(t('policy.whatif.app'), app, { hint: t('policy.whatif.appHint') }), apps,
      field(t('policy.whatif.ip'), ip, { hint: t('policy.whatif.ipHint') }),
      field(t('policy.whatif.client'), client),
      field(t('policy.whatif.platform'), platform),
      field(t('policy.whatif.risk'), risk),
      field(t('policy.whatif.mfaAt'), mfaAt, { hint: t('policy.whatif.mfaAtHint') }),
      h('div', { class: 'pol-grid__wide' }, submit));
    const out = h('div', { class: 'pol-result', 'aria-live': 'polite' });
    root.append(form, error, out);

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      error.hidden = true;
      user.removeAttribute('aria-invalid');
      if (!user.value.trim()) {
        user.setAttribute('aria-invalid', 'true');
        error.textContent = t('policy.whatif.userRequired');
        error.hidden = false;
        user.focus();
        return;
      }
      const body = { user: user.value.trim(), app: app.value.trim() || 'admin-portal', clientAppType: client.value };
      if (ip.value.trim()) body.ipAddress = ip.value.trim();
      if (platform.value) body.platform = platform.value;
      if (risk.value) body.signInRiskLevel = risk.value;
      if (mfaAt.value.trim()) body.mfaAt = mfaAt.value.trim();
      submit.disabled = true;
      try {
        const r = await post('/tollgate/v1/conditionalAccess/whatIf', body);
        showResult(out, r);
      } catch (e) {
        out.replaceChildren();
        error.textContent = errorText(e);
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
  },
};
