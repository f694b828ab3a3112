// SPDX-License-Identifier: MIT
// The landing page: translations, then the server's status and version
// from /healthz (no inline script: the CSP forbids it).
import { init, t } from '/js/i18n.js';

let state = 'unknown';
let version = null;

function render() {
  const status = document.getElementById('status');
  if (status) {
    status.dataset.state = state;
    status.textContent = t(`landing.status.${state}`);
  }
  const v = document.getElementById('version');
  if (v && version) v.textContent = version;
}

async function probe() {
  try {
    const res = await fetch('/healthz', { cache: 'no-store' });
    const body = await res.json();
    state = res.ok && body.status === 'ok' ? 'ok' : 'down';
    if (typeof body.version === 'string') version = body.version;
  } catch (e) {
    state = 'down';
  }
  render();
}

document.addEventListener('tollgate:languagechange', render);
await init();
await probe();
