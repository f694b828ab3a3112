#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# "Users are told" (issue 6 item 4) end to end: an app-only admin token
# turns per-user MFA on for users through the admin API (PATCH
# requirements, the bulk endpoint, $batch) while the mail server hangs;
# every request answers at once and the notices wait, retried by the
# `serve` worker; once a real SMTP server (aiosmtpd) listens, exactly one
# email per user told arrives, to the right address, in the user's
# language (Swedish / English), with the sign-in address and no code.
# No email for an unchanged state, for enabled → enforced, for a user
# without an address, for a denied request, or while the tenant has
# notices off; one more for a new change. `notify list` shows pending,
# failed attempts and sent; `notify run` delivers on demand; SIGTERM stops
# the worker cleanly. GET /tollgate/v1/mfaNotices shows the same list to
# administrators (pending with the last error, then sent; the status
# filter; 400 / 401 / 403) and pages through it: $top=2 / 4 walk every
# notice once in the CLI's order, with and without the status filter (kept
# in each @odata.nextLink), no nextLink on the last page, a bad $top or a
# tampered $skiptoken is a 400 in Graph's shape, and a nextLink does not
# let a token without the permission in.
. "$TG_TEST_SRCDIR/tests/lib.sh"
H="$TG_TEST_SRCDIR/tests/cli/helpers"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"
PY=python3
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
done
"$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is missing: run scripts/install-deps" >&2; exit 1; }
wait_for() { # wait_for SECONDS COMMAND…: until the command succeeds
  local n=$(( $1 * 10 )); shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
  return 1
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
show_mail() {
  "$PY" - "$1" <<'EOF'
import email, sys
from email.header import decode_header, make_header
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print("envelope=" + m["X-Envelope-To"])
print("lang=" + m["Content-Language"])
print("msgid=" + m["Message-ID"])
print("subject=" + str(make_header(decode_header(m["Subject"]))))
print("body=" + m.get_payload(decode=True).decode("utf-8").replace("\r\n", " ").replace("\n", " "))
EOF
}

# --- set-up ---------------------------------------------------------------
tg init --domain contoso.test >/dev/null || { fail "init"; finish; exit 1; }
tg user add alice@contoso.test --name "Alice Andersson" --email alice@mail.test --locale sv >/dev/null
tg user add bob@contoso.test --name "Bob Brown" --email bob@mail.test --locale en >/dev/null
tg user add carol@contoso.test --locale sv >/dev/null
tg method add-email carol@contoso.test carol.private@mail.test >/dev/null   # the fallback address
tg user add dave@contoso.test >/dev/null                                   # no address at all
tg user add erin@contoso.test --email erin@mail.test >/dev/null
read -r RW_ID RW_SECRET <<< "$(newapp rw User.ReadWrite.All Policy.ReadWrite.AuthenticationMethod)"
read -r RO_ID RO_SECRET <<< "$(newapp ro User.Read.All)"
read -r AU_ID AU_SECRET <<< "$(newapp au AuditLog.Read.All)"
SP=$(free_port)
cat > "$D/tollgate.conf" <<EOF
email_channel = smtp
smtp_host = 127.0.0.1
smtp_port = $SP
smtp_tls = none
smtp_from = noreply@contoso.test
smtp_timeout = 2
notify_retry_seconds = 1
EOF

# a mail server that accepts connections and never answers
"$PY" -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); open(sys.argv[2], "w").close()
conns=[]
while True: c,_=s.accept(); conns.append(c)' "$SP" "$TMP/hang.ready" & HANG=$!
TG_CLEANUPS+=("kill $HANG 2>/dev/null")
wait_for 5 test -e "$TMP/hang.ready" || fail "the hanging mail server did not start"

