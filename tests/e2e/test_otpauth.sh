#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop: the otpauth:// URI printed by `tollgate method add-app` is parsed
# by a widely used authenticator library (npm "otpauth"), and the codes it
# produces are accepted by `method activate` and `method verify`.
. "$TG_TEST_SRCDIR/tests/lib.sh"
E2E="$TG_TEST_SRCDIR/tests/e2e"
if [ ! -d "$E2E/node_modules/otpauth" ]; then
  echo "tests/e2e/node_modules/otpauth is missing: run scripts/install-deps" >&2
  exit 1
fi
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
app() { (cd "$E2E" && node otpauth_code.mjs "$@"); }

expect 0 "init" -- tg init --domain contoso.test
tg user add "alice.andersson@contoso.test" >/dev/null
expect 0 "add-app" -- tg --json method add-app alice.andersson@contoso.test
ID=$(field id < "$TMP/out"); URI=$(field otpauthUri < "$TMP/out"); SECRET=$(field secret < "$TMP/out")
# The codes below are for the previous, current and next 30 s step; on a
# loaded machine the node start-ups between them take seconds, so begin
# early in a step or a step boundary could push the first code out of the
# ±1 window (a flake seen under parallel ctest).
python3 -c 'import time; s = time.time() % 30; time.sleep(30.5 - s if s > 8 else 0)'
app "$URI" -30 > "$TMP/parsed" || fail "otpauth could not parse $URI"
same "$(field issuer < "$TMP/parsed")" "default" "issuer"
same "$(field label < "$TMP/parsed")" "alice.andersson@contoso.test" "label"
same "$(field algorithm < "$TMP/parsed")" "SHA1" "algorithm"
same "$(field digits < "$TMP/parsed")" "6" "digits"
same "$(field period < "$TMP/parsed")" "30" "period"
same "$(field secret < "$TMP/parsed")" "$SECRET" "secret"
expect 0 "activate with the library's code" -- tg method activate alice.andersson@contoso.test "$ID" "$(field code < "$TMP/parsed")"
expect 0 "verify the library's current code" -- tg method verify alice.andersson@contoso.test "$(app "$URI" | field code)"
CODE=$(app "$URI" 30 | field code)
expect 0 "verify the library's next code" -- tg method verify alice.andersson@contoso.test "$CODE"
expect 1 "and not twice" -- tg method verify alice.andersson@contoso.test "$CODE"
err_has "verification code already used once"
finish
