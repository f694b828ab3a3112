#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser (Playwright + Debian's chromium) through the admin portal's
# policy and log pages: security defaults' conflict, Conditional Access
# templates (report-only), JSON errors at their path, named locations, a
# sign-in's "why MFA" explanation, the audit log, a Security Reader's 403,
# Swedish (admin_policy.test.mjs).
exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" admin_policy.test.mjs
