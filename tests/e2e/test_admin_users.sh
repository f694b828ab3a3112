#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser (Playwright + Debian's chromium) through the admin portal's
# Users and Per-user MFA sections (admin_users.test.mjs), with a real SMTP
# server receiving the notices sent when MFA is enabled (TG_E2E_SMTP=1).
TG_E2E_SMTP=1 exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" admin_users.test.mjs