start_server
RW=$(token "$RW_ID" "$RW_SECRET")
RO=$(token "$RO_ID" "$RO_SECRET")
AU=$(token "$AU_ID" "$AU_SECRET")
[ -n "$RW" ] && [ -n "$RO" ] && [ -n "$AU" ] && ok || fail "no tokens"
# notices_of STATUS: the UPNs in the API's answer ($TMP/body) with that status, sorted
notices_of() { "$PY" -c 'import json,sys
print(" ".join(sorted(n["userPrincipalName"] for n in json.load(sys.stdin)["value"] if n["status"]==sys.argv[1])))' "$1" < "$TMP/body"; }
fast() { "$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 1.0 else 1)' "$SECS" && ok || fail "$1 took $SECS s"; }
REQ=authentication/requirements

# --- turning MFA on while the mail server hangs -----------------------------
req "$RW" PATCH "/beta/users/alice@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enabled"}'
same "$S" 204 "PATCH enabled"
fast "PATCH with the mail server hanging"
# the worker is now stuck in alice's delivery (up to smtp_timeout): the
# admin's next requests do not wait for it
sleep 0.5
req "$RW" POST /tollgate/v1/perUserMfa/bulk -H "$CT" \
  -d '{"perUserMfaState":"enabled","users":["bob@contoso.test","carol@contoso.test","dave@contoso.test"]}'
same "$S" 200 "bulk enable"
same "$(json changed < "$TMP/body")" 3 "bulk changed"
fast "bulk with the mail server hanging"
req "$RO" PATCH "/beta/users/erin@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enabled"}'
same "$S" 403 "User.Read.All cannot turn MFA on"
tg --json notify list > "$TMP/all.json"
same "$("$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))' < "$TMP/all.json")" 3 \
  "three notices queued (dave has no address, erin was denied)"
tg --json audit list --action user.mfa_state --target dave@contoso.test > "$TMP/dave.json"
grep -q "not emailed: the user has no email address" "$TMP/dave.json" && ok || fail "dave's audit does not say he was not told"
failed_attempt() { tg --json notify list --pending > "$TMP/pending.json" && grep -q lastError "$TMP/pending.json"; }
wait_for 10 failed_attempt || fail "no failed attempt recorded while the mail server hangs"
grep -q "timed out\|Timeout\|could not deliver" "$TMP/pending.json" && ok || fail "lastError: $(head -c 400 "$TMP/pending.json")"
same "$("$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))' < "$TMP/pending.json")" 3 "all three still pending"
grep -q "attempt 1 failed, retrying" "$TMP/server.log" && ok || fail "the failure is not logged"
# the admin API shows the same: pending, with the last error
req "$RO" GET /tollgate/v1/mfaNotices
status 200 "mfaNotices (User.Read.All)"
same "$(notices_of pending)" "alice@contoso.test bob@contoso.test carol@contoso.test" "API: three pending"
same "$(count < "$TMP/body")" 3 "API: three notices in all"
body_has '"lastError":"'
body_has '"address":"carol.private@mail.test"'
body_has '"kind":"mfaRegister"'
body_has '"sentDateTime":null'
body_has '"@odata.context":'
body_lacks '@odata.nextLink'
same "$(json value.0.userPrincipalName < "$TMP/body")" "carol@contoso.test" "API: newest first"
ALICE_ID=$(tg --json user show alice@contoso.test | json id)
"$PY" -c 'import json,sys
v=[n for n in json.load(sys.stdin)["value"] if n["userPrincipalName"]=="alice@contoso.test"][0]
assert v["userId"]==sys.argv[1] and v["attempts"]>=1 and v["nextAttemptDateTime"] and v["createdDateTime"].endswith("Z"), v' \
  "$ALICE_ID" < "$TMP/body" && ok || fail "API: alice's notice: $(head -c 600 "$TMP/body")"
req "$RO" GET "/tollgate/v1/mfaNotices?\$filter=status%20eq%20'sent'"
status 200 "mfaNotices filter sent"
same "$(count < "$TMP/body")" 0 "API: none sent yet"
req "$RO" GET "/tollgate/v1/mfaNotices?\$top=1&\$select=status"
status 200 "mfaNotices top 1"
same "$(count < "$TMP/body")" 1 "API: \$top=1"
body_lacks '"address"'
req "$RO" GET "/tollgate/v1/mfaNotices?\$filter=status%20eq%20'lost'"
status 400 "mfaNotices bad status"
same "$(json error.code < "$TMP/body")" Request_BadRequest "bad status: Graph error code"
body_has "status eq 'pending', 'sent' or 'failed'"
req "$RO" GET "/tollgate/v1/mfaNotices?\$filter=kind%20eq%20'mfaRegister'"
status 400 "mfaNotices filter on another property"
req "$RO" GET "/tollgate/v1/mfaNotices?\$skiptoken=x"
status 400 "mfaNotices bad skiptoken"
req "$RO" GET "/tollgate/v1/mfaNotices?\$top=1000"
status 400 "mfaNotices \$top over 999"
req "$AU" GET /tollgate/v1/mfaNotices
status 403 "mfaNotices with AuditLog.Read.All only"
same "$(json error.code < "$TMP/body")" Authorization_RequestDenied "403: Graph error code"
req "" GET /tollgate/v1/mfaNotices
status 401 "mfaNotices without a token"

