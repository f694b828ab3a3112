// SPDX-License-Identifier: MIT
// Helpers shared by the Users and Per-user MFA pages: CSV parsing (RFC
// 4180, as `tollgate user import` reads it), generated passwords, the
// per-user MFA state badge, $batch in chunks of 20, and mapping a server
// error to the form field it is about.
import { t } from '/js/i18n.js';
import { errorText, h, readText } from '/js/admin/ui.js';
import { post } from '/js/admin/api.js';

export const STATES = ['disabled', 'enabled', 'enforced'];
export const MAX_CSV_ROWS = 10000;     // the bulk endpoint's limit per request
export const BATCH_SIZE = 20;          // Graph's $batch limit

// Parse CSV text into rows of fields. Quoted fields may hold commas,
// doubled quotes and newlines; CRLF or LF; a BOM is skipped; blank lines
// are skipped. Returns { rows: [{ line, fields }], error } where error
// names the line of the first fault (an unterminated quote).
export function parseCsv(text) {
  const rows = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let field = '';
  let fields = [];
  let start = 1;
  let quoted = false;
  let touched = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '' || touched) rows.push({ line: start, fields });
    fields = [];
    field = '';
    touched = false;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      touched = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      touched = true;
    } else if (c === '\r' && text[i + 1] === '\n') {
      // the \n ends the record
    } else if (c === '\n') {
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
    }
  }
  if (quoted) return { rows, error: t('users.csv.unterminated', { line: start }) };
  if (field !== '' || fields.length || touched) endRecord();
  return { rows, error: '' };
}

// Map a CSV's header to column indexes: names is { key: [accepted header
// names, lowercase] }. Returns { index: { key: i }, error }.
export function csvColumns(header, names, required) {
  const index = {};
  for (let i = 0; i < header.length; i++) {
    const name = header[i].trim().toLowerCase();
    const key = Object.keys(names).find((k) => names[k].includes(name));
    if (!key) return { index, error: t('users.csv.unknownColumn', { name: header[i].trim() }) };
    if (key in index) return { index, error: t('users.csv.twice', { name: header[i].trim() }) };
    index[key] = i;
  }
  if (!(required in index)) return { index, error: t('users.csv.noColumn', { name: required }) };
  return { index, error: '' };
}

// Read a CSV file chosen by the admin (at most 4 MiB): a header row with
// the columns of names (see csvColumns; "upn" required, and each key of
// needed: { key: header name shown }) and 1..maxRows rows. Returns
// { rows, index } or { problem } (a message to show).
export async function readCsvFile(file, names, maxRows, needed = {}) {
  let text;
  try {
    text = await readText(file, 4 * 1024 * 1024);
  } catch (e) {
    return { problem: errorText(e) };
  }
  const { rows, error } = parseCsv(text);
  if (error) return { problem: error };
  if (rows.length < 2) return { problem: t('users.import.empty') };
  if (rows.length - 1 > maxRows) return { problem: t('users.import.tooMany', { max: maxRows }) };
  const cols = csvColumns(rows[0].fields, names, 'upn');
  for (const [key, name] of Object.entries(needed)) {
    if (!(key in cols.index)) return { problem: t('users.csv.noColumn', { name }) };
  }
  if (cols.error) return { problem: cols.error };
  return { rows, index: cols.index };
}

// A random password: 20 characters without look-alikes (0/O, 1/l/I), as
// `tollgate user add --generate-password` makes them.
export function generatePassword(len = 20) {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const out = [];
  const buf = new Uint8Array(1);
  const limit = 256 - (256 % alphabet.length);
  while (out.length < len) {
    crypto.getRandomValues(buf);
    if (buf[0] < limit) out.push(alphabet[buf[0] % alphabet.length]);
  }
  return out.join('');
}

export function stateBadge(state) {
  const kind = { disabled: '', enabled: 'badge--warn', enforced: 'badge--ok' }[state];
  return h('span', { class: `badge ${kind || ''}`.trim(), 'data-state': state },
    STATES.includes(state) ? t(`mfa.state.${state}`) : String(state));
}

export function enabledBadge(on) {
  return h('span', { class: on ? 'badge badge--ok' : 'badge badge--danger' },
    t(on ? 'users.enabled' : 'users.disabled'));
}

// Run requests [{ method, url, body }] through POST /v1.0/$batch, 20 at a
// time; onProgress(done, total) after each chunk. Resolves to the answers
// in order: [{ status, body }]. A failed $batch call throws (ApiError).
export async function batch(requests, onProgress) {
  const out = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) {
    const chunk = requests.slice(i, i + BATCH_SIZE).map((r, k) => {
      const item = { id: String(k + 1), method: r.method, url: r.url };
      if (r.body !== undefined) {
        item.body = r.body;
        item.headers = { 'Content-Type': 'application/json' };
      }
      return item;
    });
    const res = await post('/v1.0/$batch', { requests: chunk });
    const byId = new Map(((res && res.responses) || []).map((x) => [x.id, x]));
    for (const item of chunk) {
      const r = byId.get(item.id) || { status: 0, body: null };
      out.push({ status: r.status, body: r.body });
    }
    if (onProgress) onProgress(Math.min(i + BATCH_SIZE, requests.length), requests.length);
  }
  return out;
}

// The message of a $batch item's Graph error body.
export function itemError(r) {
  const e = r && r.body && r.body.error;
  return e ? `${e.message} (${e.code})` : `HTTP ${r ? r.status : 0}`;
}

// Which field a server message is about: "path: message" (the JSON path
// of a bad body) first, then the service's wording. fields: { name:
// [regexp…] }. Returns the field name or ''.
export function fieldOf(message, fields) {
  const m = /^([A-Za-z][\w.[\]]*): /.exec(message || '');
  if (m) {
    const path = m[1];
    for (const name of Object.keys(fields)) {
      if (path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`)) return name;
    }
  }
  for (const [name, res] of Object.entries(fields)) {
    if (res.some((re) => re.test(message || ''))) return name;
  }
  return '';
}

// A labelled form field: { id, label, input (element), hint } → the
// wrapper, with an error slot (aria-describedby) that setError fills.
export function field({ id, label, input, hint }) {
  input.id = id;
  const hintEl = hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null;
  const err = h('p', { class: 'field__error', id: `${id}-error`, hidden: true });
  input.setAttribute('aria-describedby', [hintEl ? hintEl.id : '', err.id].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl, err);
  wrap.setError = (text) => {
    err.textContent = text || '';
    err.hidden = !text;
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  return wrap;
}

// A checkbox with its label beside it.
export function checkbox({ id, label, checked = false, onchange }) {
  const box = h('input', { type: 'checkbox', id, onchange });
  box.checked = checked;
  return h('div', { class: 'field check' }, box, h('label', { for: id }, label));
}

// Download text as a file (CSV of results, a sample).
export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'visually-hidden' }, name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function csvCell(v) {
  const s = String(v === undefined || v === null ? '' : v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// Offer a CSV file of results: the header line, then one line a row
// (an array of cells).
export function downloadCsv(name, header, rows) {
  download(name, [header, ...rows.map((cells) => cells.map(csvCell).join(','))].join('\n'));
}

// Debounce fn by ms.
export function debounce(fn, ms = 300) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
