// SPDX-License-Identifier: MIT
// Security defaults (#/security-defaults): whether they are on, what they
// enforce, and a switch (with a confirmation) that PATCHes
// /v1.0/policies/identitySecurityDefaultsEnforcementPolicy. When the
// server refuses (409: enabled Conditional Access policies, users with
// per-user MFA) its message is shown next to the switch, which goes back
// to the state the server holds.
import { t } from '/js/i18n.js';
import { h, heading, status, confirmDialog, errorText } from '/js/admin/ui.js';
import { get, patch } from '/js/admin/api.js';
import { uid } from '/js/admin/pages/policy-lib.js';

const PATH = '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy';

export default {
  async render(root) {
    root.append(heading(t('admin.nav.securityDefaults')));
    root.append(h('p', { class: 'lead' }, t('policy.sd.intro')));

    const stateText = h('span', { class: 'badge', id: 'sd-state' });
    const toggle = h('input', { type: 'checkbox', role: 'switch', id: uid('sd-toggle'), class: 'pol-switch' });
    const conflict = h('div', { class: 'alert alert--danger pol-conflict', id: 'sd-conflict', role: 'alert', hidden: true });
    toggle.setAttribute('aria-describedby', conflict.id);
    const card = h('div', { class: 'card pol-sd' },
      h('p', {}, t('policy.sd.current'), ' ', stateText),
      h('div', { class: 'pol-check pol-sd__toggle' },
        toggle, h('label', { for: toggle.id }, t('policy.sd.toggle'))),
      conflict);
    root.append(card);

    root.append(h('h2', {}, t('policy.sd.enforcesTitle')),
      h('ul', { class: 'pol-list' }, ['users', 'admins', 'portal', 'risk', 'legacy']
        .map((k) => h('li', {}, t(`policy.sd.enforces.${k}`)))),
      h('p', { class: 'muted' }, t('policy.sd.conflictRule')));

    let enabled = false;

    function show(policy) {
      enabled = !!(policy && policy.isEnabled);
      toggle.checked = enabled;
      stateText.textContent = enabled ? t('policy.sd.on') : t('policy.sd.off');
      stateText.className = enabled ? 'badge badge--ok' : 'badge';
      stateText.dataset.enabled = String(enabled);
    }

    async function load() {
      show(await get(PATH));
    }

    toggle.addEventListener('change', async () => {
      const want = toggle.checked;
      toggle.checked = enabled;      // stays true to the server until it agrees
      conflict.hidden = true;
      const ok = await confirmDialog({
        title: want ? t('policy.sd.confirmOnTitle') : t('policy.sd.confirmOffTitle'),
        text: want ? t('policy.sd.confirmOnText') : t('policy.sd.confirmOffText'),
        ok: want ? t('policy.sd.enable') : t('policy.sd.disable'),
      });
      if (!ok) {
        toggle.focus();
        return;
      }
      toggle.disabled = true;
      try {
        await patch(PATH, { isEnabled: want });
        status('ok', want ? t('policy.sd.nowOn') : t('policy.sd.nowOff'));
      } catch (e) {
        conflict.replaceChildren(
          h('strong', {}, e.status === 409 ? t('policy.sd.conflictTitle') : t('policy.sd.failedTitle')),
          ' ', errorText(e));
        conflict.hidden = false;
      } finally {
        toggle.disabled = false;
      }
      try {
        await load();
      } catch (e) {
        status('danger', errorText(e));
      }
      toggle.focus();
    });

    await load();
  },
};
