#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser (Playwright + Debian's chromium) through the Notices tab of
# the admin portal's Per-user MFA section: paging over the API's nextLink
# with the status filter (admin_notices.test.mjs), with a real SMTP server
# receiving the notices (TG_E2E_SMTP=1).
TG_E2E_SMTP=1 exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" admin_notices.test.mjs
