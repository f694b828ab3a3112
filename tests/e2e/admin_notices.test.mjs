// SPDX-License-Identifier: MIT
// The Notices tab of the Per-user MFA section (#/mfa/notices) pages through
// a tenant's notices in a real browser (run by test_admin_notices.sh with
// TG_E2E_SMTP=1, so the notices are delivered): 53 notices are 50 on the
// first page and 3 on the second, reached with Next over the API's
// @odata.nextLink, every notice once and in the CLI's order; Previous
// shows the first page again; the status filter is kept across pages and
// in the address.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, after } from 'node:test';
import { addAdmin, closeAll, newContext, signInToPortal, tg, tgJson, waitFor, watch } from './admin_lib.mjs';

after(closeAll);

const N = 53;
const PAGE = 50;
const TABLE = '#mfa-notices-table';
const unexpected = (problems) => problems.filter((p) => !/401|403|Failed to load resource/.test(p));

// The data-key (notice id) of each row shown, in order, once the table
// shows `n` rows and its page label reads `label`.
async function shownKeys(page, n, label) {
  await page.waitForFunction(([sel, k, l]) => {
    const trs = document.querySelectorAll(`${sel} tbody tr[data-key]`);
    const info = document.querySelector(`${sel} .paged__info`);
    return trs.length === k && info && info.textContent === l;
  }, [TABLE, n, label]);
  return page.$$eval(`${TABLE} tbody tr[data-key]`, (trs) => trs.map((tr) => tr.dataset.key));
}

test('the Notices tab pages through 53 notices, with the status filter kept', async () => {
  const upns = Array.from({ length: N }, (_, i) => `ntc.user${String(i).padStart(2, '0')}@contoso.test`);
  const csv = join(process.env.TG_DATA, 'notices-users.csv');
  writeFileSync(csv, `userPrincipalName,mail\n${upns.map((u) => `${u},${u}`).join('\n')}\n`);
  tg(['user', 'import', csv]);
  tg(['mfa', 'set', 'enabled', ...upns]);
  const admin = 'nora.notices@contoso.test';
  const secret = addAdmin(admin);        // no address: no notice of her own
  const sent = () => tgJson(['notify', 'list', '--sent', '--limit', '1000']);
  await waitFor(() => sent().length === N, 60000, `${N} notices delivered`);
  const all = tgJson(['notify', 'list', '--limit', '1000']).map((n) => n.id);   // newest first
  assert.equal(all.length, N);

  const ctx = await newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await signInToPortal(page, admin, secret, '#/mfa/notices');
  await page.waitForSelector('#mfa-tab-notices[aria-selected="true"]');
  const table = page.locator(TABLE);
  const next = table.getByRole('button', { name: 'Next page' });
  const prev = table.getByRole('button', { name: 'Previous page' });

  // all statuses: 50, then Next: the 3 older ones; every notice once, in order
  const first = await shownKeys(page, PAGE, 'Page 1');
  assert.ok(await prev.isDisabled());
  assert.ok(await next.isEnabled(), 'Next is offered while the API has a nextLink');
  await next.click();
  const second = await shownKeys(page, N - PAGE, 'Page 2');
  assert.ok(await next.isDisabled(), 'no Next on the last page');
  assert.deepEqual([...first, ...second], all);
  await prev.click();
  assert.deepEqual(await shownKeys(page, PAGE, 'Page 1'), first);

  // the filter asks the server, starts again at page 1, and is kept by Next
  await page.selectOption('#mfa-notices-filter', 'sent');
  assert.deepEqual(await shownKeys(page, PAGE, 'Page 1'), first);
  assert.match(page.url(), /#\/mfa\/notices\?status=sent$/);
  await next.click();
  assert.deepEqual(await shownKeys(page, N - PAGE, 'Page 2'), second);
  const statuses = await page.$$eval(`${TABLE} tbody tr[data-key] [data-status]`,
    (els) => els.map((e) => e.dataset.status));
  assert.deepEqual(statuses, Array(N - PAGE).fill('sent'));
  await page.selectOption('#mfa-notices-filter', 'pending');
  await page.waitForFunction((sel) => !document.querySelector(`${sel} tbody tr[data-key]`) &&
    document.querySelector(`${sel} .paged__info`).textContent === 'Page 1', TABLE);
  assert.ok(await next.isDisabled(), 'nothing pending: no Next');
  assert.match(page.url(), /#\/mfa\/notices\?status=pending$/);
  assert.deepEqual(unexpected(problems), []);
});
