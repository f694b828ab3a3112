#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# examples/graph-mfa-admin.py, a script written against Microsoft Graph's
# documented requests, run against a real Tollgate server with only the
# base URL and the token changed (issue 6). Every change the script makes
# is checked independently with the tollgate CLI: per-user MFA states set
# from the command line and from a CSV (unknown users reported, the rest
# applied, exit 1); users listed across @odata.nextLink pages; security
# defaults switched, and refused with the Graph error (409
# Request_Conflict, exit 1) while per-user MFA is on and while a
# Conditional Access policy is enabled; a require-MFA policy created in
# report-only, switched on, listed and deleted; 401 for a bad token, 403
# for a token without the permission. Then, against a small stub server,
# 429/503 answers are retried after Retry-After (or a pause) and the
# script gives up after a few tries; neither a nextLink to another origin
# nor a redirect is followed with the token.
. "$TG_TEST_SRCDIR/tests/lib.sh"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"
SCRIPT="$TG_TEST_SRCDIR/examples/graph-mfa-admin.py"
gx() { python3 "$SCRIPT" "$@"; }
# state UPN: the per-user MFA state as the CLI sees it
# ("alice@contoso.test: enabled (0 registered methods)")
state() { tg mfa show "$1" | awk '{print $2}'; }
# sd: security defaults as the CLI sees them (enabled/disabled)
sd() { tg security-defaults show | awk '{print $3}'; }
# policy ID MEMBER.PATH: a member of the stored policy as the CLI sees it
policy() { tg --json policy show "$1" | json "$2"; }

# security defaults off: this test sets per-user MFA and policies itself
tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1
for u in alice bob carol dave erin; do
  tg user add "$u@contoso.test" >/dev/null || fail "user add $u"
done

# ---- an app-only token, as the script's header comment says -----------------
read -r APP_ID APP_SECRET <<< "$(newapp mfa-script User.ReadWrite.All Policy.ReadWrite.AuthenticationMethod \
  Policy.ReadWrite.SecurityDefaults Policy.ReadWrite.ConditionalAccess Policy.Read.All)"
[ -n "$APP_SECRET" ] || exit 1
read -r RO_ID RO_SECRET <<< "$(newapp reader User.Read.All)"
[ -n "$RO_SECRET" ] || exit 1

start_server || exit 1
export GRAPH_BASE="$G"
GRAPH_TOKEN=$(token "$APP_ID" "$APP_SECRET" "$GRAPH_BASE/.default")
RO_TOKEN=$(token "$RO_ID" "$RO_SECRET" "$GRAPH_BASE/.default")
export GRAPH_TOKEN
[ -n "$GRAPH_TOKEN" ] && [ -n "$RO_TOKEN" ] && ok || { fail "no tokens"; finish; exit; }

# ---- users: every page followed ---------------------------------------------
expect 0 "users" -- gx users --page-size 2
same "$(wc -l < "$TMP/out")" 6 "users listed over three pages"
for u in admin alice bob carol dave erin; do out_has "$u@contoso.test"; done
same "$(awk -F'\t' '$2=="alice@contoso.test"{print $1}' "$TMP/out")" \
  "$(tg --json user show alice@contoso.test | json id)" "object id of alice"
expect 0 "users with MFA state" -- gx users --mfa-state
same "$(awk -F'\t' '$2=="bob@contoso.test"{print $4}' "$TMP/out")" disabled "bob's state in the list"