# --- the mail server comes back: the worker delivers ------------------------
stop "$HANG"
M="$TMP/mail"
mkdir -p "$M"
"$PY" "$H/smtp_sink.py" "$SP" "$M" 2>"$TMP/smtp.log" & SMTP=$!
TG_CLEANUPS+=("kill $SMTP 2>/dev/null")
wait_for 5 test -e "$M/ready" || fail "aiosmtpd did not start"
wait_for 40 test -e "$M/msg-3.eml" || fail "three emails did not arrive: $(ls "$M")"
sleep 1.5   # nothing more should come
same "$(ls "$M" | grep -c '\.eml$')" 3 "exactly three emails"
for f in "$M"/msg-*.eml; do show_mail "$f"; echo; done > "$TMP/mails"
mail_of() { "$PY" - "$TMP/mails" "$1" <<'EOF'
import sys
for block in open(sys.argv[1]).read().split("\n\n"):
    if ("envelope=" + sys.argv[2] + "\n") in block + "\n":
        print(block)
EOF
}
mail_of alice@mail.test > "$TMP/a"
grep -qx "lang=sv" "$TMP/a" && ok || fail "alice: not Swedish"
grep -qx "subject=Konfigurera multifaktorautentisering vid nästa inloggning" "$TMP/a" && ok || fail "alice: subject"
grep -q "body=Hej Alice Andersson! .*för ditt konto alice@contoso.test" "$TMP/a" && ok || fail "alice: greeting"
grep -q "Microsoft Authenticator" "$TMP/a" && ok || fail "alice: what to have ready"
grep -q "  $U/default/signin/ " "$TMP/a" && ok || fail "alice: sign-in address"
mail_of bob@mail.test > "$TMP/b"
grep -qx "lang=en" "$TMP/b" && ok || fail "bob: not English"
grep -qx "subject=Set up multifactor authentication at your next sign-in" "$TMP/b" && ok || fail "bob: subject"
grep -q "body=Hello Bob Brown, .*authenticator app, such as Microsoft Authenticator" "$TMP/b" && ok || fail "bob: body"
mail_of carol.private@mail.test > "$TMP/c"
grep -qx "lang=sv" "$TMP/c" && ok || fail "carol (email method address): not Swedish or not sent"
if grep -q "dave" "$TMP/mails"; then fail "dave was emailed without an address"; else ok; fi
if grep -qE "[0-9]{6}" <(grep '^body=' "$TMP/mails" | sed 's#http://[^ ]*##g'); then fail "a code-like number in a notice"; else ok; fi
ID_A=$(tg --json notify list | "$PY" -c 'import json,sys
print([n["id"] for n in json.load(sys.stdin) if n["userPrincipalName"]=="alice@contoso.test"][0])')
grep -q "msgid=<$ID_A@contoso.test>" "$TMP/a" && ok || fail "Message-ID is not the notice id"
tg --json notify list --sent > "$TMP/sent.json"
same "$("$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))' < "$TMP/sent.json")" 3 "three sent"
req "$RW" GET "/tollgate/v1/mfaNotices?\$filter=status%20eq%20'sent'"
status 200 "mfaNotices sent"
same "$(notices_of sent)" "alice@contoso.test bob@contoso.test carol@contoso.test" "API: three sent"
body_has '"lastError":null'
body_has '"nextAttemptDateTime":null'
"$PY" -c 'import json,sys; assert all(n["sentDateTime"] for n in json.load(sys.stdin)["value"])' \
  < "$TMP/body" && ok || fail "API: sentDateTime missing"
req "$RW" GET "/tollgate/v1/mfaNotices?\$filter=status%20eq%20'pending'"
same "$(count < "$TMP/body")" 0 "API: none pending"
expect 0 "nothing pending" -- tg --json notify list --pending
same "$(tr -d ' \n' < "$TMP/out")" "[]" "pending list empty"

# --- no second email for an unchanged state, nor for enabled → enforced -----
req "$RW" PATCH "/beta/users/alice@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enabled"}'
same "$S" 204 "PATCH unchanged"
req "$RW" PATCH "/beta/users/alice@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enforced"}'
same "$S" 204 "PATCH enforced"
# --- one more for a new change (through $batch) -----------------------------
req "$RW" PATCH "/beta/users/bob@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"disabled"}'
same "$S" 204 "bob disabled"
req "$RW" POST '/v1.0/$batch' -H "$CT" -d '{"requests":[{"id":"1","method":"PATCH",
  "url":"/beta/users/bob@contoso.test/authentication/requirements","headers":{"Content-Type":"application/json"},
  "body":{"perUserMfaState":"enforced"}}]}'
