// SPDX-License-Identifier: MIT
// Import users from CSV (#/users/import), in the format of `tollgate user
// import`: a header row (any order, any case) with userPrincipalName
// (required), displayName, mail, mobilePhone, password, preferredLanguage,
// accountEnabled. The admin API has no import endpoint, so the rows are
// created with POST /v1.0/users inside $batch requests of 20 and each row
// gets its own result (unlike the CLI, which imports all rows or none).
// passwordHash is refused here: hashes are imported with the CLI only.
import { t } from '/js/i18n.js';
import { alertBox, errorText, h, heading } from '/js/admin/ui.js';
import { batch, downloadCsv, itemError, readCsvFile } from '/js/admin/pages/users-lib.js';

const MAX_ROWS = 5000;
const COLUMNS = {
  upn: ['userprincipalname'],
  name: ['displayname'],
  mail: ['mail'],
  phone: ['mobilephone'],
  password: ['password'],
  hash: ['passwordhash'],
  lang: ['preferredlanguage'],
  enabled: ['accountenabled'],
};

// Rows of the file → [{ line, upn, body, error }] (error: refused before
// sending).
function toRequests(rows, index) {
  const ncols = rows[0].fields.length;
  const seen = new Map();
  return rows.slice(1).map(({ line, fields }) => {
    const get = (k) => (k in index ? (fields[index[k]] || '').trim() : '');
    const item = { line, upn: get('upn'), body: null, error: '' };
    if (fields.length !== ncols) {
      item.error = t('users.import.fieldCount', { want: ncols, got: fields.length });
      return item;
    }
    if (!item.upn) {
      item.error = t('users.import.noUpn');
      return item;
    }
    const key = item.upn.toLowerCase();
    if (seen.has(key)) {
      item.error = t('users.import.again', { line: seen.get(key) });
      return item;
    }
    seen.set(key, line);
    if (get('hash')) {
      item.error = t('users.import.hash');
      return item;
    }
    const body = { userPrincipalName: item.upn };
    if (get('name')) body.displayName = get('name');
    if (get('mail')) body.mail = get('mail');
    if (get('phone')) body.mobilePhone = get('phone');
    if (get('lang')) body.preferredLanguage = get('lang');
    const en = get('enabled').toLowerCase();
    if (en === 'false') body.accountEnabled = false;
    else if (en && en !== 'true') {
      item.error = t('users.import.enabled');
      return item;
    }
    // the password as written: never trimmed
    const pw = 'password' in index ? fields[index.password] || '' : '';
    if (pw) body.passwordProfile = { password: pw, forceChangePasswordNextSignIn: true };
    item.body = body;
    return item;
  });
}

export function renderImport(root) {
  root.append(heading(t('users.import.title')),
    h('p', {}, h('a', { href: '#/users' }, t('users.back'))),
    h('p', {}, t('users.import.intro')),
    h('pre', { class: 'json users-sample' },
      'userPrincipalName,displayName,mail,preferredLanguage,password\n' +
      'alice@contoso.com,Alice Andersson,alice@contoso.com,sv,Corr3ct-Horse-Battery'));
  const file = h('input', { type: 'file', id: 'users-import-file', accept: '.csv,text/csv' });
  const preview = h('div', { id: 'users-import-preview', 'aria-live': 'polite' });
  root.append(h('div', { class: 'field' },
    h('label', { for: 'users-import-file' }, t('users.import.file')), file,
    h('p', { class: 'field__hint' }, t('users.import.hint', { max: MAX_ROWS }))), preview);

  file.addEventListener('change', async () => {
    preview.replaceChildren();
    const f = file.files && file.files[0];
    if (!f) return;
    const { rows, index, problem } = await readCsvFile(f, COLUMNS, MAX_ROWS);
    if (problem) {
      preview.append(alertBox('danger', problem));
      return;
    }
    const items = toRequests(rows, index);
    const good = items.filter((x) => !x.error);
    const table = resultTable(items);
    const go = h('button', { type: 'button', class: 'button', id: 'users-import-go', disabled: !good.length },
      t('users.import.go', { n: good.length }));
    const progress = h('progress', { max: String(good.length || 1), value: '0', hidden: true });
    const summary = h('div', { id: 'users-import-summary' });
    preview.append(h('p', {}, t('users.import.preview', { rows: items.length, ok: good.length,
      bad: items.length - good.length })), table.element, h('div', { class: 'toolbar' }, go, progress), summary);
    go.addEventListener('click', async () => {
      go.disabled = true;
      file.disabled = true;
      progress.hidden = false;
      try {
        const answers = await batch(good.map((x) => ({ method: 'POST', url: '/users', body: x.body })),
          (done) => { progress.value = done; });
        answers.forEach((a, i) => {
          const it = good[i];
          if (a.status === 201) it.done = t('users.import.created');
          else it.error = itemError(a);
        });
      } catch (e) {
        summary.replaceChildren(alertBox('danger', errorText(e)));
      }
      for (const it of good) delete it.body;   // no password kept in memory longer than needed
      table.update();
      const created = items.filter((x) => x.done).length;
      const failed = items.length - created;
      summary.append(alertBox(failed ? 'warn' : 'ok', t('users.import.result', { created, failed })),
        h('button', {
          type: 'button', class: 'button button--ghost', id: 'users-import-download',
          onclick: () => downloadCsv('import-results.csv', 'line,userPrincipalName,result',
            items.map((x) => [x.line, x.upn, x.done || x.error])),
        }, t('users.import.download')));
      file.disabled = false;
    });
  });
}

// A table of the rows with their status, updated in place.
function resultTable(items) {
  const body = h('tbody');
  const element = h('div', { class: 'table-wrap users-import-table' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, t('users.import.caption')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('users.import.line')),
      h('th', { scope: 'col' }, t('users.col.upn')),
      h('th', { scope: 'col' }, t('users.import.status')))), body));
  const update = () => {
    body.replaceChildren(...items.map((x) => h('tr', { 'data-line': x.line },
      h('td', {}, String(x.line)),
      h('th', { scope: 'row' }, x.upn || '—'),
      h('td', { class: x.error ? 'users-bad' : (x.done ? 'users-good' : '') },
        x.error || x.done || t('users.import.ready')))));
  };
  update();
  return { element, update };
}
