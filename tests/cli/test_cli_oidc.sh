#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `tollgate key signing` and `tollgate key rotate-signing`: a tenant's
# token signing keys made on first use, rotation of one or both algorithms
# with the previous key still published, a ring that refuses to grow past
# its limit, keys that are sealed (no private key in the database), one
# tenant's rotation leaving another's alone — and bad input.
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }

expect 0 "init" -- tg init --domain contoso.test
expect 0 "tenant create" -- tg tenant create fabrikam --domain fabrikam.test

# made on first use: one current ES256 and one RS256 key
expect 0 "key signing" -- tg --tenant default key signing
out_has "ES256"
out_has "RS256"
same "$(grep -c current "$TMP/out")" 2 "two current keys"
ES_OLD=$(awk '$1=="ES256" {print $2}' "$TMP/out")
RS_OLD=$(awk '$1=="RS256" {print $2}' "$TMP/out")
same "${#ES_OLD}" 43 "kid length (RFC 7638 thumbprint)"
expect 0 "other tenant" -- tg --tenant fabrikam --json key signing
FAB=$(grep -o '"kid": "[^"]*"' "$TMP/out" | head -1)

# rotate one algorithm
expect 0 "rotate RS256" -- tg --tenant default key rotate-signing --alg RS256
out_has "RS256: new key"
out_has "previous key $RS_OLD stays published until"
expect 0 "key signing after" -- tg --tenant default key signing
out_has "$RS_OLD"
out_has "$ES_OLD"
same "$(grep -c previous "$TMP/out")" 1 "one previous key"
same "$(awk '$1=="ES256" && $3=="current" {print $2}' "$TMP/out")" "$ES_OLD" "ES256 untouched"

# rotate both, JSON
expect 0 "rotate both" -- tg --tenant default --json key rotate-signing
out_has '"alg": "ES256"'
out_has '"alg": "RS256"'
out_has "\"previousKid\": \"$ES_OLD\""
out_has '"previousPublishedUntil"'
expect 0 "audited" -- tg --tenant default audit list --action oidc.signing_keys
out_has "oidc.signing_keys.rotate"
out_has "oidc.signing_keys.create"

# faster than tokens expire, the ring (16 keys) fills up: refused, unchanged
for _ in 1 2 3 4 5 6 7; do tg --tenant default key rotate-signing >/dev/null 2>&1; done
expect 1 "ring full" -- tg --tenant default key rotate-signing
err_has "full"
expect 0 "still usable" -- tg --tenant default key signing

# the other tenant's keys did not change
expect 0 "other tenant again" -- tg --tenant fabrikam --json key signing
same "$(grep -o '"kid": "[^"]*"' "$TMP/out" | head -1)" "$FAB" "fabrikam untouched"

# sealed at rest: no PKCS #8 key in clear in the setting row
ROW=$(sqlite3 "$D/tollgate.db" "SELECT value FROM setting WHERE key='oidc.signing_keys' LIMIT 1")
same "$(printf '%s' "$ROW" | base64 -d 2>/dev/null | head -c 4)" "TGSK" "sealed ring format"
if printf '%s' "$ROW" | base64 -d 2>/dev/null | grep -qa "BEGIN PRIVATE KEY"; then
  fail "a private key in clear"; else ok; fi

# bad input
expect 2 "unknown alg" -- tg --tenant default key rotate-signing --alg HS256
err_has "ES256 or RS256"
expect 2 "none" -- tg --tenant default key rotate-signing --alg none
expect 2 "stray argument" -- tg --tenant default key signing extra
expect 1 "unknown tenant" -- tg --tenant nosuch key signing
finish
