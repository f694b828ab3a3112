// SPDX-License-Identifier: MIT
// The admin portal (/{tenant}/admin/): signs the administrator in (auth.js),
// then shows one section at a time, chosen by the URL hash:
//   #/section[/sub…][?query]
// Each section is a module /js/admin/pages/<section>.js whose default
// export is { render(root, ctx) }; ctx = { sub: [...], params, me,
// navigate(hash) }. Sections call the admin API (api.js) and nothing
// else; the server decides what each administrator may do (403s are shown
// as they come) — the menu only hides what the roles clearly cannot use.
import { init, t } from '/js/i18n.js';
import { completeSignIn, accessToken, me as whoami, signIn, signOut, tenant } from '/js/admin/auth.js';
import { h, status, errorText } from '/js/admin/ui.js';

// Directory role template ids (reference/entra.md §7; core/roles.c).
export const ROLE = {
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  userAdmin: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  authAdmin: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  privAuthAdmin: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authPolicyAdmin: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
  securityAdmin: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  caAdmin: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  helpdeskAdmin: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  privRoleAdmin: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
};

// The sections, in menu order, with the roles that can at least read them
// (an empty list: everyone signed in).
const R = ROLE;
const SECTIONS = [
  { id: 'home', key: 'admin.nav.home', roles: [] },
  { id: 'users', key: 'admin.nav.users', roles: [R.globalAdmin, R.globalReader, R.userAdmin, R.authAdmin, R.privAuthAdmin, R.authPolicyAdmin, R.securityAdmin, R.caAdmin, R.helpdeskAdmin] },
  { id: 'groups', key: 'admin.nav.groups', roles: [R.globalAdmin, R.globalReader, R.securityReader, R.userAdmin, R.helpdeskAdmin, R.authAdmin, R.privAuthAdmin, R.authPolicyAdmin, R.securityAdmin, R.caAdmin, R.privRoleAdmin] },
  { id: 'mfa', key: 'admin.nav.mfa', roles: [R.globalAdmin, R.globalReader, R.authAdmin, R.privAuthAdmin, R.authPolicyAdmin, R.securityAdmin] },
  { id: 'security-defaults', key: 'admin.nav.securityDefaults', roles: [R.globalAdmin, R.globalReader, R.securityAdmin, R.securityReader, R.caAdmin, R.authPolicyAdmin] },
  { id: 'ca', key: 'admin.nav.ca', roles: [R.globalAdmin, R.globalReader, R.securityAdmin, R.securityReader, R.caAdmin] },
  { id: 'locations', key: 'admin.nav.locations', roles: [R.globalAdmin, R.globalReader, R.securityAdmin, R.securityReader, R.caAdmin] },
  { id: 'signins', key: 'admin.nav.signins', roles: [R.globalAdmin, R.globalReader, R.securityAdmin, R.securityReader, R.caAdmin, R.authPolicyAdmin, R.reportsReader] },
  { id: 'audit', key: 'admin.nav.audit', roles: [R.globalAdmin, R.globalReader, R.securityAdmin, R.securityReader, R.caAdmin, R.authPolicyAdmin, R.reportsReader] },
];

let me = null;
let rendering = 0;

export function hasRole(...ids) {
  const roles = (me && me.roles) || [];
  return ids.some((id) => roles.includes(id));
}

function visible(s) {
  return s.roles.length === 0 || hasRole(...s.roles);
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { section: parts[0] || 'home', sub: parts.slice(1), params: new URLSearchParams(q) };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderNav(current) {
  const list = document.getElementById('nav-list');
  list.replaceChildren(...SECTIONS.filter(visible).map((s) => h('li', {},
    h('a', { href: `#/${s.id === 'home' ? '' : s.id}`, 'aria-current': s.id === current ? 'page' : null },
      t(s.key)))));
  document.getElementById('nav').hidden = false;
}

async function route() {
  const mine = ++rendering;
  const { section, sub, params } = parseHash();
  const s = SECTIONS.find((x) => x.id === section);
  const root = document.getElementById('page');
  status('', '');
  renderNav(s ? s.id : '');
  if (!s) {
    root.replaceChildren(h('h1', {}, t('admin.notFound')));
    return;
  }
  let mod;
  try {
    mod = await import(`/js/admin/pages/${s.id}.js`);
  } catch (e) {
    root.replaceChildren(h('div', { class: 'alert alert--danger', role: 'alert' }, errorText(e)));
    return;
  }
  if (mine !== rendering) return;
  // aria-busy until the section's first render is done: assistive
  // technology (and the browser tests) wait for the whole page.
  const page = h('div', { class: `page page--${s.id}`, 'aria-busy': 'true' });
  root.replaceChildren(page);
  try {
    await mod.default.render(page, { sub, params, me, navigate, hasRole });
  } catch (e) {
    status('danger', errorText(e));
  }
  if (mine !== rendering) return;
  page.removeAttribute('aria-busy');
  const title = page.querySelector('h1');
  document.title = `${title ? title.textContent : t(s.key)} – ${t('admin.title')}`;
  if (title) title.focus({ preventScroll: true });
}

function showMe() {
  const name = document.getElementById('me-name');
  name.textContent = me ? (me.upn || me.preferred_username || '') : '';
  document.getElementById('tenant-name').textContent = tenant;
  const out = document.getElementById('sign-out');
  out.hidden = !me;
}

async function main() {
  await init({ catalogs: ['admin', 'admin-users', 'admin-policy', 'admin-groups'] });
  document.getElementById('sign-out').addEventListener('click', signOut);
  try {
    await completeSignIn();
  } catch (e) {
    const root = document.getElementById('page');
    root.replaceChildren(
      h('h1', {}, t('admin.signinFailed')),
      h('p', { class: 'alert alert--danger', role: 'alert' }, e.message),
      h('button', { type: 'button', class: 'button', onclick: () => signIn({ prompt: 'login' }) },
        t('admin.signInAgain')));
    return;
  }
  if (!(await accessToken())) {
    await signIn();
    return;
  }
  me = whoami();
  showMe();
  window.addEventListener('hashchange', route);
  document.addEventListener('tollgate:languagechange', route);
  await route();
}

main().catch((e) => status('danger', errorText(e)));