same "$S" 200 "batch"
same "$(json responses.0.status < "$TMP/body")" 204 "batch enforce bob"
wait_for 15 test -e "$M/msg-4.eml" || fail "no email for bob's new change"
sleep 1.5
same "$(ls "$M" | grep -c '\.eml$')" 4 "exactly one more email"
show_mail "$M/msg-4.eml" > "$TMP/b2"
grep -qx "envelope=bob@mail.test" "$TMP/b2" && ok || fail "the fourth email is not bob's"

# --- the tenant turns notices off -------------------------------------------
expect 0 "notify disable" -- tg notify disable
out_has "no longer told"
req "$RW" PATCH "/beta/users/erin@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enabled"}'
same "$S" 204 "erin enabled"
sleep 1.5
same "$(ls "$M" | grep -c '\.eml$')" 4 "no email while notices are off"
tg --json audit list --action notify.settings > "$TMP/ns.json"
grep -q 'mfaEnabled\\":false' "$TMP/ns.json" && ok || fail "turning notices off is not audited"
expect 0 "notify enable" -- tg notify enable

# --- SIGTERM stops the worker and the server cleanly ------------------------
kill -TERM "$SPID"
wait "$SPID"; same "$?" 0 "serve exit status after SIGTERM"
grep -q "stopped" "$TMP/server.log" && ok || fail "no clean stop in the log"

# --- `notify run` delivers on demand (no server) ----------------------------
tg user add frank@contoso.test --email frank@mail.test --locale sv >/dev/null
tg mfa set enforced frank@contoso.test >/dev/null 2>&1
expect 0 "notify run" -- tg --json notify run
same "$(json sent < "$TMP/out")" 1 "notify run sent one"
wait_for 5 test -e "$M/msg-5.eml" || fail "frank's email did not arrive"
expect 0 "notify run again: nothing due" -- tg --json notify run
same "$(json sent < "$TMP/out")" 0 "nothing more"
stop "$SMTP"
tg user add gina@contoso.test --email gina@mail.test >/dev/null
tg mfa set enabled gina@contoso.test >/dev/null 2>&1
expect 1 "notify run with the mail server down" -- tg --json notify run
same "$(json retrying < "$TMP/out")" 1 "kept for a retry"
expect 0 "failed attempt listed" -- tg notify list --pending
out_has "gina@contoso.test"
out_has "last error: could not deliver the email"
expect 2 "notify list: one filter" -- tg notify list --pending --failed
expect 2 "notify list: bad limit" -- tg notify list --limit 0
expect 2 "notify run: bad max" -- tg notify run --max 5000
TOLLGATE_NOTIFY_RETRY_SECONDS=0 expect 1 "bad notify_retry_seconds" -- tg notify list
err_has "TOLLGATE_NOTIFY_RETRY_SECONDS"
# --- the admin's list pages (6 notices: 5 sent, gina's pending) -------------
start_server
RO=$(token "$RO_ID" "$RO_SECRET")
AU=$(token "$AU_ID" "$AU_SECRET")
[ -n "$RO" ] && [ -n "$AU" ] && ok || fail "no tokens after the restart"
tg --json notify list > "$TMP/cli.json"
cli_ids() { # cli_ids [STATUS]: the CLI's notice ids, newest first
  "$PY" -c 'import json,sys
print(" ".join(n["id"] for n in json.load(sys.stdin) if len(sys.argv) < 2 or n["status"] == sys.argv[1]))' "$@" < "$TMP/cli.json"; }
same "$(cli_ids | wc -w)" 6 "six notices in the CLI's list"
# walk TOKEN URL [FILTER]: follow @odata.nextLink from URL; prints the ids
# in order, then "pages=N"; fails when a page is not 200 or empty, a
# nextLink drops the $filter, or there are more than 20 pages
walk() {
  "$PY" - "$@" <<'PYEOF'
import json, sys, urllib.request
tok, url = sys.argv[1], sys.argv[2]
flt = sys.argv[3] if len(sys.argv) > 3 else None
ids, pages = [], 0
while url:
    pages += 1
    if pages > 20: sys.exit("more than 20 pages")
    rq = urllib.request.Request(url, headers={"Authorization": "Bearer " + tok})
    with urllib.request.urlopen(rq) as r:
        d = json.load(r)
    if not d["value"]: sys.exit("an empty page")
    ids += [n["id"] for n in d["value"]]
    url = d.get("@odata.nextLink")
    if url and flt and "$filter=" + flt not in url: sys.exit("the filter is lost: " + url)
print(" ".join(ids))
print("pages=%d" % pages)
PYEOF
}
NL="$G/tollgate/v1/mfaNotices"
walk "$RO" "$NL?\$top=2" > "$TMP/walk" && ok || fail "walk \$top=2"
same "$(head -1 "$TMP/walk")" "$(cli_ids)" "\$top=2: every notice once, newest first"
same "$(tail -1 "$TMP/walk")" "pages=3" "\$top=2: three pages for six"
walk "$RO" "$NL?\$top=4" > "$TMP/walk" && ok || fail "walk \$top=4"
same "$(head -1 "$TMP/walk")" "$(cli_ids)" "\$top=4: every notice once"
same "$(tail -1 "$TMP/walk")" "pages=2" "\$top=4: two pages"
walk "$RO" "$NL?\$top=2&\$filter=status%20eq%20%27sent%27" "status%20eq%20%27sent%27" > "$TMP/walk" &&
  ok || fail "walk sent"
same "$(head -1 "$TMP/walk")" "$(cli_ids sent)" "sent, \$top=2: the five sent, in order"
same "$(tail -1 "$TMP/walk")" "pages=3" "sent, \$top=2: pages of 2, 2, 1"
walk "$RO" "$NL?\$top=1&\$filter=status%20eq%20%27pending%27" > "$TMP/walk" && ok || fail "walk pending"
same "$(head -1 "$TMP/walk")" "$(cli_ids pending)" "pending: gina's only"
same "$(tail -1 "$TMP/walk")" "pages=1" "pending, \$top=1: one page, no nextLink"
# the nextLink itself
req "$RO" GET "/tollgate/v1/mfaNotices?\$top=5&\$select=status&\$filter=status%20eq%20'sent'"
status 200 "mfaNotices top 5 of 5 sent"
same "$(count < "$TMP/body")" 5 "five sent on one page"
body_lacks '@odata.nextLink'
req "$RO" GET "/tollgate/v1/mfaNotices?\$top=4&\$select=status&\$filter=status%20eq%20'sent'"
LINK=$(nextlink < "$TMP/body")
case "$LINK" in
  "$G/tollgate/v1/mfaNotices?\$top=4&\$filter=status%20eq%20%27sent%27&\$select=status&\$skiptoken="?*) ok ;;
  *) fail "nextLink: $LINK" ;;
