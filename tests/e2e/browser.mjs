// SPDX-License-Identifier: MIT
// Shared Playwright set-up: Debian's chromium (never a downloaded browser),
// headless, with the flags this closed network needs.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// opts: extra context options (locale, viewport, ...).
export async function launch(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tg-chromium-'));
  return chromium.launchPersistentContext(dir, {
    ...opts,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
}
