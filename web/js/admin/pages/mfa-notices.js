// SPDX-License-Identifier: MIT
// The Notices tab of the per-user MFA page (#/mfa/notices): the emails
// Tollgate sends users when MFA is turned on for them, newest first, with
// their delivery status (GET /tollgate/v1/mfaNotices). The API has no
// further pages, so this is one bounded page (the newest LIMIT), narrowed
// with the status filter (?status=pending|sent|failed in the URL too).
import { t } from '/js/i18n.js';
import { h, pagedTable, when } from '/js/admin/ui.js';
import { odataString, pager, query } from '/js/admin/api.js';

const LIMIT = 100;
const STATUSES = ['pending', 'sent', 'failed'];
const BADGE = { pending: 'badge--warn', sent: 'badge--ok', failed: 'badge--danger' };

function statusBadge(status) {
  const known = STATUSES.includes(status);
  return h('span', { class: `badge ${BADGE[status] || ''}`.trim(), 'data-status': status },
    known ? t(`mfa.notices.status.${status}`) : String(status));
}

export async function renderNotices(panel, ctx) {
  const sel = h('select', { id: 'mfa-notices-filter' },
    h('option', { value: '' }, t('mfa.notices.all')),
    STATUSES.map((s) => h('option', { value: s }, t(`mfa.notices.status.${s}`))));
  const wanted = ctx.params.get('status');
  if (STATUSES.includes(wanted)) sel.value = wanted;

  const makePager = () => pager(`/tollgate/v1/mfaNotices${query({
    $top: LIMIT, $filter: sel.value ? `status eq ${odataString(sel.value)}` : '',
  })}`);
  const table = pagedTable(makePager, [
    { label: t('mfa.notices.col.user'), value: (n) => n.userPrincipalName },
    { label: t('mfa.notices.col.address'), value: (n) => n.address },
    { label: t('mfa.notices.col.status'), value: (n) => statusBadge(n.status) },
    { label: t('mfa.notices.col.attempts'), value: (n) => String(n.attempts) },
    { label: t('mfa.notices.col.when'), value: (n) => when(n.sentDateTime || n.createdDateTime) },
    { label: t('mfa.notices.col.lastError'), value: (n) => h('span', { class: 'mfa-notices__error' }, n.lastError || '') },
  ], {
    caption: t('mfa.notices.caption'),
    empty: t('mfa.notices.none'),
    rowKey: (n) => n.id,
  });
  table.element.id = 'mfa-notices-table';
  sel.addEventListener('change', () => table.reload());

  panel.append(
    h('p', { class: 'mfa-notices__intro' }, t('mfa.notices.intro')),
    h('div', { class: 'toolbar', role: 'search' },
      h('div', { class: 'field' }, h('label', { for: 'mfa-notices-filter' }, t('mfa.notices.filterLabel')), sel)),
    h('p', { class: 'muted' }, t('mfa.notices.limit', { n: LIMIT })),
    table.element);
  await table.reload();
}