esac
SKIP=${LINK##*skiptoken=}
req "$RO" GET "/tollgate/v1/mfaNotices?\$top=4&\$select=status&\$filter=status%20eq%20'sent'&\$skiptoken=$SKIP"
status 200 "the second page"
same "$(count < "$TMP/body")" 1 "the fifth sent notice"
same "$(json value.0.id < "$TMP/body")" "$(cli_ids sent | awk '{print $5}')" "the fifth is the oldest sent"
body_lacks '"address"'
body_lacks '@odata.nextLink'
# a nextLink does not let a token without the permission in
req "$AU" GET "/tollgate/v1/mfaNotices?\$top=4&\$skiptoken=$SKIP"
status 403 "a nextLink with AuditLog.Read.All only"
# bad $top, tampered $skiptoken: 400 in Graph's shape
for top in 0 1000 -1 abc 2x; do
  req "$RO" GET "/tollgate/v1/mfaNotices?\$top=$top"
  status 400 "\$top=$top"
  same "$(json error.code < "$TMP/body")" Request_BadRequest "\$top=$top: Graph error code"
  body_has '$top must be between 1 and 999'
done
for bad in "x" "123" "123." ".5" "${SKIP}x" "${SKIP%%.*}.0" "${SKIP%%.*}.-3" "a${SKIP}" \
           "${SKIP%%.*}.99999999999999999999" "%20"; do
  req "$RO" GET "/tollgate/v1/mfaNotices?\$top=2&\$skiptoken=$bad"
  status 400 "skiptoken '$bad'"
  same "$(json error.code < "$TMP/body")" Request_BadRequest "skiptoken '$bad': Graph error code"
  body_has 'Invalid $skiptoken'
done
req "$RO" GET "/tollgate/v1/mfaNotices?\$skiptoken="
status 400 "an empty skiptoken"
# a well-formed cursor older than every notice: an empty last page
req "$RO" GET "/tollgate/v1/mfaNotices?\$skiptoken=1.1"
status 200 "a cursor before every notice"
same "$(count < "$TMP/body")" 0 "nothing older"
body_lacks '@odata.nextLink'
finish
