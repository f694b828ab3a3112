// SPDX-License-Identifier: MIT
// Tollgate i18n: a tiny ES module shared by every page.
//  - loads /i18n/<lang>.json catalogs (flat or nested keys, "a.b.c"),
//  - picks the language from a saved choice, else navigator.languages,
//  - fills elements carrying data-i18n="key" (textContent, never HTML) and
//    data-i18n-attr="attr:key;attr2:key2" (attributes),
//  - wires buttons carrying data-lang="xx" into a language switch.
// Usage: import { init, t } from '/js/i18n.js'; await init();
// A page may add catalogs of its own: await init({ catalogs: ['admin'] })
// also loads /i18n/admin.<lang>.json and merges it over the shared one.

export const SUPPORTED = ['en', 'sv'];
export const DEFAULT_LANG = 'en';
const STORAGE_KEY = 'tollgate.lang';

let current = DEFAULT_LANG;
let catalog = {};
let extra = [];            // page catalogs (init's catalogs option)
const cache = new Map();

function saved() {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch (e) {
    return null; // storage disabled (private mode, policy)
  }
}

function save(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch (e) {
    // not fatal: the choice lasts for this page only
  }
}

// The first supported language among the saved choice and the browser's
// preferences ("sv-SE" counts as "sv"), else English.
export function pickLanguage() {
  const wanted = [saved(), ...(navigator.languages || [navigator.language])];
  for (const tag of wanted) {
    if (!tag) continue;
    const base = String(tag).toLowerCase().split('-')[0];
    if (SUPPORTED.includes(base)) return base;
  }
  return DEFAULT_LANG;
}

async function fetchCatalog(file) {
  if (cache.has(file)) return cache.get(file);
  const res = await fetch(`/i18n/${file}`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`i18n: ${file}: HTTP ${res.status}`);
  const data = await res.json();
  cache.set(file, data);
  return data;
}

// Merge b into a (nested objects merged, other values replaced).
function merge(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const both = v && typeof v === 'object' && out[k] && typeof out[k] === 'object';
    out[k] = both ? merge(out[k], v) : v;
  }
  return out;
}

// The shared catalog of lang merged with the page's own catalogs.
export async function loadCatalog(lang) {
  if (!SUPPORTED.includes(lang)) lang = DEFAULT_LANG;
  const parts = await Promise.all([`${lang}.json`, ...extra.map((n) => `${n}.${lang}.json`)]
    .map(fetchCatalog));
  return parts.reduce(merge, {});
}

function lookup(obj, key) {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  let v = obj;
  for (const part of key.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, part)) {
      return undefined;
    }
    v = v[part];
  }
  return v;
}

// Translate key, replacing {name} with vars.name. Unknown keys return
// the key itself so that a missing string is visible, not blank.
export function t(key, vars = {}) {
  const s = lookup(catalog, key);
  if (typeof s !== 'string') return key;
  return s.replace(/\{(\w+)\}/g, (m, name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m);
}

// Fill root's translatable elements. Elements whose key is missing keep
// the text already in the HTML (English), so a page never goes blank.
export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const s = lookup(catalog, el.dataset.i18n);
    if (typeof s === 'string') el.textContent = s;
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((x) => x && x.trim());
      if (!attr || !key) continue;
      const s = lookup(catalog, key);
      if (typeof s === 'string') el.setAttribute(attr, s);
    }
  }
  if (root === document) {
    document.documentElement.lang = current;
    const title = lookup(catalog, 'page.title');
    if (typeof title === 'string') document.title = title;
  }
  for (const btn of document.querySelectorAll('[data-lang]')) {
    btn.setAttribute('aria-pressed', String(btn.dataset.lang === current));
  }
}

export function language() {
  return current;
}

// Switch language, remember the choice, re-render, and tell the page
// ("tollgate:languagechange" on document, detail = { lang }).
export async function setLanguage(lang, { remember = true } = {}) {
  if (!SUPPORTED.includes(lang)) lang = DEFAULT_LANG;
  catalog = await loadCatalog(lang);
  current = lang;
  if (remember) save(lang);
  apply();
  document.dispatchEvent(new CustomEvent('tollgate:languagechange', { detail: { lang } }));
}

// Pick, load and apply the language, and make [data-lang] buttons switch.
export async function init({ catalogs = [] } = {}) {
  extra = catalogs.filter((n) => /^[a-z][a-z0-9-]*$/.test(n));
  for (const btn of document.querySelectorAll('[data-lang]')) {
    btn.addEventListener('click', () => {
      setLanguage(btn.dataset.lang).catch((e) => console.error(e));
    });
  }
  try {
    await setLanguage(pickLanguage(), { remember: false });
  } catch (e) {
    console.error(e); // keep the English text already in the page
  }
}
