#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The sign-in JSON API and the legacy endpoint with curl against the real
# server: CSRF (token and Origin), content type, oversized and malformed
# bodies, steps out of order, bad codes, open-redirect attempts — each a
# clear Graph-shaped error, never a crash; the client IP (a spoofed
# X-Forwarded-For from a non-proxy is ignored, a trusted proxy's is used);
# legacy clients over HTTP Basic (password for disabled/enabled, app
# password for enforced, CA block 53003, security defaults 530035);
# lockout after repeated failures.
. "$TG_TEST_SRCDIR/tests/lib.sh"
command -v oathtool >/dev/null || { echo "oathtool is missing: run scripts/install-deps" >&2; exit 1; }
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
json() { python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d=d[int(k)] if isinstance(d,list) else d.get(k) if isinstance(d,dict) else None
print("" if d is None else d)' "$1"; }
PW='Corr3ct-Horse-Battery'

# security defaults off: this test sets per-user MFA and policies itself
tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1
adduser() { printf '%s\n' "$PW" | tg user add "$1" --password-stdin >/dev/null; [ "${2:-}" ] && tg mfa set "$2" "$1" >/dev/null; }
addapp() { # prints the secret; activated with the previous step's code
  tg --json method add-app "$1" > "$TMP/app.json"
  tg method activate "$1" "$(json id < "$TMP/app.json")" "$(oathtool --totp -b "$(json secret < "$TMP/app.json")" -N 'now - 30 seconds')" >/dev/null
  json secret < "$TMP/app.json"
}

start_server() { # start_server NAME [config text]: sets URL and SPID
  local port; port=$(free_port)
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" > "$TMP/$1.conf"; fi
  "$TOLLGATE" --data "$D" ${2:+--config "$TMP/$1.conf"} serve --listen "127.0.0.1:$port" 2>>"$TMP/$1.log" &
  local pid=$!
  SPID=$pid
  TG_CLEANUPS+=("kill $pid 2>/dev/null; wait $pid 2>/dev/null")
  URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
}
start_server main
MAIN=$URL
MAIN_PID=$SPID
API="$MAIN/default/api/signin"
ORIGIN="Origin: $MAIN"
CT='Content-Type: application/json'

# req METHOD URL [curl args…]: status in $S, body in $TMP/body
req() {
  local m=$1 u=$2; shift 2
  S=$(curl -s -o "$TMP/body" -w '%{http_code}' -X "$m" "$@" "$u")
}
body_has() { if grep -qF -- "$1" "$TMP/body"; then ok; else fail "body lacks '$1' (status $S): $(head -c 300 "$TMP/body")"; fi; }
status() { same "$S" "$1" "$2"; }
# begin JAR [json]: a fresh sign-in; the CSRF token in $CSRF
begin() {
  rm -f "$1"
  req POST "$API/begin" -c "$1" -H "$ORIGIN" -H "$CT" -d "${2:-{\}}"
  CSRF=$(json csrf < "$TMP/body")
}
step() { # step JAR PATH JSON [extra curl args]
  local jar=$1 path=$2 data=$3; shift 3
  req POST "$API/$path" -b "$jar" -c "$jar" -H "$ORIGIN" -H "$CT" -H "X-CSRF-Token: $CSRF" -d "$data" "$@"
}

adduser alice@contoso.test
adduser erik@contoso.test enforced
ERIK=$(addapp erik@contoso.test)

# ---- happy path, then the shape of every answer ---------------------------
begin "$TMP/j1"
status 200 "begin"
body_has '"state":"password"'
grep -q 'tg_session' "$TMP/j1" && ok || fail "begin sets the tg_session cookie"
grep -q '#HttpOnly_' "$TMP/j1" && ok || fail "the session cookie is HttpOnly"
step "$TMP/j1" password "{\"username\":\"alice@contoso.test\",\"password\":\"$PW\"}"
status 200 "password"; body_has '"state":"done"'

# ---- CSRF: Origin and token ------------------------------------------------
req POST "$API/begin" -H "$CT" -d '{}'
status 403 "begin without Origin"; body_has CsrfOriginMismatch
req POST "$API/begin" -H "Origin: https://evil.example" -H "$CT" -d '{}'
status 403 "begin from another origin"; body_has CsrfOriginMismatch
begin "$TMP/j2"
req POST "$API/password" -b "$TMP/j2" -H "$ORIGIN" -H "$CT" -d "{\"username\":\"alice@contoso.test\",\"password\":\"$PW\"}"
status 403 "password without the CSRF token"; body_has CsrfTokenInvalid
req POST "$API/password" -b "$TMP/j2" -H "$ORIGIN" -H "$CT" -H "X-CSRF-Token: AAAA${CSRF:4}" -d "{\"username\":\"alice@contoso.test\",\"password\":\"$PW\"}"
status 403 "password with a wrong CSRF token"; body_has CsrfTokenInvalid
req POST "$API/password" -b "$TMP/j2" -H "Origin: http://evil.example" -H "$CT" -H "X-CSRF-Token: $CSRF" -d "{\"username\":\"alice@contoso.test\",\"password\":\"$PW\"}"
status 403 "password with the token but a wrong Origin"; body_has CsrfOriginMismatch
req POST "$API/password" -H "$ORIGIN" -H "$CT" -H "X-CSRF-Token: $CSRF" -d '{}'
status 400 "no session cookie"; body_has SessionExpired
# another session's token does not fit this session
begin "$TMP/j3"; OTHER=$CSRF; begin "$TMP/j2"
req POST "$API/password" -b "$TMP/j2" -H "$ORIGIN" -H "$CT" -H "X-CSRF-Token: $OTHER" -d "{\"username\":\"alice@contoso.test\",\"password\":\"$PW\"}"
status 403 "a token of another session"; body_has CsrfTokenInvalid

# ---- bodies -----------------------------------------------------------------
begin "$TMP/j2"
req POST "$API/password" -b "$TMP/j2" -H "$ORIGIN" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/x-www-form-urlencoded' -d 'username=alice'
status 415 "a form body"; body_has UnsupportedMediaType
step "$TMP/j2" password '{"username":'
status 400 "malformed JSON"; body_has Request_BadRequest
step "$TMP/j2" password '["alice"]'
status 400 "a JSON array"; body_has Request_BadRequest
step "$TMP/j2" password '{"username":"a","username":"b","password":"x"}'
status 400 "duplicate keys"
step "$TMP/j2" password '{"username":42,"password":"x"}'
status 400 "a number where a string belongs"
python3 -c 'import json;print(json.dumps({"username":"alice@contoso.test","password":"x"*9000}))' > "$TMP/big.json"
step "$TMP/j2" password "@$TMP/big.json"
status 413 "a 9 KB body"; body_has Request_EntityTooLarge
head -c 2000000 /dev/zero | tr '\0' 'a' > "$TMP/huge"
step "$TMP/j2" password "@$TMP/huge"
status 413 "a 2 MB body"
step "$TMP/j2" password '{"username":"alice@contoso.test","password":"a\u0000b"}'
status 400 "a NUL inside a string"
curl -fs "$MAIN/healthz" >/dev/null && ok || fail "the server is still up"

# ---- order of steps, bad codes -----------------------------------------------
begin "$TMP/j4"
step "$TMP/j4" verify '{"method":"appCode","code":"123456"}'
status 409 "verify before the password"; body_has InvalidState
step "$TMP/j4" password "{\"username\":\"erik@contoso.test\",\"password\":\"$PW\"}"
status 200 "erik's password"; body_has '"state":"mfa"'; body_has '"appCode"'
step "$TMP/j4" password "{\"username\":\"erik@contoso.test\",\"password\":\"$PW\"}"
status 409 "the password step twice"; body_has InvalidState
step "$TMP/j4" verify '{"method":"appCode","code":"000000"}'
status 400 "a wrong code"; body_has AADSTS50074
step "$TMP/j4" verify '{"method":"appCode","code":"abc"}'
status 400 "letters as a code"
step "$TMP/j4" verify "{\"method\":\"appCode\",\"code\":\"$(printf '1%.0s' $(seq 1 100))\"}"
status 400 "a 100-digit code"
step "$TMP/j4" verify '{"method":"sms","code":"123456"}'
status 400 "a method the user does not have"
step "$TMP/j4" verify '{"method":"carrier-pigeon","code":"123456"}'
status 400 "an unknown method"
CODE=$(oathtool --totp -b "$ERIK")
step "$TMP/j4" verify "{\"method\":\"appCode\",\"code\":\"$CODE\"}"
status 200 "the right code"; body_has '"state":"done"'; body_has '"mfa":true'
# the old session id stopped working at the rotation (new id per step)
begin "$TMP/j5"
step "$TMP/j5" password "{\"username\":\"erik@contoso.test\",\"password\":\"$PW\"}"
step "$TMP/j5" verify "{\"method\":\"appCode\",\"code\":\"$CODE\"}"
status 400 "the same code in a second sign-in"; body_has CodeAlreadyUsed; body_has "already used once"
tg --json signins list --user erik@contoso.test --limit 1 > "$TMP/log.json"
same "$(json value.0.status.errorCode < "$TMP/log.json")" "50074" "the replay is logged as 50074"
grep -q 'verification code already used once' "$TMP/log.json" && ok || fail "the log says why"

# rotation: the cookie from before the password step no longer works
begin "$TMP/j6"; cp "$TMP/j6" "$TMP/j6.old"
step "$TMP/j6" password "{\"username\":\"alice@contoso.test\",\"password\":\"$PW\"}"
req GET "$API/state" -b "$TMP/j6.old"
body_has '"state":"none"'
req GET "$API/state" -b "$TMP/j6"
body_has '"state":"done"'

# ---- return: no open redirects -------------------------------------------------
for bad in 'https://evil.example/' '//evil.example/default/oauth2/v2.0/authorize?x' \
           '/other/oauth2/v2.0/authorize?x' '/default/oauth2/v2.0/token?x' '/default/oauth2/v2.0/authorize?a=b c'; do
  rm -f "$TMP/j7"
  req POST "$API/begin" -c "$TMP/j7" -H "$ORIGIN" -H "$CT" -d "{\"return\":\"$bad\"}"
  status 400 "return $bad"
done
RET='/default/oauth2/v2.0/authorize?client_id=x&state=abc'
begin "$TMP/j7" "{\"return\":\"$RET\"}"
status 200 "a relative /authorize return"
CSRF=$(json csrf < "$TMP/body")
step "$TMP/j7" password "{\"username\":\"alice@contoso.test\",\"password\":\"$PW\",\"return\":\"$RET\"}"
same "$(json next < "$TMP/body")" "$RET" "done answers with the return URL"
req POST "$MAIN/nosuchtenant/api/signin/begin" -H "$ORIGIN" -H "$CT" -d '{}'
status 404 "an unknown tenant"
req POST "$API/begin" -H "$ORIGIN" -H "$CT" -d '{"client_id":"00000000-1111-2222-3333-444444444444"}'
status 400 "an unknown client_id"
req GET "$MAIN/default/signin/"
status 200 "the page"
grep -q 'js/signin.js' "$TMP/body" && ok || fail "the page loads signin.js"

# ---- client IP: X-Forwarded-For only from a trusted proxy ----------------------
tg settings set trusted-ips 10.0.0.0/8 >/dev/null
begin "$TMP/j8"
step "$TMP/j8" password "{\"username\":\"erik@contoso.test\",\"password\":\"$PW\"}" -H 'X-Forwarded-For: 10.9.9.9' -H 'Forwarded: for=10.9.9.9'
body_has '"state":"mfa"'   # the spoofed header was ignored: no trusted-IP skip
tg --json signins list --user erik@contoso.test --limit 1 > "$TMP/log.json"
same "$(json value.0.ipAddress < "$TMP/log.json")" "127.0.0.1" "the log has the peer address"
printf 'trusted_proxies = 10.0.0.0/8, bogus\n' > "$TMP/bad.conf"
expect 1 "a bad trusted_proxies value" -- "$TOLLGATE" --data "$D" --config "$TMP/bad.conf" user list
err_has "trusted_proxies must be CIDR ranges"
start_server proxied "trusted_proxies = 127.0.0.1/32, ::1"
API2="$URL/default/api/signin"
rm -f "$TMP/j9"
S=$(curl -s -o "$TMP/body" -w '%{http_code}' -c "$TMP/j9" -H "Origin: $URL" -H "$CT" -d '{}' "$API2/begin")
CSRF=$(json csrf < "$TMP/body")
S=$(curl -s -o "$TMP/body" -w '%{http_code}' -b "$TMP/j9" -c "$TMP/j9" -H "Origin: $URL" -H "$CT" -H "X-CSRF-Token: $CSRF" \
    -H 'X-Forwarded-For: 203.0.113.7, 10.9.9.9' \
    -d "{\"username\":\"erik@contoso.test\",\"password\":\"$PW\"}" "$API2/password")
body_has '"state":"done"'   # from a trusted proxy: 10.9.9.9 is the client, a trusted IP
tg --json signins list --user erik@contoso.test --limit 1 > "$TMP/log.json"
same "$(json value.0.ipAddress < "$TMP/log.json")" "10.9.9.9" "the log has the forwarded address"
grep -q 'skipped due to location' "$TMP/log.json" && ok || fail "skipped due to location"
tg settings set trusted-ips none >/dev/null

# ---- legacy clients over HTTP Basic ---------------------------------------------
LEG="$MAIN/default/legacy/basic"
basic() { req "${3:-GET}" "$LEG" -u "$1:$2" "${@:4}"; }
adduser dora@contoso.test                 # disabled (per-user MFA)
adduser ella@contoso.test enabled
adduser fred@contoso.test enforced
basic dora@contoso.test "$PW"
status 200 "legacy: password for a disabled-state user"; body_has '"allow":true'
basic ella@contoso.test "$PW" POST -H 'X-Tollgate-Protocol: IMAP'
status 200 "legacy: password for an enabled user"
tg --json signins list --user ella@contoso.test --limit 1 > "$TMP/log.json"
same "$(json value.0.clientAppUsed < "$TMP/log.json")" "IMAP" "clientAppUsed names the protocol"
basic fred@contoso.test "$PW"
status 403 "legacy: password for an enforced user"; body_has AADSTS50076
tg settings set allow-app-passwords true >/dev/null
APW=$(tg app-password create fred@contoso.test --name mail | grep -oE '[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}' | head -1)
[ -n "$APW" ] && ok || fail "an app password was created"
basic fred@contoso.test "$APW" GET -H 'X-Tollgate-Protocol: EAS'
status 200 "legacy: the app password for an enforced user"; body_has '"clientAppUsed":"Exchange ActiveSync"'
basic fred@contoso.test "${APW// /}"
status 200 "legacy: the app password without spaces"
basic alice@contoso.test "$APW"
status 401 "legacy: fred's app password for alice"; body_has AADSTS50126
basic alice@contoso.test "$PW"
status 200 "legacy: alice's password (clears her failure counters)"
curl -s -o "$TMP/body" -D "$TMP/hdr" -u alice@contoso.test:wrong "$LEG"
body_has AADSTS50126
grep -qi '^WWW-Authenticate: Basic' "$TMP/hdr" && ok || fail "a Basic challenge"
req GET "$LEG"
status 401 "legacy: no credentials"
req GET "$LEG" -H 'Authorization: Basic !!!notbase64'
status 401 "legacy: malformed Basic credentials"
req GET "$LEG" -H "Authorization: Basic $(printf 'no-colon' | base64)"
status 401 "legacy: credentials without a colon"
basic alice@contoso.test "$PW" GET -H 'X-Tollgate-Protocol: CARRIERPIGEON'
status 400 "legacy: an unknown protocol"
# the app password is never accepted by the browser flow
begin "$TMP/ja"
step "$TMP/ja" password "{\"username\":\"fred@contoso.test\",\"password\":\"$APW\"}"
status 400 "an app password in the browser"; body_has AADSTS50126

# Conditional Access: block legacy authentication (53003)
ALICE=$(tg --json user show alice@contoso.test | json id)
printf '%s' '{"displayName":"Block legacy","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]},"clientAppTypes":["exchangeActiveSync","other"]},"grantControls":{"operator":"OR","builtInControls":["block"]}}' > "$TMP/pol.json"
tg --json policy create "$TMP/pol.json" > "$TMP/pol.out" || fail "policy create"
basic dora@contoso.test "$PW"
status 403 "legacy under a CA block"; body_has AADSTS53003
tg policy delete "$(json id < "$TMP/pol.out")" >/dev/null || fail "policy delete"

# security defaults: legacy blocked for everyone, app passwords included (530035)
tg security-defaults enable --disable-per-user-mfa >/dev/null || fail "security defaults on"
basic dora@contoso.test "$PW"
status 403 "legacy under security defaults"; body_has AADSTS530035
basic fred@contoso.test "$APW"
status 403 "an app password under security defaults"; body_has AADSTS530035
tg security-defaults disable >/dev/null

# ---- lockout ---------------------------------------------------------------------
adduser lisa@contoso.test
locked=0
for i in $(seq 1 8); do
  begin "$TMP/jl"
  step "$TMP/jl" password '{"username":"lisa@contoso.test","password":"wrong"}'
  [ "$S" = 429 ] && { locked=1; break; }
done
same "$locked" 1 "repeated failures are slowed down (429)"
body_has AADSTS50053
# unknown users get the same treatment (no enumeration by lockout)
locked=0
for i in $(seq 1 8); do
  begin "$TMP/jl"
  step "$TMP/jl" password '{"username":"nobody@contoso.test","password":"wrong"}'
  [ "$S" = 429 ] && { locked=1; break; }
done
same "$locked" 1 "an unknown user is slowed down the same way"
curl -fs "$MAIN/healthz" >/dev/null && ok || fail "the server is still up at the end"
kill -TERM "$MAIN_PID"; wait "$MAIN_PID"; same "$?" 0 "the server stops cleanly"
cp "$TMP/main.log" /tmp/main-san.log; grep -E "Corr3ct|Sanitizer|runtime error" "$TMP/main.log" && fail "the log holds a password or a sanitizer report" || ok
finish
