// SPDX-License-Identifier: MIT
// "Why MFA was or was not required", in plain words, from what the
// decision engine logged in a Graph signIn record (or a what-if answer):
// authenticationRequirement, authenticationRequirementPolicies (which
// source asked: per-user MFA, security defaults, Conditional Access, risk,
// the app — with the engine's detail and status), the MFA step's result
// detail (reference/entra.md §5.1) and the Conditional Access results.
// Engine strings the catalog knows are put in words; others are shown as
// logged. The logged text is always shown too, for searching and support.
import { t } from '/js/i18n.js';
import { h } from '/js/admin/ui.js';

const MFA_GRANT = /^mfa$/i;

// A key of the catalog for a logged engine string, or null.
function known(prefix, s) {
  if (!s) return null;
  const key = `${prefix}.${s}`;
  const v = t(key);
  return v === key ? null : v;
}

// The MFA step of authenticationDetails (the last one), if any.
function mfaStep(rec) {
  const steps = (rec.authenticationDetails || []).filter((d) => d.authenticationStepRequirement === 'MFA');
  return steps.length ? steps[steps.length - 1] : null;
}

function policyNames(rec, pred) {
  return (rec.appliedConditionalAccessPolicies || [])
    .filter(pred)
    .map((p) => `“${p.displayName || p.id}”`);
}

const requiresMfa = (p) => (p.enforcedGrantControls || []).some((g) => MFA_GRANT.test(g));

// One requirement source as a list item: who asked, in words, and what
// came of it.
function sourceItem(rec, src, whatif, resultDetail) {
  const provider = known('policy.why.provider', src.requirementProvider) || src.requirementProvider;
  let sentence = known('policy.why.detail', src.detail);
  if (!sentence && (src.requirementProvider === 'multiConditionalAccess' || src.requirementProvider === 'v1ConditionalAccess')) {
    const names = policyNames(rec, (p) => (p.result === 'success' || p.result === 'failure') && requiresMfa(p));
    sentence = names.length ? t('policy.why.caNames', { names: names.join(', ') }) : null;
  } else if (src.requirementProvider === 'multiConditionalAccess' || src.requirementProvider === 'v1ConditionalAccess') {
    const names = policyNames(rec, (p) => (p.result === 'success' || p.result === 'failure') && requiresMfa(p));
    if (names.length) sentence = `${sentence} ${t('policy.why.caNames', { names: names.join(', ') })}`;
  }
  if (!sentence) sentence = src.detail || '';
  const statusKey = `policy.why.status${whatif ? 'If' : ''}.${src.status}`;
  let outcome = t(statusKey);
  if (outcome === statusKey) outcome = src.status || '';
  const rd = src.resultDetail || resultDetail;
  const rdText = rd ? (known('policy.why.rd', rd) || rd) : '';
  return h('li', { 'data-provider': src.requirementProvider || '', 'data-status': src.status || '' },
    h('strong', {}, `${provider}: `), sentence, ' ',
    h('span', { class: `pol-why__status pol-why__status--${src.status || 'unknown'}` }, outcome),
    rdText ? ` (${rdText})` : '',
    h('br'),
    h('code', { class: 'muted pol-why__logged' }, t('policy.why.logged', {
      text: [src.requirementProvider, src.status, src.detail, rd].filter(Boolean).join(' · '),
    })));
}

// The explanation block. opts.whatif: words in the conditional ("would").
export function explainMfa(rec, opts = {}) {
  const whatif = !!opts.whatif;
  const mfa = rec.authenticationRequirement === 'multiFactorAuthentication';
  const sources = whatif && Array.isArray(rec.requirementSources)
    ? rec.requirementSources : (rec.authenticationRequirementPolicies || []);
  const step = mfaStep(rec);
  const stepRd = step ? step.authenticationStepResultDetail : '';
  const box = h('div', { class: `pol-why ${mfa ? 'pol-why--mfa' : 'pol-why--none'}`, id: 'why-mfa' });
  const suffix = whatif ? 'If' : '';
  box.append(h('p', { class: 'pol-why__headline' },
    h('strong', {}, mfa ? t(`policy.why.required${suffix}`) : t(`policy.why.notRequired${suffix}`))));

  if (sources.length) {
    box.append(h('p', {}, t(`policy.why.because${suffix}`)));
    box.append(h('ul', { class: 'pol-why__list' }, sources.map((s) => sourceItem(rec, s, whatif, stepRd))));
  } else {
    box.append(h('p', {}, t(`policy.why.nothing${suffix}`)));
    const items = [t('policy.why.nothingList.perUser'), t('policy.why.nothingList.sd')];
    const notApplied = (rec.appliedConditionalAccessPolicies || [])
      .filter((p) => requiresMfa(p) && (p.result === 'notApplied' || p.result === 'notEnabled'));
    if (notApplied.length) {
      for (const p of notApplied) {
        items.push(t('policy.why.nothingList.caPolicy', { name: p.displayName || p.id, reason: p.reason || p.result }));
      }
    } else {
      items.push(t('policy.why.nothingList.ca'));
    }
    box.append(h('ul', { class: 'pol-why__list' }, items.map((x) => h('li', {}, x))));
  }

  // report-only policies that would have asked for MFA: never enforced
  const ro = (rec.appliedConditionalAccessPolicies || [])
    .filter((p) => requiresMfa(p) && /^reportOnly(Success|Failure|Interrupted)$/.test(p.result || ''));
  if (ro.length) {
    box.append(h('p', { class: 'muted' }, t('policy.why.reportOnly', {
      names: ro.map((p) => `“${p.displayName || p.id}”`).join(', '),
    })));
  }

  // how it ended: the MFA step's result, or what stopped the sign-in
  const code = rec.status ? rec.status.errorCode : 0;
  if (step && !whatif) {
    const rd = known('policy.why.rd', stepRd) || stepRd;
    box.append(h('p', {}, step.succeeded
      ? t('policy.why.stepDone', { detail: rd, method: step.authenticationMethod || '' })
      : t('policy.why.stepNotDone', { detail: rd })));
  }
  if (!whatif && code && rec.status && rec.status.failureReason) {
    box.append(h('p', {}, t('policy.why.ended', { code, reason: rec.status.failureReason })));
  }
  const di = rec.decisionInput;
  if (di && !whatif) {
    const facts = [];
    if (di.rememberedDevice) facts.push(t('policy.why.input.remembered'));
    if (di.mfaDateTime && !di.mfaThisSignIn) facts.push(t('policy.why.input.earlierMfa', { time: di.mfaDateTime }));
    if (di.credential === 'appPassword') facts.push(t('policy.why.input.appPassword'));
    if (di.stepUpMfa) facts.push(t('policy.why.input.stepUp'));
    if (facts.length) box.append(h('p', { class: 'muted' }, facts.join(' ')));
  }
  return box;
}