# ---- per-user MFA state -------------------------------------------------------
expect 0 "mfa-state set on the command line" -- gx mfa-state set enabled alice@contoso.test bob@contoso.test
out_has "alice@contoso.test	disabled -> enabled"
same "$(state alice@contoso.test)" enabled "alice enabled"
same "$(state bob@contoso.test)" enabled "bob enabled"
same "$(state carol@contoso.test)" disabled "carol untouched"
BOB_ID=$(tg --json user show bob@contoso.test | json id)
expect 0 "mfa-state set by object id" -- gx mfa-state set enforced "$BOB_ID"
same "$(state bob@contoso.test)" enforced "bob enforced by id"
printf 'UserPrincipalName,DisplayName\ncarol@contoso.test,Carol\n\ndave@contoso.test,Dave\nalice@contoso.test,Alice\n' > "$TMP/users.csv"
expect 0 "mfa-state set --dry-run" -- gx mfa-state set enforced --csv "$TMP/users.csv" --dry-run
out_has "carol@contoso.test	disabled -> enforced (dry run)"
same "$(state carol@contoso.test)" disabled "dry run changed nothing"
expect 0 "mfa-state set from a CSV" -- gx mfa-state set enforced --csv "$TMP/users.csv"
err_has "changed 3, unchanged 0, failed 0"
for u in carol dave alice; do same "$(state $u@contoso.test)" enforced "$u enforced from the CSV"; done
expect 0 "mfa-state set again" -- gx mfa-state set enforced alice@contoso.test
out_has "unchanged (enforced)"
expect 1 "mfa-state set with an unknown user" -- gx mfa-state set enabled ghost@contoso.test erin@contoso.test
err_has "HTTP 404 Request_ResourceNotFound"
err_has "ghost@contoso.test"
same "$(state erin@contoso.test)" enabled "the known user is applied"
expect 2 "mfa-state set bad state" -- gx mfa-state set sometimes alice@contoso.test
expect 0 "mfa-state get" -- gx mfa-state get alice@contoso.test erin@contoso.test
out_has "alice@contoso.test	enforced"
out_has "erin@contoso.test	enabled"
tg audit list --action user.mfa_state > "$TMP/audit" 2>&1
grep -q "app:$APP_ID" "$TMP/audit" && ok || fail "state change not audited with the app: $(head -3 "$TMP/audit")"

# ---- security defaults vs per-user MFA ------------------------------------------
expect 0 "security-defaults get" -- gx security-defaults get
out_has "security defaults: disabled"
expect 1 "security defaults refused while per-user MFA is on" -- gx security-defaults set on
err_has "HTTP 409 Request_Conflict"
err_has "per-user MFA"
same "$(sd)" disabled "security defaults stay off"
tg --json user list | python3 -c 'import json,sys
print("userPrincipalName")
for u in json.load(sys.stdin): print(u["userPrincipalName"])' > "$TMP/all.csv"
expect 0 "mfa-state set disabled for all" -- gx mfa-state set disabled --csv "$TMP/all.csv"
for u in alice bob carol dave erin; do same "$(state $u@contoso.test)" disabled "$u disabled"; done

# ---- Conditional Access ----------------------------------------------------------
ADMIN_ID=$(tg --json user show admin@contoso.test | json id)
expect 0 "ca create-require-mfa" -- gx ca create-require-mfa --exclude-user admin@contoso.test
PID=$(cut -f1 < "$TMP/out")
out_has "	enabledForReportingButNotEnforced	"
same "$(policy "$PID" state)" enabledForReportingButNotEnforced "created in report-only"
same "$(policy "$PID" conditions.users.includeUsers)" '["All"]' "all users"
same "$(policy "$PID" conditions.users.excludeUsers)" "[\"$ADMIN_ID\"]" "the admin excluded by object id"
same "$(policy "$PID" conditions.applications.includeApplications)" '["All"]' "all apps"
same "$(policy "$PID" grantControls.builtInControls)" '["mfa"]' "requires MFA"
expect 0 "ca list" -- gx ca list
out_has "$PID	enabledForReportingButNotEnforced	Require multifactor authentication for all users"
expect 1 "ca create with an unknown excluded user" -- gx ca create-require-mfa --exclude-user ghost@contoso.test
err_has "Request_ResourceNotFound"
same "$(tg --json policy list | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))')" 1 \
  "nothing created for the unknown user"

# report-only does not conflict; an enabled policy does
expect 0 "security defaults on beside a report-only policy" -- gx security-defaults set on
out_has "security defaults: enabled"
same "$(sd)" enabled "security defaults on"
expect 1 "switching a policy on under security defaults" -- gx ca set-state "$PID" enabled
err_has "HTTP 409 Request_Conflict"
same "$(policy "$PID" state)" enabledForReportingButNotEnforced "policy stays report-only"
expect 0 "security defaults off" -- gx security-defaults set off
same "$(sd)" disabled "security defaults off"
expect 0 "ca set-state enabled" -- gx ca set-state "$PID" enabled
same "$(policy "$PID" state)" enabled "policy on"
expect 1 "security defaults refused while a policy is enabled" -- gx security-defaults set on
err_has "HTTP 409 Request_Conflict"
err_has "Conditional Access"
same "$(sd)" disabled "security defaults stay off"
expect 0 "ca delete" -- gx ca delete "$PID"
tg policy show "$PID" >/dev/null 2>&1 && fail "policy still stored" || ok
expect 0 "ca list after delete" -- gx ca list
same "$(wc -c < "$TMP/out")" 0 "no policy listed"
expect 1 "ca delete unknown" -- gx ca delete "$PID"
err_has "HTTP 404 Request_ResourceNotFound"
expect 0 "security defaults on once nothing conflicts" -- gx security-defaults set on
same "$(sd)" enabled "security defaults on"
gx security-defaults set off >/dev/null || fail "security defaults off again"

