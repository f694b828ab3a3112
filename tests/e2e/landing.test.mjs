// SPDX-License-Identifier: MIT
// The landing page in a real browser: loads without CSP violations, shows
// the product name, and switches to Swedish.
// Run by run.sh, which starts a server and sets TG_URL.
import { launch } from './browser.mjs';
import assert from 'node:assert/strict';
import { test, after } from 'node:test';

const base = process.env.TG_URL;
const ctx = await launch();
after(() => ctx.close());

test('landing page renders in English and Swedish without CSP errors', async () => {
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base + '/', { waitUntil: 'networkidle' });
  assert.match(await page.title(), /Tollgate/);
  const body = await page.textContent('body');
  assert.match(body, /Tollgate/);
  const english = await page.textContent('main');
  await page.click('[data-lang="sv"]');
  await page.waitForFunction(() => document.documentElement.lang === 'sv');
  const swedish = await page.textContent('main');
  assert.notEqual(swedish, english, 'the page text changes when switching to Swedish');
  assert.deepEqual(problems, []);
});
