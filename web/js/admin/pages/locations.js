// SPDX-License-Identifier: MIT
// Named locations (#/locations): the tenant's IP ranges locations (Graph
// ipNamedLocation, /v1.0/identity/conditionalAccess/namedLocations), a form
// to create or edit one (name, one CIDR range a line, trusted), delete
// with a confirmation. A bad range is shown with the server's message at
// its line. Countries locations need GeoIP data Tollgate does not have;
// the page says so rather than offering a form the server refuses.
//   #/locations        list
//   #/locations/new    create
//   #/locations/{id}   edit / delete
import { t } from '/js/i18n.js';
import { h, heading, confirmDialog, errorText, pagedTable, when, status } from '/js/admin/ui.js';
import { get, post, patch, del } from '/js/admin/api.js';
import { arrayPager, field, checkField, yesNo, backLink, uid } from '/js/admin/pages/policy-lib.js';

const PATH = '/v1.0/identity/conditionalAccess/namedLocations';
const V4 = '#microsoft.graph.iPv4CidrRange';
const V6 = '#microsoft.graph.iPv6CidrRange';

const ranges = (loc) => (loc.ipRanges || []).map((r) => r.cidrAddress).filter(Boolean);

async function renderList(root, ctx) {
  root.append(heading(t('admin.nav.locations')));
  root.append(h('p', { class: 'lead' }, t('policy.loc.intro')));
  const gone = ctx.params.get('deleted');
  if (gone) root.append(h('p', { class: 'alert alert--ok', role: 'status' }, t('policy.loc.deleted', { name: gone })));
  root.append(h('div', { class: 'toolbar' },
    h('a', { class: 'button', href: '#/locations/new' }, t('policy.loc.new'))));
  root.append(h('p', { class: 'muted' }, t('policy.loc.noCountries')));
  const table = pagedTable(() => arrayPager(async () => {
    const data = await get(PATH);
    return (data && data.value) || [];
  }, 50), [
    { label: t('policy.loc.col.name'), value: (l) => l.displayName || l.id },
    { label: t('policy.loc.col.type'), value: () => t('policy.loc.typeIp') },
    { label: t('policy.loc.col.trusted'), value: (l) => h('span', { class: l.isTrusted ? 'badge badge--ok' : 'badge' }, yesNo(l.isTrusted)) },
    { label: t('policy.loc.col.ranges'), value: (l) => {
      const r = ranges(l);
      return r.length > 3 ? `${r.slice(0, 3).join(', ')} ${t('policy.loc.more', { n: r.length - 3 })}` : r.join(', ');
    } },
    { label: t('policy.ca.col.modified'), value: (l) => when(l.modifiedDateTime || l.createdDateTime) },
  ], {
    caption: t('policy.loc.listCaption'),
    empty: t('policy.loc.none'),
    onRow: (l) => ctx.navigate(`#/locations/${encodeURIComponent(l.id)}`),
  });
  root.append(table.element);
  await table.reload();
}

// The line (1-based, among the non-empty lines) a server path such as
// "ipRanges[2].cidrAddress: not a CIDR range" points at, or 0.
function badLine(message) {
  const m = /^ipRanges\[(\d+)\]/.exec(message || '');
  return m ? Number(m[1]) + 1 : 0;
}

