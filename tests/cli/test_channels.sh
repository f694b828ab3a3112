#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One-time codes delivered through real channels, checked at the receiving
# end: SMTP to an aiosmtpd server started here (To address, language,
# subject, the code in the body), the SMS/voice webhook to a local HTTP
# receiver (JSON fields, bearer secret, Idempotency-Key), retries on 503,
# a gateway that never answers (bounded time), and the SMTP server down:
# a clear error, exit != 0, and nothing lost (an earlier code still works,
# the failed send left no code behind).
. "$TG_TEST_SRCDIR/tests/lib.sh"
H="$TG_TEST_SRCDIR/tests/cli/helpers"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
# Debian's python3 has python3-aiosmtpd (scripts/install-deps); a python3
# earlier on PATH (pyenv) may not.
PY=python3
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
done
"$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is missing: run scripts/install-deps" >&2; exit 1; }

wait_for() { for _ in $(seq 1 100); do [ -e "$1" ] && return 0; sleep 0.05; done; fail "timed out waiting for $1"; return 1; }
start_smtp() {  # PORT OUTDIR
  mkdir -p "$2"; rm -f "$2/ready"
  "$PY" "$H/smtp_sink.py" "$1" "$2" 2>"$2/log" & SMTP_PID=$!
  TG_CLEANUPS+=("kill $SMTP_PID 2>/dev/null")
  wait_for "$2/ready"
}
start_http() {  # PORT OUTFILE [STATUS DELAY FAIL_FIRST]
  rm -f "$2" "$2.ready"
  "$PY" "$H/http_sink.py" "$@" 2>/dev/null & HTTP_PID=$!
  TG_CLEANUPS+=("kill $HTTP_PID 2>/dev/null")
  wait_for "$2.ready"
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# Print the fields of a received message, one "name=value" a line.
show_mail() {
  "$PY" - "$1" <<'EOF'
import email, sys
from email.header import decode_header, make_header
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print("envelope=" + m["X-Envelope-To"])
print("to=" + m["To"])
print("from=" + m["From"])
print("lang=" + m["Content-Language"])
print("subject=" + str(make_header(decode_header(m["Subject"]))))
print("body=" + m.get_payload(decode=True).decode("utf-8").replace("\r\n", " ").replace("\n", " "))
EOF
}
json_field() { "$PY" -c 'import json,sys
v=json.loads(sys.argv[1])
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"; }

# --- set-up -------------------------------------------------------------
expect 0 "init" -- tg init --domain contoso.test
tg user add alice@contoso.test --locale sv >/dev/null
tg user add bob@contoso.test --locale en >/dev/null
expect 0 "alice email" -- tg method add-email alice@contoso.test alice@contoso.test
expect 0 "alice mobile" -- tg method add-phone alice@contoso.test "+46 70 123 45 67"
expect 0 "bob email" -- tg method add-email bob@contoso.test Bob@Contoso.test
SP=$(free_port); HP=$(free_port)
cat > "$D/tollgate.conf" <<EOF
email_channel = smtp
smtp_host = 127.0.0.1
smtp_port = $SP
smtp_tls = none
smtp_from = noreply@contoso.test
smtp_timeout = 5
sms_channel = webhook
voice_channel = webhook
webhook_url = http://127.0.0.1:$HP/gateway
webhook_secret = test-bearer-secret
webhook_timeout_ms = 4000
webhook_retries = 2
EOF

# --- email over real SMTP -----------------------------------------------
M="$TMP/mail"
start_smtp "$SP" "$M"
expect 0 "code send email (sv)" -- tg --json code send alice@contoso.test --channel email
out_has '"transport": "smtp"'
wait_for "$M/msg-1.eml"
show_mail "$M/msg-1.eml" > "$TMP/m1"
grep -qx "envelope=alice@contoso.test" "$TMP/m1" && ok || fail "SMTP envelope recipient"
grep -qx "to=alice@contoso.test" "$TMP/m1" && ok || fail "To header"
grep -qx "from=noreply@contoso.test" "$TMP/m1" && ok || fail "From header"
grep -qx "lang=sv" "$TMP/m1" && ok || fail "Swedish message"
grep -qx "subject=Din verifieringskod" "$TMP/m1" && ok || fail "Swedish subject"
grep -q "body=Hej! .*Din verifieringskod för default är [0-9]\{6\}\." "$TMP/m1" && ok || fail "Swedish body with the code"
CODE1=$(sed -n 's/^body=.* är \([0-9]\{6\}\)\..*/\1/p' "$TMP/m1")
[ ${#CODE1} = 6 ] && ok || fail "no code in the email"

expect 0 "code send email (en)" -- tg code send bob@contoso.test --channel email
wait_for "$M/msg-2.eml"
show_mail "$M/msg-2.eml" > "$TMP/m2"
grep -qx "to=Bob@contoso.test" "$TMP/m2" && ok || fail "To header (bob)"
grep -qx "lang=en" "$TMP/m2" && ok || fail "English message"
grep -qx "subject=Your verification code" "$TMP/m2" && ok || fail "English subject"
CODE2=$(sed -n 's/^body=.* is \([0-9]\{6\}\)\..*/\1/p' "$TMP/m2")
expect 0 "bob's emailed code verifies" -- tg code verify bob@contoso.test "$CODE2"
expect 1 "and only once" -- tg code verify bob@contoso.test "$CODE2"
err_has "already used"

# --- SMTP server down: clear error, nothing lost -------------------------
stop "$SMTP_PID"
SENDS_BEFORE=$(tg --json audit list --action code.send | grep -c '"seq"')
START=$(date +%s)
expect 1 "code send with SMTP down" -- tg code send alice@contoso.test --channel email
err_has "could not send the code by email"
err_has "smtp://127.0.0.1:$SP"
err_has "nothing was used up"
[ $(( $(date +%s) - START )) -le 6 ] && ok || fail "SMTP failure took too long"
SENDS_AFTER=$(tg --json audit list --action code.send | grep -c '"seq"')
same "$SENDS_AFTER" "$SENDS_BEFORE" "a failed send is not recorded as sent"
expect 0 "the code sent before the failure still works" -- tg code verify alice@contoso.test "$CODE1"

# --- SMS and voice through the webhook ------------------------------------
W="$TMP/hook.jsonl"
start_http "$HP" "$W"
expect 0 "code send sms" -- tg --json code send alice@contoso.test --channel sms
out_has '"to": "+46 701234567"'
REQ=$(head -1 "$W")
same "$(json_field "$REQ" body.to)" "+46 701234567" "webhook to"
same "$(json_field "$REQ" body.channel)" "sms" "webhook channel"
same "$(json_field "$REQ" body.locale)" "sv" "webhook locale"
same "$(json_field "$REQ" authorization)" "Bearer test-bearer-secret" "bearer secret"
same "$(json_field "$REQ" contentType)" "application/json" "content type"
same "$(json_field "$REQ" path)" "/gateway" "webhook path"
SMS=$(json_field "$REQ" body.code)
case "$(json_field "$REQ" body.message)" in
  "$SMS är din verifieringskod för default."*) ok ;;
  *) fail "webhook message: $(json_field "$REQ" body.message)" ;;
esac
[ -n "$(json_field "$REQ" idempotencyKey)" ] && ok || fail "no Idempotency-Key"
expect 0 "the SMS code verifies" -- tg code verify alice@contoso.test "$SMS"
expect 0 "code send voice" -- tg code send alice@contoso.test --channel voice
same "$(json_field "$(sed -n 2p "$W")" body.channel)" "voice" "voice channel"
stop "$HTTP_PID"

# a gateway failing once then answering: retried, delivered
start_http "$HP" "$W" 200 0 1
expect 0 "retried after one 503" -- tg code send alice@contoso.test --channel sms
same "$(wc -l < "$W")" "2" "two attempts"
same "$(json_field "$(sed -n 1p "$W")" idempotencyKey)" "$(json_field "$(sed -n 2p "$W")" idempotencyKey)" "same Idempotency-Key on retry"
stop "$HTTP_PID"

# always 503: bounded retries, clear error
start_http "$HP" "$W" 503
expect 1 "gateway answering 503" -- tg code send alice@contoso.test --channel sms
err_has "answered HTTP 503 (attempt 3)"
same "$(wc -l < "$W")" "3" "1 + 2 retries"
stop "$HTTP_PID"

# never answering in time: cut off at webhook_timeout_ms
start_http "$HP" "$W" 200 10
START=$(date +%s%N)
TOLLGATE_WEBHOOK_TIMEOUT_MS=1000 expect 1 "gateway too slow" -- tg code send alice@contoso.test --channel sms
ELAPSED=$(( ($(date +%s%N) - START) / 1000000 ))
err_has "did not answer within 1000 ms"
[ "$ELAPSED" -lt 3000 ] && ok || fail "a slow gateway held the send for $ELAPSED ms"
stop "$HTTP_PID"

# --- configuration errors are clear --------------------------------------
TOLLGATE_SMTP_PORT=0 expect 1 "bad smtp_port from the environment" -- tg code send alice@contoso.test --channel email
err_has "TOLLGATE_SMTP_PORT"
TOLLGATE_SMTP_HOST= expect 1 "smtp without a host" -- tg code send alice@contoso.test --channel email
err_has "smtp_host"
finish
