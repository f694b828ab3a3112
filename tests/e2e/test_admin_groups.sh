#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser (Playwright + Debian's chromium) through the admin portal's
# Groups section (admin_groups.test.mjs): create, members, nesting, delete
# refused while a Conditional Access policy names the group, read-only
# roles, paging, Swedish.
exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" admin_groups.test.mjs
