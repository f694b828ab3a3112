#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser (Playwright + Debian's chromium) against the landing page.
exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" landing.test.mjs
