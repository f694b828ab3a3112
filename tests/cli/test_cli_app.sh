#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `tollgate app …` and `tollgate mfa revoke-sessions` end to end: built-in
# apps from init (and for tenants made later), confidential apps whose
# secret is printed once and stored only as a digest, public apps, app-only
# apps with permissions — and bad input on every new command: a clear
# message, exit status != 0, nothing changed.
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }

expect 0 "init" -- tg init --domain contoso.test
expect 0 "user add" -- tg user add alice@contoso.test

# --- built-in apps ---------------------------------------------------------
expect 0 "app list" -- tg app list
out_has "Tollgate admin portal (built-in) [privileged]"
out_has "My sign-ins (built-in)"
expect 0 "app show portal" -- tg --json app show 7011a770-0000-4000-8000-000000000001
out_has '"privileged": true'
out_has '"builtIn": true'
out_has '"publicClient": true'
# a tenant created later gets them when apps are first administered
expect 0 "tenant create" -- tg tenant create fabrikam --domain fabrikam.test
expect 0 "app list other tenant" -- tg --tenant fabrikam app list
out_has "Tollgate admin portal"
expect 0 "app list other tenant again" -- tg --tenant fabrikam --json app list
same "$(grep -c '"appId"' "$TMP/out")" 2 "built-in apps created once"

# --- confidential, public, app-only ---------------------------------------------
expect 0 "app add confidential" -- tg --tenant default --json app add "Payroll" \
  --redirect-uri https://payroll.contoso.test/signin --redirect-uri=http://127.0.0.1:8400/cb
out_has '"clientSecret"'
WEB_ID=$(sed -n 's/.*"appId": "\([^"]*\)".*/\1/p' "$TMP/out")
SECRET=$(sed -n 's/.*"clientSecret": "\([^"]*\)".*/\1/p' "$TMP/out")
same "${#SECRET}" 43 "secret length"
expect 0 "app show confidential" -- tg --tenant default --json app show "$WEB_ID"
out_has '"https://payroll.contoso.test/signin"'
out_has '"http://127.0.0.1:8400/cb"'
out_has '"authorization_code"'
if grep -qF -- "$SECRET" "$TMP/out"; then fail "app show prints the secret"; else ok; fi
expect 0 "app show text" -- tg --tenant default app show "$WEB_ID"
out_has "confidential (client secret)"
expect 0 "app add public" -- tg --tenant default app add "Mobile" --public --redirect-uri http://localhost:3000/cb
out_has "public (PKCE required)"
if grep -q "client secret" "$TMP/out"; then fail "a public app got a secret"; else ok; fi
expect 0 "app add text" -- tg --tenant default app add "Intranet" --redirect-uri https://intra.contoso.test/cb --signing-alg RS256
out_has "client secret:"
out_has "shown only now"
expect 0 "app add daemon" -- tg --tenant default --json app add "Sync daemon" --grant client_credentials \
  --permission User.ReadWrite.All --permission AuditLog.Read.All
out_has '"client_credentials"'
out_has '"User.ReadWrite.All"'
DAEMON_ID=$(sed -n 's/.*"appId": "\([^"]*\)".*/\1/p' "$TMP/out")
expect 0 "app add both" -- tg --tenant default --json app add "Portal" --redirect-uri https://p.contoso.test/cb \
  --grant client_credentials --permission User.Read.All
out_has '"authorization_code"'
out_has '"client_credentials"'
expect 0 "app list all" -- tg --tenant default app list
out_has "Payroll"
out_has "Sync daemon"
expect 0 "audit app.create" -- tg --tenant default --json audit list --action app.create
out_has '"Payroll"'

# the secret never reaches the database or the audit log
for f in "$D/tollgate.db" "$D/tollgate.db-wal"; do
  [ -f "$f" ] || continue
  if grep -qaF -- "$SECRET" "$f"; then fail "client secret found in $f"; else ok; fi
done

expect 0 "app delete" -- tg --tenant default app delete "$DAEMON_ID"
out_has "deleted app"
expect 1 "app show deleted" -- tg --tenant default app show "$DAEMON_ID"
err_has "no app with id"

# --- mfa revoke-sessions ------------------------------------------------------
expect 0 "revoke-sessions" -- tg --tenant default mfa revoke-sessions alice@contoso.test
out_has "0 sessions, 0 remembered devices, 0 refresh-token families"
expect 0 "revoke-sessions json" -- tg --tenant default --json mfa revoke-sessions ALICE@contoso.test
out_has '"sessions": 0'
expect 0 "revoke audited" -- tg --tenant default --json audit list --action user.revoke_sessions
same "$(grep -c '"seq"' "$TMP/out")" 2 "two revoke-sessions audit records"