# ---- tokens ---------------------------------------------------------------------
GRAPH_TOKEN=not-a-token expect 1 "bad token" -- gx users
err_has "HTTP 401 InvalidAuthenticationToken"
expect 1 "bad token on a change" -- gx --token "${GRAPH_TOKEN}x" mfa-state set enabled alice@contoso.test
err_has "InvalidAuthenticationToken"
same "$(state alice@contoso.test)" disabled "nothing changed with a bad token"
GRAPH_TOKEN='' expect 2 "no token" -- gx users
err_has "GRAPH_TOKEN"
expect 1 "a token without the permission" -- gx --token "$RO_TOKEN" security-defaults set on
err_has "HTTP 403 Authorization_RequestDenied"
same "$(sd)" disabled "security defaults unchanged by the reader"
expect 0 "the reader may list users" -- gx --token "$RO_TOKEN" users

# ---- retries and origins, against a stub -------------------------------------------
# The stub answers from a script of (status, Retry-After) per request and
# logs "METHOD PATH AUTHORIZATION" per request.
cat > "$TMP/stub.py" <<'EOF'
import http.server, json, sys
port, plan, log = int(sys.argv[1]), sys.argv[2].split(","), open(sys.argv[3], "a")
SD = {"id": "00000000-0000-0000-0000-000000000005", "displayName": "Security Defaults",
      "description": "stub", "isEnabled": True}
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write(f"{self.command} {self.path} {self.headers.get('Authorization')}\n"); log.flush()
        step = plan.pop(0) if plan else "200"
        status, _, after = step.partition(":")
        if self.path.startswith("/t/v1.0/users"):
            body = {"value": [{"id": "1", "userPrincipalName": "a@x.test"}],
                    "@odata.nextLink": "http://localhost:%d/t/v1.0/users?$skiptoken=a" % port}
        elif status == "200":
            body = SD
        else:
            code = {"429": "TooManyRequests", "503": "ServiceUnavailable"}.get(status, "Moved")
            body = {"error": {"code": code, "message": "slow down"}}
        raw = json.dumps(body).encode()
        self.send_response(int(status))
        if after:
            self.send_header("Retry-After", after)
        if status == "302":
            self.send_header("Location", "http://localhost:%d/t/elsewhere" % port)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
EOF
# stub PLAN: start a stub; its base URL in $SB, its log in $TMP/stub.log
stub() {
  local sp
  sp=$(free_port)
  : > "$TMP/stub.log"
  python3 "$TMP/stub.py" "$sp" "$1" "$TMP/stub.log" &
  local pid=$!
  TG_CLEANUPS+=("kill $pid 2>/dev/null; wait $pid 2>/dev/null")
  STUB_PID=$pid
  SB="http://127.0.0.1:$sp/t"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$sp") 2>/dev/null && break
    sleep 0.05
  done
}
stub_stop() { kill "$STUB_PID" 2>/dev/null; wait "$STUB_PID" 2>/dev/null; }

stub "503,429:1,200"
start=$(date +%s)
expect 0 "retried after 503 and 429" -- gx --base "$SB" --token stub-token security-defaults get
end=$(date +%s)
out_has "security defaults: enabled"
err_has "HTTP 503"
err_has "HTTP 429"
err_has "waiting 1 s"
same "$(wc -l < "$TMP/stub.log")" 3 "three tries"
[ $((end - start)) -ge 2 ] && ok || fail "retries did not wait ($((end - start)) s)"
grep -c "Bearer stub-token" "$TMP/stub.log" | grep -qx 3 && ok || fail "token not sent on every try"
stub_stop

stub "429:0,429:0,429:0,429:0,429:0,429:0"
expect 1 "gives up after five tries" -- gx --base "$SB" --token stub-token security-defaults get
err_has "HTTP 429 TooManyRequests: slow down"
same "$(wc -l < "$TMP/stub.log")" 5 "five tries"
stub_stop

stub "200"
expect 1 "a nextLink to another origin is not followed" -- gx --base "$SB" --token stub-token users
err_has "UnexpectedOrigin"
same "$(wc -l < "$TMP/stub.log")" 1 "only the first page was asked for"
stub_stop

stub "302"
expect 1 "a redirect is not followed" -- gx --base "$SB" --token stub-token security-defaults get
err_has "HTTP 302"
same "$(wc -l < "$TMP/stub.log")" 1 "the redirect's target was not asked"
stub_stop

finish
