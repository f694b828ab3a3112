#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real browser: the `make run` path — init's defaults (security defaults
# on), the first administrator's first sign-in to the admin portal
# (admin_first_run.test.mjs).
export TG_E2E_SECURITY_DEFAULTS=1
exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" admin_first_run.test.mjs
