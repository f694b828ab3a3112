// SPDX-License-Identifier: MIT
// Small UI helpers shared by the admin portal's pages. Text is always set
// with textContent (never HTML), so data from the API cannot inject markup;
// the CSP forbids inline script and style anyway.
import { t } from '/js/i18n.js';

// h('button', { class: 'button', onclick: fn, 'data-i18n': 'x' }, 'text', child…)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// The status line at the top of the page: kind = 'ok' | 'warn' | 'danger'.
export function status(kind, text) {
  const el = document.getElementById('status');
  if (!text) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  el.className = `alert alert--${kind}`;
  el.setAttribute('role', kind === 'danger' ? 'alert' : 'status');
  el.textContent = text;
  el.hidden = false;
}

// A sentence for an ApiError (or any Error): the server's message, its
// code and the request id to quote.
export function errorText(err) {
  if (!err) return '';
  if (err.status === 403) return t('admin.error.denied', { message: err.message });
  const parts = [err.message || String(err)];
  if (err.code && err.code !== 'network') parts.push(`(${err.code})`);
  if (err.requestId) parts.push(t('admin.error.requestId', { id: err.requestId }));
  return parts.join(' ');
}

export function showError(err) {
  status('danger', errorText(err));
}

// An alert box in the page (for errors next to a form).
export function alertBox(kind, text) {
  return h('div', { class: `alert alert--${kind}`, role: kind === 'danger' ? 'alert' : 'status' }, text);
}

// Ask before a change: resolves true when the administrator confirms.
export function confirmDialog({ title, text, ok }) {
  const dlg = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = ok || t('admin.confirm');
  document.getElementById('confirm-cancel').textContent = t('admin.cancel');
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.returnValue = 'cancel';
    dlg.showModal();
  });
}

// A date-time for people, in the page's language.
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(document.documentElement.lang || 'en');
}

// A table over a pager (api.js pager()), one page at a time with
// Previous / Next; pages already seen are kept so Previous costs nothing.
// columns: [{ label, value(item) -> string|Node }]
// opts.select: show a checkbox per row; opts.onSelect(selectedItems)
// opts.rowKey(item): a stable key (default item.id)
// opts.onRow(item): makes the first column a button opening the item
// Returns { element, reload(), selected() }.
export function pagedTable(makePager, columns, opts = {}) {
  const rowKey = opts.rowKey || ((it) => it.id);
  const wrap = h('div', { class: 'paged' });
  const tableWrap = h('div', { class: 'table-wrap' });
  const info = h('span', { class: 'muted paged__info', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'button button--ghost', text: t('admin.prevPage') });
  const next = h('button', { type: 'button', class: 'button button--ghost', text: t('admin.nextPage') });
  const nav = h('div', { class: 'paged__nav' }, prev, info, next);
  wrap.append(tableWrap, nav);
  let pager = null;
  let pages = [];
  let index = 0;
  const chosen = new Map();

  function fireSelect() {
    if (opts.onSelect) opts.onSelect([...chosen.values()]);
  }

  function render() {
    const items = pages[index] || [];
    const head = h('tr');
    if (opts.select) {
      const all = h('input', {
        type: 'checkbox',
        'aria-label': t('admin.selectPage'),
        onchange: (ev) => {
          for (const it of items) {
            if (ev.target.checked) chosen.set(rowKey(it), it);
            else chosen.delete(rowKey(it));
          }
          render();
          fireSelect();
        },
      });
      all.checked = items.length > 0 && items.every((it) => chosen.has(rowKey(it)));
      head.append(h('th', { scope: 'col', class: 'col-select' }, all));
    }
    for (const c of columns) head.append(h('th', { scope: 'col' }, c.label));
    const body = h('tbody');
    for (const it of items) {
      const tr = h('tr', { 'data-key': rowKey(it) });
      if (opts.select) {
        const box = h('input', {
          type: 'checkbox',
          'aria-label': t('admin.selectRow', { name: columns[0].value(it) }),
          onchange: (ev) => {
            if (ev.target.checked) chosen.set(rowKey(it), it);
            else chosen.delete(rowKey(it));
            fireSelect();
          },
        });
        box.checked = chosen.has(rowKey(it));
        tr.append(h('td', { class: 'col-select' }, box));
      }
      columns.forEach((c, i) => {
        let v = c.value(it);
        if (i === 0 && opts.onRow) {
          v = h('button', { type: 'button', class: 'linklike', onclick: () => opts.onRow(it) }, v);
        }
        tr.append(h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, v));
      });
      body.append(tr);
    }
    if (!items.length) {
      body.append(h('tr', {}, h('td', { colspan: columns.length + (opts.select ? 1 : 0), class: 'muted' },
        opts.empty || t('admin.empty'))));
    }
    tableWrap.replaceChildren(h('table', {}, opts.caption ? h('caption', {}, opts.caption) : null,
      h('thead', {}, head), body));
    prev.disabled = index === 0;
    next.disabled = index + 1 >= pages.length && !pager.hasMore;
    info.textContent = t('admin.pageN', { n: index + 1 });
  }

  let generation = 0;   // a reload drops the answers of earlier loads
  async function load(i) {
    const mine = generation;
    try {
      while (pages.length <= i && pager.hasMore) {
        const items = await pager.next();
        if (mine !== generation) return;
        pages.push(items);
      }
      index = Math.min(i, Math.max(pages.length - 1, 0));
      render();
    } catch (e) {
      if (mine === generation) showError(e);
    }
  }

  prev.addEventListener('click', () => load(index - 1));
  next.addEventListener('click', () => load(index + 1));

  async function reload({ keepSelection = false } = {}) {
    generation++;
    pager = makePager();
    pages = [];
    if (!keepSelection) {
      chosen.clear();
      fireSelect();
    }
    await load(0);
  }

  return {
    element: wrap,
    reload,
    selected: () => [...chosen.values()],
    clearSelection: () => {
      chosen.clear();
      render();
      fireSelect();
    },
  };
}

// A definition list from [label, value] pairs (empty values skipped).
export function details(pairs) {
  const dl = h('dl', { class: 'details' });
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === '') continue;
    dl.append(h('dt', {}, k), h('dd', {}, v));
  }
  return dl;
}

// Read a file chosen in an <input type=file> as text (UTF-8).
export function readText(file, maxBytes = 8 * 1024 * 1024) {
  if (file.size > maxBytes) return Promise.reject(new Error(t('admin.error.fileTooLarge')));
  return file.text();
}

// A page heading that receives focus after navigation (screen readers).
export function heading(text) {
  return h('h1', { tabindex: '-1', class: 'page-title' }, text);
}
