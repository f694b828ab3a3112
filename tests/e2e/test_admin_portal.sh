#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser (Playwright + Debian's chromium) through the admin portal:
# sign-in with MFA as the built-in PKCE client, roles, sign-out, Swedish
# (admin_portal.test.mjs).
exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" admin_portal.test.mjs
