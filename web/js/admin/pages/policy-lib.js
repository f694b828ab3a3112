// SPDX-License-Identifier: MIT
// Helpers shared by the policy and log pages (security defaults,
// Conditional Access, named locations, sign-in logs, audit log): labelled
// form fields, state and result badges, a pager over lists the server
// answers whole, JSON editors that show the server's error at its path.
import { t } from '/js/i18n.js';
import { h, errorText } from '/js/admin/ui.js';

let fieldSeq = 0;

// A unique element id for label/for pairs.
export function uid(prefix) {
  fieldSeq += 1;
  return `${prefix}-${fieldSeq}`;
}

// <div class=field><label for>…</label>input<hint></div>; input gets an id
// when it has none. opts.hint: text under the input (aria-describedby).
export function field(label, input, opts = {}) {
  if (!input.id) input.id = uid('f');
  const parts = [h('label', { for: input.id }, label), input];
  if (opts.hint) {
    const hint = h('p', { class: 'field__hint', id: `${input.id}-hint` }, opts.hint);
    input.setAttribute('aria-describedby', hint.id);
    parts.push(hint);
  }
  return h('div', { class: `field${opts.class ? ` ${opts.class}` : ''}` }, parts);
}

// A checkbox with its label after it.
export function checkField(label, input, opts = {}) {
  if (!input.id) input.id = uid('c');
  const parts = [input, h('label', { for: input.id }, label)];
  const el = h('div', { class: 'field pol-check' }, parts);
  if (opts.hint) {
    const hint = h('p', { class: 'field__hint', id: `${input.id}-hint` }, opts.hint);
    input.setAttribute('aria-describedby', hint.id);
    el.append(hint);
  }
  return el;
}

// <select> from [[value, label]…] with value selected.
export function select(options, value, attrs = {}) {
  const el = h('select', attrs);
  for (const [v, label] of options) {
    const o = h('option', { value: v }, label);
    if (String(v) === String(value ?? '')) o.selected = true;
    el.append(o);
  }
  return el;
}

// A pager (api.js pager() interface) over a list the server answers whole
// and bounded (Conditional Access policies, named locations, an impact
// report's rows): loaded once, shown size items a page.
export function arrayPager(load, size = 25) {
  let items = null;
  let pos = 0;
  return {
    get hasMore() {
      return items === null || pos < items.length;
    },
    async next() {
      if (items === null) items = await load();
      const page = items.slice(pos, pos + size);
      pos += size;
      return page;
    },
  };
}

// Conditional Access policy state → [label, badge class].
export function stateInfo(state) {
  switch (state) {
    case 'enabled': return [t('policy.state.on'), 'badge badge--ok'];
    case 'enabledForReportingButNotEnforced': return [t('policy.state.reportOnly'), 'badge badge--warn'];
    case 'disabled': return [t('policy.state.off'), 'badge'];
    default: return [state || '?', 'badge'];
  }
}

export function stateBadge(state) {
  const [label, cls] = stateInfo(state);
  return h('span', { class: cls, 'data-state': state || '' }, label);
}

// appliedConditionalAccessPolicy.result → a badge in words.
export function resultBadge(result) {
  const cls = {
    success: 'badge badge--ok',
    failure: 'badge badge--danger',
    reportOnlySuccess: 'badge badge--ok',
    reportOnlyFailure: 'badge badge--danger',
    reportOnlyInterrupted: 'badge badge--warn',
  }[result] || 'badge';
  const key = `policy.result.${result}`;
  const label = t(key);
  return h('span', { class: cls, 'data-result': result || '' }, label === key ? (result || '?') : label);
}

// A boolean as Yes / No.
export function yesNo(v) {
  return v ? t('policy.yes') : t('policy.no');
}

// Join a list for reading ("a, b"); empty → fallback.
export function list(v, fallback = '') {
  if (!Array.isArray(v) || v.length === 0) return fallback;
  return v.join(', ');
}

// A JSON editor: a labelled textarea.code with an error line under it that
// names the server's message (the JSON path first) and the request id.
// Returns { element, textarea, value(), set(text), showError(err|string), clear() }.
export function jsonEditor(label, text, hint) {
  const ta = h('textarea', { class: 'code', spellcheck: 'false', autocomplete: 'off', rows: '18' });
  ta.value = text;
  const wrap = field(label, ta, { hint });
  const error = h('p', { class: 'field__error', id: uid('err'), role: 'alert', hidden: true });
  wrap.append(error);
  const described = () => [ta.getAttribute('aria-describedby'), error.id].filter(Boolean);
  function clear() {
    ta.removeAttribute('aria-invalid');
    error.hidden = true;
    error.textContent = '';
    const ids = described().filter((x) => x !== error.id);
    if (ids.length) ta.setAttribute('aria-describedby', ids.join(' '));
    else ta.removeAttribute('aria-describedby');
  }
  ta.addEventListener('input', () => { if (!error.hidden) clear(); });
  return {
    element: wrap,
    textarea: ta,
    value: () => ta.value,
    set(v) {
      ta.value = v;
      clear();
    },
    showError(err) {
      ta.setAttribute('aria-invalid', 'true');
      ta.setAttribute('aria-describedby', [...new Set(described())].join(' '));
      error.textContent = typeof err === 'string' ? err : errorText(err);
      error.hidden = false;
      ta.focus();
    },
    clear,
  };
}

// Parse JSON typed by the administrator; throws an Error that says so.
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(t('policy.json.syntax', { message: e.message }));
  }
}

// A policy or location as pretty JSON without the read-only members.
export const READ_ONLY = ['id', 'createdDateTime', 'modifiedDateTime', '@odata.context'];
export function editable(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) if (!READ_ONLY.includes(k)) out[k] = v;
  return out;
}

// The PATCH body that makes the stored document equal to `edited`: the
// server merges objects member by member, so a member removed in the
// editor is sent as null (arrays and scalars are replaced whole).
export function replaceBody(orig, edited, top = true) {
  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const out = {};
  for (const k of Object.keys(orig || {})) {
    if (top && READ_ONLY.includes(k)) continue;
    if (k.startsWith('@odata.')) continue;
    if (!Object.prototype.hasOwnProperty.call(edited, k)) out[k] = null;
  }
  for (const [k, v] of Object.entries(edited)) {
    out[k] = isObj(v) && isObj(orig && orig[k]) ? replaceBody(orig[k], v, false) : v;
  }
  return out;
}

// A new policy's starting JSON: report-only, so saving it changes nobody's
// sign-in until it is turned on.
export function skeleton() {
  return {
    displayName: t('policy.ca.skeletonName'),
    state: 'enabledForReportingButNotEnforced',
    conditions: {
      users: { includeUsers: ['All'], excludeUsers: [] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
}

// A <datetime-local> value → ISO-8601 UTC for a $filter; '' when empty or bad.
export function localToIso(v) {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

// A section with an h2 heading.
export function section(title, ...children) {
  const id = uid('sec');
  return h('section', { class: 'pol-section', 'aria-labelledby': id },
    h('h2', { id }, title), ...children);
}

// A small table: headers and rows of cells (strings or nodes); the first
// cell of each row is its header.
export function simpleTable(headers, rows, caption) {
  const head = h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)));
  const body = h('tbody', {}, rows.map((r) => h('tr', {},
    r.map((c, i) => h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, c)))));
  return h('div', { class: 'table-wrap' },
    h('table', {}, caption ? h('caption', { class: 'visually-hidden' }, caption) : null, h('thead', {}, head), body));
}

// Back link to a list.
export function backLink(href, text) {
  return h('p', { class: 'pol-back' }, h('a', { href }, `← ${text}`));
}
