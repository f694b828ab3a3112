// SPDX-License-Identifier: MIT
// Bulk update of per-user MFA from a CSV file (the per-user MFA page's
// "bulk update"): a header row with userPrincipalName (or Entra's
// "Username") and perUserMfaState (or Entra's "MFA Status"), one user a
// row, states disabled / enabled / enforced in any case. The preview
// checks every row and, for files of up to PREVIEW_LOOKUP rows, reads the
// current states ($batch of GET /beta/users/{upn}/authentication/
// requirements, 20 at a time) so it can say what will change; applying
// sends one POST /tollgate/v1/perUserMfa/bulk per target state and shows
// each row's result.
import { t } from '/js/i18n.js';
import { alertBox, confirmDialog, errorText, h } from '/js/admin/ui.js';
import { post } from '/js/admin/api.js';
import { MAX_CSV_ROWS, STATES, batch, downloadCsv, itemError, readCsvFile,
         stateBadge } from '/js/admin/pages/users-lib.js';

const PREVIEW_LOOKUP = 500;
const COLUMNS = {
  upn: ['userprincipalname', 'username', 'upn'],
  state: ['perusermfastate', 'mfa status', 'mfastatus', 'state'],
};

function parseRows(rows, index) {
  const seen = new Map();
  return rows.slice(1).map(({ line, fields }) => {
    const upn = (fields[index.upn] || '').trim();
    const raw = (fields[index.state] || '').trim().toLowerCase();
    const it = { line, upn, state: raw, current: '', result: '', error: '' };
    if (!upn) it.error = t('users.import.noUpn');
    else if (!STATES.includes(raw)) it.error = t('mfa.bulk.badState', { value: fields[index.state] || '' });
    else if (seen.has(upn.toLowerCase())) it.error = t('users.import.again', { line: seen.get(upn.toLowerCase()) });
    if (upn) seen.set(upn.toLowerCase(), seen.get(upn.toLowerCase()) || line);
    return it;
  });
}

function rowsTable(items) {
  const body = h('tbody');
  const el = h('div', { class: 'table-wrap mfa-bulk-table' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, t('mfa.bulk.caption')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('users.import.line')),
      h('th', { scope: 'col' }, t('users.col.upn')),
      h('th', { scope: 'col' }, t('mfa.bulk.current')),
      h('th', { scope: 'col' }, t('mfa.bulk.new')),
      h('th', { scope: 'col' }, t('users.import.status')))), body));
  const update = () => body.replaceChildren(...items.map((x) => h('tr', { 'data-line': x.line },
    h('td', {}, String(x.line)),
    h('th', { scope: 'row' }, x.upn || '—'),
    h('td', {}, x.current ? stateBadge(x.current) : '—'),
    h('td', {}, STATES.includes(x.state) ? stateBadge(x.state) : x.state),
    h('td', { class: x.error ? 'users-bad' : (x.result ? 'users-good' : '') },
      x.error || x.result || t('users.import.ready')))));
  update();
  return { el, update };
}