# --- bad input: exit != 0, a message, nothing changed --------------------------
snapshot() {
  for t in default fabrikam; do
    tg --tenant $t --json app list; tg --tenant $t --json audit list --limit 100000 | grep -c '"seq"'
  done
}
BEFORE=$(snapshot)
A="tg --tenant default"
expect 2 "app add no name" -- $A app add
expect 2 "app add two names" -- $A app add One Two --redirect-uri https://a.test/cb
expect 1 "app add no redirect" -- $A app add "X"
err_has "at least one redirect URI"
expect 1 "app add http" -- $A app add "X" --redirect-uri http://evil.test/cb
err_has "http:// is allowed only for 127.0.0.1"
expect 1 "app add fragment" -- $A app add "X" --redirect-uri "https://a.test/cb#x"
err_has "fragment"
expect 1 "app add relative" -- $A app add "X" --redirect-uri /cb
err_has "must start with https://"
expect 1 "app add userinfo" -- $A app add "X" --redirect-uri https://u@a.test/cb
err_has "user information"
expect 1 "app add uppercase" -- $A app add "X" --redirect-uri HTTPS://a.test/cb
err_has "lowercase"
expect 1 "app add duplicate uri" -- $A app add "X" --redirect-uri https://a.test/cb --redirect-uri https://a.test/cb
err_has "given twice"
expect 2 "app add uri without value" -- $A app add "X" --redirect-uri
err_has "needs a value"
expect 2 "app add unknown grant" -- $A app add "X" --grant implicit
err_has "unknown grant type"
expect 1 "app add public daemon" -- $A app add "X" --public --grant client_credentials
err_has "public client cannot use the client_credentials"
expect 1 "app add permission without cc" -- $A app add "X" --redirect-uri https://a.test/cb --permission User.Read.All
err_has "need the client_credentials grant"
expect 1 "app add bad permission" -- $A app add "X" --grant client_credentials --permission "User Read"
err_has "invalid permission"
expect 1 "app add bad alg" -- $A app add "X" --redirect-uri https://a.test/cb --signing-alg HS256
err_has "ES256 or RS256"
expect 2 "app add unknown option" -- $A app add "X" --colour red
err_has "unknown option"
expect 1 "app add empty name" -- $A app add "" --redirect-uri https://a.test/cb
err_has "display name"
expect 2 "app list extra" -- $A app list extra
expect 2 "app show missing" -- $A app show
expect 1 "app show bad id" -- $A app show not-a-uuid
err_has "not an app id"
expect 1 "app show unknown" -- $A app show 00000000-0000-4000-8000-000000000000
err_has "no app with id"
expect 2 "app delete missing" -- $A app delete
expect 2 "app delete extra" -- $A app delete "$WEB_ID" extra
expect 1 "app delete built-in" -- $A app delete 7011a770-0000-4000-8000-000000000001
err_has "built-in app and cannot be deleted"
expect 1 "app delete unknown" -- $A app delete 00000000-0000-4000-8000-000000000000
expect 1 "app delete bad id" -- $A app delete "'; DROP TABLE app; --"
expect 2 "revoke-sessions missing" -- $A mfa revoke-sessions
expect 2 "revoke-sessions extra" -- $A mfa revoke-sessions a@contoso.test b@contoso.test
expect 1 "revoke-sessions unknown user" -- $A mfa revoke-sessions nobody@contoso.test
err_has "nobody@contoso.test"
expect 1 "app list without tenant" -- tg app list
expect 1 "app list no database" -- "$TOLLGATE" --data "$TMP/none" app list
err_has "no database"
TOLLGATE_SESSION_IDLE_MINUTES=0 expect 1 "bad session_idle_minutes" -- $A app list
err_has "session_idle_minutes must be a whole number of minutes from 1 to 1440"
TOLLGATE_SESSION_ABSOLUTE_HOURS=x expect 1 "bad session_absolute_hours" -- $A app list
err_has "session_absolute_hours"
AFTER=$(snapshot)
same "$AFTER" "$BEFORE" "bad input changed nothing"

# --- help ----------------------------------------------------------------------
expect 0 "app help" -- tg app --help
out_has "tollgate app add NAME --redirect-uri URI"
expect 0 "app add help" -- tg app add --help
out_has "127.0.0.1, [::1] or localhost"

finish
