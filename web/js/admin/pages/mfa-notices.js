// SPDX-License-Identifier: MIT
// The Notices tab of the per-user MFA page (#/mfa/notices): the emails
// Tollgate sends users when MFA is turned on for them, newest first, with
// their delivery status (GET /tollgate/v1/mfaNotices), one page of
// PAGE_SIZE at a time: Next follows the API's @odata.nextLink (a keyset
// cursor, so a tenant of any size is never loaded whole), Previous shows a
// page already loaded. The status filter is asked of the server, kept in
// every nextLink, and kept in the address (#/mfa/notices?status=sent).
import { t } from '/js/i18n.js';
import { h, pagedTable, when } from '/js/admin/ui.js';
import { odataString, pager, query } from '/js/admin/api.js';

const PAGE_SIZE = 50;
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
    $top: PAGE_SIZE, $filter: sel.value ? `status eq ${odataString(sel.value)}` : '',
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
  sel.addEventListener('change', () => {
    // the address keeps the filter without a re-render (no hashchange)
    history.replaceState(null, '', `#/mfa/notices${query({ status: sel.value })}`);
    table.reload();
  });

  panel.append(
    h('p', { class: 'mfa-notices__intro' }, t('mfa.notices.intro')),
    h('div', { class: 'toolbar', role: 'search' },
      h('div', { class: 'field' }, h('label', { for: 'mfa-notices-filter' }, t('mfa.notices.filterLabel')), sel)),
    table.element);
  await table.reload();
}
