#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Authentication methods through the tollgate CLI on a fresh data directory:
# an authenticator app registered and activated with codes from oathtool
# (interop), replay refused, enabled -> enforced; hardware tokens imported
# from Entra's CSV (bad rows reported by line, nothing applied), activated
# with SHA-256/60 s oathtool codes; the 5-method limit; phone and email
# methods and codes through the default file outbox; recovery codes; app
# passwords; account unlock; require-re-register; key rotation; and bad
# input on every command: a clear message, exit != 0, nothing changed.
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
jget() { python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if k.isdigit() else v[k]
print(v)' "$1"; }
totp() { oathtool --totp -b -N "@$(( $(date +%s) + ${2:-0} ))" "$1"; }
totp256() { oathtool --totp=sha256 -s 60s -b -N "@$(( $(date +%s) + ${2:-0} ))" "$1"; }

# --- set-up -------------------------------------------------------------
expect 0 "init" -- tg init --domain contoso.test
for u in alice bob carol; do tg user add "$u@contoso.test" >/dev/null; done
expect 0 "alice enabled" -- tg mfa set enabled alice@contoso.test

# --- authenticator app, codes from oathtool -------------------------------
expect 0 "add-app" -- tg --json method add-app alice@contoso.test --qr "$TMP/qr.svg"
APP_ID=$(jget id < "$TMP/out"); SECRET=$(jget secret < "$TMP/out")
jget otpauthUri < "$TMP/out" | grep -q "^otpauth://totp/default:alice@contoso.test?secret=$SECRET&issuer=default&algorithm=SHA1&digits=6&period=30$" && ok || fail "otpauth URI"
[ "$(stat -c %a "$TMP/qr.svg")" = 600 ] && ok || fail "QR file is not 0600"
grep -q '^<svg ' "$TMP/qr.svg" && ok || fail "QR code is not SVG"
expect 1 "pending app cannot verify" -- tg method verify alice@contoso.test "$(totp "$SECRET")"
expect 0 "mfa state still enabled" -- tg --json mfa show alice@contoso.test
out_has '"enabled"'
# previous, current and next step codes follow: start early in a 30 s step
# so a step boundary cannot fall inside the sequence on a loaded machine
python3 -c 'import time; s = time.time() % 30; time.sleep(30.5 - s if s > 20 else 0)'
expect 0 "activate with oathtool's code (previous step)" -- tg method activate alice@contoso.test "$APP_ID" "$(totp "$SECRET" -30)"
expect 0 "registration completed: enforced" -- tg --json mfa show alice@contoso.test
out_has '"enforced"'
C=$(totp "$SECRET")
expect 0 "oathtool's current code accepted" -- tg method verify alice@contoso.test "$C"
expect 1 "the same code again refused" -- tg method verify alice@contoso.test "$C"
err_has "verification code already used once"
expect 0 "the next step's code accepted (window +1)" -- tg method verify alice@contoso.test "$(totp "$SECRET" 30)"
expect 0 "method list" -- tg --json method list alice@contoso.test
out_has '"kind": "softwareOath"'
out_has '"status": "active"'
grep -q "$SECRET" "$TMP/out" && fail "method list shows the secret" || ok

# --- hardware tokens: Entra CSV --------------------------------------------
HWS=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA   # 32 bytes
cat > "$TMP/bad.csv" <<EOF
upn,serial number,secret key,time interval,manufacturer,model
bob@contoso.test,T-1,$HWS,60,Contoso,HardwareKey
ghost@contoso.test,T-2,$HWS,30,Contoso,HardwareKey
bob@contoso.test,T-3,abc!,30,Contoso,HardwareKey
bob@contoso.test,T-4,$HWS,90,Contoso,HardwareKey
bob@contoso.test,T-1,$HWS,30,Contoso,HardwareKey
EOF
expect 1 "token import with bad rows" -- tg token import "$TMP/bad.csv"
err_has "line 3: T-2: no user ghost@contoso.test"
err_has "line 4: T-3: the secret key must be Base32"
err_has "line 5: T-4: the time interval must be 30 or 60"
err_has "line 6: serial number T-1 appears again (first on line 2)"
err_has "4 bad rows: nothing was imported"
expect 0 "token list empty" -- tg --json token list
same "$(cat "$TMP/out")" "[]" "nothing imported"
printf 'upn,serial\nbob@contoso.test,T-9\n' > "$TMP/hdr.csv"
expect 1 "token import bad header" -- tg token import "$TMP/hdr.csv"
err_has "line 1"
cat > "$TMP/good.csv" <<EOF
upn,serial number,secret key,time interval,manufacturer,model,hash function
bob@contoso.test,T-1,$HWS,60,Contoso,HardwareKey,hmacsha256
Helga@contoso.test,T-2,2234567abcdef2234567abcdef,60,Contoso,HardwareKey,
EOF
tg user add helga@contoso.test >/dev/null
expect 0 "token import --dry-run" -- tg token import "$TMP/good.csv" --dry-run
out_has "2 tokens checked, nothing imported"
expect 0 "token import" -- tg --json token import "$TMP/good.csv"
out_has '"imported": 2'
expect 0 "token list" -- tg token list
out_has "T-1"
out_has "assigned"
expect 1 "token activate: someone else's serial" -- tg token activate alice@contoso.test T-1 "$(totp256 "$HWS")"
expect 1 "token activate: wrong algorithm's code" -- tg token activate bob@contoso.test T-1 "$(oathtool --totp -s 60s -b "$HWS")"
expect 0 "token activate (SHA-256, 60 s) with oathtool's code" -- tg token activate bob@contoso.test T-1 "$(totp256 "$HWS" -60)"
expect 0 "token list" -- tg --json token list
out_has '"status": "activated"'
out_has '"hashFunction": "SHA256"'
expect 0 "token code verifies" -- tg method verify bob@contoso.test "$(totp256 "$HWS")"

# at most 5 apps and tokens per user (a pending app is replaced by the next
# registration, so these are activated)
for i in 1 2 3 4; do
  tg --json method add-app carol@contoso.test > "$TMP/app$i" || fail "add-app $i"
  tg method activate carol@contoso.test "$(jget id < "$TMP/app$i")" "$(totp "$(jget secret < "$TMP/app$i")")" >/dev/null || fail "activate app $i"
done
ROWS="upn,serial number,secret key,time interval,manufacturer,model"
printf '%s\ncarol@contoso.test,C-1,%s,30,C,M\ncarol@contoso.test,C-2,%s,30,C,M\n' "$ROWS" "$HWS" "$HWS" > "$TMP/five.csv"
expect 1 "a sixth OATH method is refused" -- tg token import "$TMP/five.csv"
err_has "line 3: C-2: carol@contoso.test would have more than 5"
head -2 "$TMP/five.csv" > "$TMP/fifth.csv"
expect 0 "the fifth is fine" -- tg token import "$TMP/fifth.csv"

# --- phone and email methods, codes through the outbox ----------------------
expect 0 "add-phone" -- tg --json method add-phone alice@contoso.test "+46 (0)70-123 45 67"
out_has '"phoneNumber": "+46 701234567"'
out_has '"phoneType": "mobile"'
expect 0 "add office phone" -- tg method add-phone alice@contoso.test "+46 8 123 456 x12" --type office
expect 0 "add-email" -- tg method add-email alice@contoso.test alice@contoso.test
expect 0 "code send sms (outbox)" -- tg code send alice@contoso.test --channel sms
out_has "through outbox"
[ "$(stat -c %a "$D/outbox.jsonl")" = 600 ] && ok || fail "outbox is not 0600"
CODE=$(tail -1 "$D/outbox.jsonl" | jget code)
expect 1 "wrong code" -- tg code verify alice@contoso.test 000000x
expect 0 "code verify" -- tg code verify alice@contoso.test "$CODE"
expect 1 "code single use" -- tg code verify alice@contoso.test "$CODE"
err_has "already used"

# --- recovery codes ----------------------------------------------------------
expect 0 "recovery-codes regenerate" -- tg --json recovery-codes regenerate alice@contoso.test
R0=$(jget recoveryCodes.0 < "$TMP/out"); R1=$(jget recoveryCodes.1 < "$TMP/out")
expect 0 "recovery code works" -- tg recovery-codes verify alice@contoso.test "$R0"
out_has "9 left"
expect 1 "recovery code only once" -- tg recovery-codes verify alice@contoso.test "$R0"
err_has "already used"
expect 0 "regenerate again" -- tg recovery-codes regenerate alice@contoso.test
out_has "shown only now"
expect 1 "old recovery codes stop working" -- tg recovery-codes verify alice@contoso.test "$R1"

# --- app passwords ----------------------------------------------------------
expect 1 "app passwords are off by default" -- tg app-password create alice@contoso.test --name Outlook
err_has "turned off for this tenant"
expect 0 "allow app passwords (MFA service settings)" -- tg settings set allow-app-passwords true
expect 0 "app-password create" -- tg app-password create alice@contoso.test --name Outlook
grep -Eq '^    [a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$' "$TMP/out" && ok || fail "app password not grouped"
AP=$(grep -E '^    [a-z]{4} ' "$TMP/out" | tr -d ' ')
expect 0 "app-password list" -- tg --json app-password list alice@contoso.test
AP_ID=$(jget 0.id < "$TMP/out")
out_has '"name": "Outlook"'
grep -q "$AP" "$TMP/out" && fail "list shows the password" || ok
grep -q "argon2" "$TMP/out" && fail "list shows the hash" || ok
expect 0 "second app password" -- tg app-password create alice@contoso.test --name Phone
expect 0 "app-password delete" -- tg app-password delete alice@contoso.test "$AP_ID"
expect 0 "app-password delete-all" -- tg --json app-password delete-all alice@contoso.test
out_has '"deleted": 1'
expect 0 "a third app password" -- tg app-password create alice@contoso.test --name Mail
expect 0 "turn creation off" -- tg settings set allow-app-passwords false
expect 1 "creation refused when turned off" -- tg app-password create alice@contoso.test --name Later
err_has "turned off for this tenant"
expect 0 "existing ones are still listed" -- tg --json app-password list alice@contoso.test
out_has '"name": "Mail"'

# --- lockout and unlock -----------------------------------------------------
for i in 1 2 3; do tg method verify helga@contoso.test 123456 >/dev/null 2>&1; done
# the 3rd failure starts a 2 s back-off, each further one doubles it; on a
# loaded machine 2 s may pass before the next command runs, so try until
# one lands inside a back-off (well before the lockout at 10)
backed_off=no
for i in 1 2 3 4; do
  if ! tg method verify helga@contoso.test 123456 >/dev/null 2>"$TMP/backoff.err" &&
     grep -Eq "wait [0-9]+ seconds?" "$TMP/backoff.err"; then backed_off=yes; break; fi
done
same "$backed_off" yes "back-off after 3 failures"
expect 0 "account unlock" -- tg account unlock helga@contoso.test
out_has "it was locked out"
expect 1 "after unlock the code is checked again" -- tg method verify helga@contoso.test 123456
err_has "no active authenticator app"
expect 0 "unlock is audited" -- tg --json audit list --action account.unlock
out_has "helga@contoso.test"

# --- bad input on every command: exit != 0, nothing changed ------------------
snapshot() { for u in alice bob carol; do tg --json method list "$u@contoso.test"; done; tg --json token list; tg --json audit list --limit 100000 | grep -c '"seq"'; }
BEFORE=$(snapshot)
expect 2 "method list missing upn" -- tg method list
expect 1 "method list unknown user" -- tg method list ghost@contoso.test
err_has "no user ghost@contoso.test"
expect 2 "method delete missing id" -- tg method delete alice@contoso.test
expect 1 "method delete unknown id" -- tg method delete alice@contoso.test 11111111-2222-4333-8444-555555555555
expect 1 "method delete another user's method" -- tg method delete bob@contoso.test "$APP_ID"
expect 2 "method activate missing code" -- tg method activate alice@contoso.test "$APP_ID"
expect 1 "method activate: already active" -- tg method activate alice@contoso.test "$APP_ID" 123456
err_has "already active"
expect 1 "method add-phone bad number" -- tg method add-phone alice@contoso.test 0701234567
err_has "+CC NUMBER"
expect 2 "method add-phone bad type" -- tg method add-phone alice@contoso.test "+46 701234567" --type pager
expect 1 "method add-phone: second mobile" -- tg method add-phone alice@contoso.test "+46 709999999"
err_has "already has a mobile phone number"
expect 1 "method add-phone: alternateMobile needs a mobile" -- tg method add-phone carol@contoso.test "+46 709999999" --type alternateMobile
expect 1 "method add-email bad address" -- tg method add-email bob@contoso.test "bob at contoso"
expect 1 "method add-email: second email" -- tg method add-email alice@contoso.test other@contoso.test
expect 2 "method add-app extra argument" -- tg method add-app alice@contoso.test extra
expect 1 "method add-app: 5 already" -- tg method add-app carol@contoso.test
err_has "the most allowed"
expect 2 "method verify missing code" -- tg method verify alice@contoso.test
expect 2 "code send without --channel" -- tg code send alice@contoso.test
expect 2 "code send bad channel" -- tg code send alice@contoso.test --channel fax
expect 1 "code send: no email method" -- tg code send bob@contoso.test --channel email
err_has "has no email method"
expect 2 "token import missing file" -- tg token import
expect 1 "token import unreadable file" -- tg token import "$TMP/nope.csv"
expect 1 "token activate unknown serial" -- tg token activate bob@contoso.test NOPE 123456
expect 2 "token list extra" -- tg token list extra
expect 2 "app-password create without --name" -- tg app-password create alice@contoso.test
expect 1 "app-password delete unknown" -- tg app-password delete alice@contoso.test 11111111-2222-4333-8444-555555555555
expect 1 "recovery-codes verify: none" -- tg recovery-codes verify bob@contoso.test aaaaa-bbbbb
expect 2 "account unlock missing upn" -- tg account unlock
expect 2 "key rotate extra" -- tg key rotate now
AFTER=$(snapshot)
same "$AFTER" "$BEFORE" "bad input changed nothing"

# --- require re-register ------------------------------------------------------
expect 0 "require-reregister" -- tg --json method require-reregister bob@contoso.test
out_has '"deactivated": 1'
expect 1 "deactivated token refused" -- tg method verify bob@contoso.test "$(totp256 "$HWS")"
expect 0 "require-reregister alice" -- tg method require-reregister alice@contoso.test
out_has "3 methods deleted"
expect 0 "alice keeps her email method" -- tg --json method list alice@contoso.test
out_has '"kind": "email"'
grep -q '"softwareOath"\|"phone"' "$TMP/out" && fail "app or phone survived" || ok

expect 0 "a deactivated token is activated again" -- tg token activate bob@contoso.test T-1 "$(totp256 "$HWS" 60)"

# --- key rotation ---------------------------------------------------------
expect 0 "key rotate" -- tg --json key rotate
out_has '"generation": 2'
out_has '"failed": 0'
grep -q '^key 2 ' "$D/master.key" && ok || fail "no generation 2 in master.key"
grep -q '^key 1 ' "$D/master.key" && ok || fail "generation 1 was dropped"
[ "$(stat -c %a "$D/master.key")" = 600 ] && ok || fail "master.key is not 0600 after rotation"
# Entra's sample secret (helga's pending token) opens after re-sealing
HELGA=2234567abcdef2234567abcdef
expect 0 "activate a re-sealed token" -- tg token activate helga@contoso.test T-2 "$(oathtool --totp -s 60s -b "$HELGA")"
expect 0 "its next code verifies" -- tg method verify helga@contoso.test "$(oathtool --totp -s 60s -b -N "@$(( $(date +%s) + 60 ))" "$HELGA")"
expect 0 "key rotate --reseal-only" -- tg key rotate --reseal-only
out_has "0 secrets re-sealed"
same "$(sqlite3 "$D/tollgate.db" "SELECT count(*) FROM audit WHERE action IN ('key.rotate','key.reseal')")" "2" "rotation audited"
finish