export function renderBulk(panel, onApplied) {
  const file = h('input', { type: 'file', id: 'mfa-bulk-file', accept: '.csv,text/csv' });
  const out = h('div', { id: 'mfa-bulk-preview', 'aria-live': 'polite' });
  panel.append(h('section', { class: 'card mfa-bulk', 'aria-labelledby': 'mfa-bulk-h' },
    h('h2', { id: 'mfa-bulk-h' }, t('mfa.bulk.title')),
    h('p', {}, t('mfa.bulk.intro')),
    h('pre', { class: 'json' }, 'userPrincipalName,perUserMfaState\nalice@contoso.com,enabled\nbob@contoso.com,enforced'),
    h('div', { class: 'field' }, h('label', { for: 'mfa-bulk-file' }, t('mfa.bulk.file')), file,
      h('p', { class: 'field__hint' }, t('mfa.bulk.hint', { max: MAX_CSV_ROWS }))),
    out));

  file.addEventListener('change', async () => {
    out.replaceChildren();
    const f = file.files && file.files[0];
    if (!f) return;
    const { rows, index, problem } = await readCsvFile(f, COLUMNS, MAX_CSV_ROWS, { state: 'perUserMfaState' });
    if (problem) {
      out.append(alertBox('danger', problem));
      return;
    }
    const items = parseRows(rows, index);
    const good = items.filter((x) => !x.error);
    const tbl = rowsTable(items);
    const status = h('p', { id: 'mfa-bulk-status' }, t('mfa.bulk.checking'));
    const go = h('button', { type: 'button', class: 'button', id: 'mfa-bulk-go', disabled: true },
      t('mfa.bulk.go', { n: good.length }));
    const summary = h('div', { id: 'mfa-bulk-summary', tabindex: '-1' });
    out.append(status, tbl.el, h('div', { class: 'toolbar' }, go), summary);

    // the current states, for a preview that says what will change
    let looked = false;
    if (good.length && good.length <= PREVIEW_LOOKUP) {
      try {
        const answers = await batch(good.map((x) => ({
          method: 'GET', url: `/beta/users/${encodeURIComponent(x.upn)}/authentication/requirements`,
        })));
        answers.forEach((a, i) => {
          if (a.status === 200) good[i].current = a.body.perUserMfaState;
          else if (a.status === 404) good[i].result = t('mfa.bulk.notFound');
          else good[i].result = itemError(a);
        });
        looked = true;
      } catch (e) {
        out.insertBefore(alertBox('warn', errorText(e)), status);
      }
    }
    const change = good.filter((x) => x.current && x.current !== x.state).length;
    status.textContent = looked
      ? t('mfa.bulk.preview', { rows: items.length, bad: items.length - good.length, change,
        same: good.filter((x) => x.current && x.current === x.state).length })
      : t('mfa.bulk.previewNoLookup', { rows: items.length, bad: items.length - good.length });
    tbl.update();
    go.disabled = good.length === 0;

    go.addEventListener('click', async () => {
      const byState = STATES.map((s) => [s, good.filter((x) => x.state === s)]).filter(([, v]) => v.length);
      const text = byState.map(([s, v]) => t('mfa.bulk.confirmState', { n: v.length, state: t(`mfa.state.${s}`) }));
      if (looked) text.push(t('mfa.confirm.counts', { change, same: good.length - change }));
      if (!(await confirmDialog({ title: t('mfa.bulk.title'), text: text.join(' '), ok: t('mfa.bulk.apply') }))) return;
      go.disabled = true;
      file.disabled = true;
      summary.replaceChildren();
      const totals = { changed: 0, unchanged: 0, notFound: 0 };
      try {
        for (const [state, list] of byState) {
          const r = await post('/tollgate/v1/perUserMfa/bulk', { perUserMfaState: state, users: list.map((x) => x.upn) });
          const nf = new Set(((r && r.notFound) || []).map((x) => x.toLowerCase()));
          totals.changed += r.changed;
          totals.unchanged += r.unchanged;
          totals.notFound += nf.size;
          for (const x of list) {
            if (nf.has(x.upn.toLowerCase())) x.result = t('mfa.bulk.notFound');
            else if (x.current === x.state) x.result = t('mfa.bulk.unchanged');
            else if (x.current) x.result = t('mfa.bulk.changed');
            else x.result = t('mfa.bulk.applied');
            x.current = nf.has(x.upn.toLowerCase()) ? '' : x.state;
          }
        }
        summary.append(alertBox(totals.notFound ? 'warn' : 'ok', t('mfa.bulk.done', totals)));
      } catch (e) {
        summary.append(alertBox('danger', errorText(e)));
      }
      tbl.update();
      summary.append(h('button', {
        type: 'button', class: 'button button--ghost', id: 'mfa-bulk-download',
        onclick: () => downloadCsv('mfa-bulk-results.csv', 'line,userPrincipalName,perUserMfaState,result',
          items.map((x) => [x.line, x.upn, x.state, x.error || x.result])),
      }, t('users.import.download')));
      file.disabled = false;
      summary.focus();
      if (onApplied) onApplied();
    });
  });
}
