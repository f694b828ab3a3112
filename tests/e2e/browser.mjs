// SPDX-License-Identifier: MIT
// Shared Playwright set-up: Debian's chromium (never a downloaded browser),
// headless, with the flags this closed network needs.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// opts: extra context options (locale, viewport, ...). The profile
// directory is removed when the context closes.
export async function launch(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tg-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    ...opts,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
  // after close() the browser has exited; a leftover file must not fail a test
  const close = ctx.close.bind(ctx);
  ctx.close = async (...args) => {
    await close(...args);
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (e) {
      console.warn(`could not remove ${dir}: ${e.message}`);
    }
  };
  return ctx;
}
