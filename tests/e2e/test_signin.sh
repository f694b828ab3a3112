#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser (Playwright + Debian's chromium) through the sign-in pages:
# TOTP, registration interrupt, remembered device, trusted IP, CA block,
# Swedish, replay (signin.test.mjs).
exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" signin.test.mjs