async function renderForm(root, ctx, id) {
  let loc = null;
  if (id) loc = await get(`${PATH}/${encodeURIComponent(id)}`);
  root.append(backLink('#/locations', t('admin.nav.locations')));
  root.append(heading(id ? t('policy.loc.editTitle', { name: loc.displayName || id }) : t('policy.loc.newTitle')));

  const name = h('input', { type: 'text', name: 'displayName', required: true, maxlength: '256', autocomplete: 'off' });
  name.value = loc ? loc.displayName || '' : '';
  const cidrs = h('textarea', { name: 'ipRanges', rows: '6', spellcheck: 'false', class: 'code pol-cidrs' });
  cidrs.value = loc ? ranges(loc).join('\n') : '';
  const trusted = h('input', { type: 'checkbox', name: 'isTrusted' });
  trusted.checked = !!(loc && loc.isTrusted);
  const nameErr = h('p', { class: 'field__error', role: 'alert', hidden: true, id: uid('err') });
  const cidrErr = h('p', { class: 'field__error', role: 'alert', hidden: true, id: uid('err') });
  const formErr = h('div', { class: 'alert alert--danger', role: 'alert', hidden: true });
  const nameField = field(t('policy.loc.name'), name);
  nameField.append(nameErr);
  const cidrField = field(t('policy.loc.ranges'), cidrs, { hint: t('policy.loc.rangesHint') });
  cidrField.append(cidrErr);
  const save = h('button', { type: 'submit', class: 'button' }, id ? t('policy.save') : t('policy.loc.create'));
  const form = h('form', { class: 'pol-form', novalidate: true },
    nameField, cidrField,
    checkField(t('policy.loc.trusted'), trusted, { hint: t('policy.loc.trustedHint') }),
    formErr,
    h('div', { class: 'toolbar' }, save,
      h('a', { class: 'button button--ghost', href: '#/locations' }, t('admin.cancel'))));
  root.append(form);

  function clear() {
    for (const [input, err] of [[name, nameErr], [cidrs, cidrErr]]) {
      input.removeAttribute('aria-invalid');
      err.hidden = true;
      err.textContent = '';
      const d = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== err.id);
      if (d.length) input.setAttribute('aria-describedby', d.join(' '));
      else input.removeAttribute('aria-describedby');
    }
    formErr.hidden = true;
  }
  function mark(input, err, text) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${err.id}`.trim());
    err.textContent = text;
    err.hidden = false;
    input.focus();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear();
    const lines = cidrs.value.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
    if (!name.value.trim()) {
      mark(name, nameErr, t('policy.loc.nameRequired'));
      return;
    }
    if (!lines.length) {
      mark(cidrs, cidrErr, t('policy.loc.rangesRequired'));
      return;
    }
    const body = {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: name.value.trim(),
      isTrusted: trusted.checked,
      ipRanges: lines.map((c) => ({ '@odata.type': c.includes(':') ? V6 : V4, cidrAddress: c })),
    };
    save.disabled = true;
    try {
      if (id) {
        await patch(`${PATH}/${encodeURIComponent(id)}`, body);
        status('ok', t('policy.loc.saved', { name: body.displayName }));
        loc = await get(`${PATH}/${encodeURIComponent(id)}`);
      } else {
        const created = await post(PATH, body);
        ctx.navigate(`#/locations/${encodeURIComponent(created.id)}`);
      }
    } catch (e) {
      const line = badLine(e.message);
      if (line) {
        mark(cidrs, cidrErr, `${t('policy.loc.lineError', { line, range: lines[line - 1] || '' })} ${errorText(e)}`);
      } else if (/^displayName/.test(e.message || '')) {
        mark(name, nameErr, errorText(e));
      } else {
        formErr.textContent = errorText(e);
        formErr.hidden = false;
      }
    } finally {
      save.disabled = false;
    }
  });

  if (id) {
    const remove = h('button', { type: 'button', class: 'button button--danger' }, t('policy.delete'));
    const delErr = h('div', { class: 'alert alert--danger', role: 'alert', hidden: true });
    remove.addEventListener('click', async () => {
      delErr.hidden = true;
      const ok = await confirmDialog({
        title: t('policy.loc.confirmDeleteTitle'),
        text: t('policy.loc.confirmDeleteText', { name: loc.displayName }),
        ok: t('policy.delete'),
      });
      if (!ok) return;
      try {
        await del(`${PATH}/${encodeURIComponent(id)}`);
        ctx.navigate(`#/locations?deleted=${encodeURIComponent(loc.displayName || id)}`);
      } catch (e) {
        delErr.textContent = errorText(e);
        delErr.hidden = false;
        remove.focus();
      }
    });
    root.append(h('h2', {}, t('policy.loc.deleteTitle')), h('p', { class: 'muted' }, t('policy.loc.deleteHint')), remove, delErr);
  }
}

export default {
  async render(root, ctx) {
    const [first] = ctx.sub;
    if (!first) return renderList(root, ctx);
    return renderForm(root, ctx, first === 'new' ? null : first);
  },
};
