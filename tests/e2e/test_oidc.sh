#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The OpenID Connect provider with a real relying party (npm openid-client)
# and a real browser (Playwright + Debian's chromium) on the sign-in pages.
exec bash "$TG_TEST_SRCDIR/tests/e2e/run.sh" oidc.test.mjs
