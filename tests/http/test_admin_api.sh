#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Graph-shaped admin API (docs/admin-api.md) against the real server
# with app-only tokens (client_credentials) of apps granted chosen
# application permissions: users list/get/create/update/delete with
# $filter, $top, $select and @odata.nextLink paging through 10,000 users;
# per-user MFA state GET/PATCH and the Tollgate bulk form; the Graph error
# shape with the JSON path; 401 without a Bearer token (Basic refused);
# 403 Authorization_RequestDenied at each permission boundary.
. "$TG_TEST_SRCDIR/tests/lib.sh"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"

# security defaults off: this test sets per-user MFA and policies itself
tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1

read -r RW_ID RW_SECRET <<< "$(newapp rw User.ReadWrite.All Policy.ReadWrite.AuthenticationMethod)"
read -r RO_ID RO_SECRET <<< "$(newapp ro User.Read.All)"
read -r NO_ID NO_SECRET <<< "$(newapp none AuditLog.Read.All)"
read -r SD_ID SD_SECRET <<< "$(newapp sd Policy.ReadWrite.SecurityDefaults)"

start_server || exit 1

RW=$(token "$RW_ID" "$RW_SECRET")
RO=$(token "$RO_ID" "$RO_SECRET")
NO=$(token "$NO_ID" "$NO_SECRET")
SD=$(token "$SD_ID" "$SD_SECRET")
[ -n "$RW" ] && [ -n "$RO" ] && [ -n "$NO" ] && ok || fail "no tokens"

# ---- authentication ----
req "" GET /v1.0/users
status 401 "no token"
S=$(curl -s -o "$TMP/body" -D "$TMP/hdr" -w '%{http_code}' -H 'Authorization: Bearer nope' "$G/v1.0/users")
same "$S" 401 "bad token"
body_has '"code":"InvalidAuthenticationToken"'
grep -qi 'WWW-Authenticate: Bearer.*invalid_token' "$TMP/hdr" && ok || fail "no invalid_token challenge"
S=$(curl -s -o /dev/null -w '%{http_code}' -u "admin@contoso.test:whatever" "$G/v1.0/users")
same "$S" 401 "Basic refused"

# ---- users ----
req "$RW" POST /v1.0/users -H "$CT" \
  -d '{"accountEnabled":true,"displayName":"Alice","mailNickname":"alice","userPrincipalName":"alice@contoso.test","passwordProfile":{"forceChangePasswordNextSignIn":true,"password":"Corr3ct-Horse-Battery"}}'
status 201 "create"
body_has '"userPrincipalName":"alice@contoso.test"'
body_has '"@odata.context"'
ALICE=$(json id < "$TMP/body")
req "$RW" POST /v1.0/users -H "$CT" -d '{"userPrincipalName":"alice@contoso.test"}'
status 400 "duplicate"
body_has '"code":"Request_BadRequest"'
req "$RW" POST /v1.0/users -H "$CT" -d '{"userPrincipalName":"bob@contoso.test","passwordProfile":{"pasword":"x"}}'
status 400 "unknown member"
body_has 'passwordProfile.pasword'
req "$RW" POST /v1.0/users -H "$CT" -d '{"userPrincipalName":"bob@contoso.test","accountEnabled":"yes"}'
status 400 "wrong type"
body_has 'accountEnabled'
req "$RW" POST /v1.0/users -H "$CT" -d '{"userPrincipalName":'
status 400 "broken JSON"
body_has '"innerError"'
req "$RW" POST /v1.0/users -d 'userPrincipalName=x'
status 415 "form body"
# invalid UTF-8 and oversized bodies are refused before anything is stored
printf '{"userPrincipalName":"bad\xff\xfe@contoso.test","displayName":"x"}' > "$TMP/bad-utf8.json"
req "$RW" POST /v1.0/users -H "$CT" --data-binary @"$TMP/bad-utf8.json"
status 400 "invalid UTF-8 in a JSON body"
body_has '"code":"Request_BadRequest"'
req "$RW" GET /v1.0/users -G --data-urlencode "\$filter=startswith(displayName,'$(printf '\xff')')"
status 400 "invalid UTF-8 in \$filter"
body_has '"code":"Request_BadRequest"'
head -c 2000000 /dev/zero | tr '\0' 'a' | sed 's/^/{"displayName":"/; s/$/"}/' > "$TMP/big.json"
req "$RW" PATCH "/v1.0/users/$ALICE" -H "$CT" --data-binary @"$TMP/big.json"
status 413 "an oversized body"
req "$RW" GET "/v1.0/users/$ALICE"
body_has '"displayName":"Alice"'
req "$RW" GET "/v1.0/users/$ALICE"
status 200 "get by id"
body_has '"displayName":"Alice"'
req "$RW" GET "/v1.0/users/alice@contoso.test?\$select=displayName"
status 200 "get by upn"
body_has '"displayName":"Alice"'
grep -q userPrincipalName "$TMP/body" && fail "\$select kept userPrincipalName" || ok
req "$RW" GET /v1.0/users/nobody@contoso.test
status 404 "unknown user"
body_has '"code":"Request_ResourceNotFound"'
req "$RW" PATCH /v1.0/users/alice@contoso.test -H "$CT" -d '{"displayName":"Alice A","accountEnabled":false}'
status 204 "patch"
req "$RO" GET /v1.0/users/alice@contoso.test
body_has '"displayName":"Alice A"'
body_has '"accountEnabled":false'
req "$RW" PATCH /v1.0/users/alice@contoso.test -H "$CT" -d '{"displayName":7}'
status 400 "patch bad type"
body_has 'displayName'

# ---- query options ----
req "$RO" GET "/v1.0/users?\$filter=userPrincipalName%20eq%20'alice@contoso.test'"
status 200 "filter eq"
body_has '"alice@contoso.test"'
req "$RO" GET "/v1.0/users?\$filter=startswith(displayName,'Alice')"
status 200 "filter startswith"
body_has '"alice@contoso.test"'
for q in "\$orderby=displayName" "\$top=1000" "\$top=0" "\$filter=mail%20eq%20'x'" \
         "\$filter=displayName%20ne%20'x'" "\$select=passwordHash" "\$count=true"; do
  req "$RO" GET "/v1.0/users?$q"
  status 400 "unsupported $q"
  body_has '"code":"Request_BadRequest"'
done

# ---- permission boundaries (403 in the Graph shape) ----
req "$RO" POST /v1.0/users -H "$CT" -d '{"userPrincipalName":"carol@contoso.test"}'
status 403 "User.Read.All cannot create"
body_has '"code":"Authorization_RequestDenied"'
req "$RO" DELETE /v1.0/users/alice@contoso.test
status 403 "User.Read.All cannot delete"
req "$NO" GET /v1.0/users
status 403 "AuditLog.Read.All cannot list users"
req "$RO" PATCH /beta/users/alice@contoso.test/authentication/requirements -H "$CT" -d '{"perUserMfaState":"enabled"}'
status 403 "User.Read.All cannot change per-user MFA"
req "$NO" GET /beta/users/alice@contoso.test/authentication/requirements
status 403 "AuditLog.Read.All cannot read per-user MFA"
req "$RO" POST /tollgate/v1/perUserMfa/bulk -H "$CT" -d '{"perUserMfaState":"enabled","users":[]}'
status 403 "User.Read.All cannot bulk"

# ---- per-user MFA ----
req "$RO" GET /beta/users/alice@contoso.test/authentication/requirements
status 200 "requirements get"
body_has '"perUserMfaState":"disabled"'
req "$RW" PATCH "/beta/users/$ALICE/authentication/requirements" -H "$CT" -d '{"perUserMfaState":"enforced"}'
status 204 "requirements patch"
req "$RO" GET /beta/users/alice@contoso.test/authentication/requirements
body_has '"perUserMfaState":"enforced"'
req "$RW" PATCH /beta/users/alice@contoso.test/authentication/requirements -H "$CT" -d '{"perUserMfaState":"sometimes"}'
status 400 "bad state"
body_has 'perUserMfaState'
req "$RW" PATCH /beta/users/nobody@contoso.test/authentication/requirements -H "$CT" -d '{"perUserMfaState":"enabled"}'
status 404 "requirements unknown user"
tg audit list > "$TMP/audit" 2>&1
grep -q "app:$RW_ID" "$TMP/audit" && ok || fail "change not audited with the app actor: $(tail -3 "$TMP/audit")"

# ---- 10,000 users and paging ----
python3 -c 'print("userPrincipalName,displayName")
for i in range(10000): print("u%05d@contoso.test,User %05d" % (i, i))' > "$TMP/users.csv"
tg user import "$TMP/users.csv" >/dev/null || fail "import"
next="$G/v1.0/users?\$top=999"
pages=0; total=0
while [ -n "$next" ] && [ $pages -lt 50 ]; do
  curl -s -H "Authorization: Bearer $RO" "$next" > "$TMP/page"
  n=$(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))["value"]))' "$TMP/page")
  total=$((total + n)); pages=$((pages + 1))
  next=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1])).get("@odata.nextLink",""))' "$TMP/page")
done
same "$total" 10002 "users seen while paging"
same "$pages" 11 "pages of 999"
req "$RO" GET "/v1.0/users?\$filter=startswith(userPrincipalName,'u099')&\$top=5"
body_has '"u09900@contoso.test"'
body_has '@odata.nextLink'

# ---- bulk ----
req "$RW" POST /tollgate/v1/perUserMfa/bulk -H "$CT" \
  -d '{"perUserMfaState":"enabled","users":["u00001@contoso.test","u00002@contoso.test","ghost@contoso.test"]}'
status 200 "bulk"
same "$(json changed < "$TMP/body")" 2 "bulk changed"
same "$(json notFound.0 < "$TMP/body")" "ghost@contoso.test" "bulk notFound"
req "$RW" POST /tollgate/v1/perUserMfa/bulk -H "$CT" -d '{"perUserMfaState":"enabled","users":["u00001@contoso.test"]}'
same "$(json unchanged < "$TMP/body")" 1 "bulk unchanged"
req "$RW" POST /tollgate/v1/perUserMfa/bulk -H "$CT" -d '{"perUserMfaState":"enabled","users":[1]}'
status 400 "bulk bad element"
body_has 'users'

# ---- delegated tokens: directory roles ----
for u in helen gail gwen plain; do
  printf '%s\n' "$PW" | tg user add "$u@contoso.test" --password-stdin >/dev/null
done
tg role assign helen@contoso.test "Authentication Administrator" >/dev/null
tg role assign gail@contoso.test "Global Administrator" >/dev/null
tg role assign gwen@contoso.test "Global Reader" >/dev/null
PUB=$(public_client)
HELEN=$(delegated helen@contoso.test)
GAIL=$(delegated gail@contoso.test)
GWEN=$(delegated gwen@contoso.test)
PLAIN=$(delegated plain@contoso.test)
[ -n "$HELEN" ] && [ -n "$GAIL" ] && [ -n "$GWEN" ] && [ -n "$PLAIN" ] && ok || fail "no delegated tokens"
REQ=authentication/requirements
req "$HELEN" PATCH "/beta/users/plain@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enabled"}'
status 204 "Authentication Administrator changes a non-admin"
req "$HELEN" PATCH "/beta/users/gwen@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enabled"}'
status 403 "Authentication Administrator cannot change an admin"
body_has '"code":"Authorization_RequestDenied"'
req "$HELEN" POST /tollgate/v1/perUserMfa/bulk -H "$CT" -d '{"perUserMfaState":"enabled","users":["plain@contoso.test","gail@contoso.test"]}'
status 403 "Authentication Administrator bulk with an admin in it"
req "$HELEN" POST /v1.0/users -H "$CT" -d '{"userPrincipalName":"x@contoso.test"}'
status 403 "Authentication Administrator cannot create users"
req "$HELEN" GET /tollgate/v1/mfaServiceSettings
status 200 "Authentication Administrator reads settings"
req "$HELEN" PATCH /tollgate/v1/mfaServiceSettings -H "$CT" -d '{"rememberMfaDays":1}'
status 403 "Authentication Administrator cannot change settings"
req "$GAIL" PATCH "/beta/users/gwen@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"enabled"}'
status 204 "Global Administrator changes an admin"
req "$GWEN" GET "/beta/users/gwen@contoso.test/$REQ"
status 200 "Global Reader reads"
body_has '"perUserMfaState":"enabled"'
req "$GWEN" PATCH "/beta/users/plain@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"disabled"}'
status 403 "Global Reader cannot change"
req "$GWEN" DELETE /v1.0/users/plain@contoso.test
status 403 "Global Reader cannot delete"
req "$PLAIN" GET /v1.0/users
status 403 "a user without a role"
tg audit list > "$TMP/audit" 2>&1
grep -q "user:helen@contoso.test" "$TMP/audit" && ok || fail "delegated change not audited with the user actor"
for u in plain gwen; do
  req "$GAIL" PATCH "/beta/users/$u@contoso.test/$REQ" -H "$CT" -d '{"perUserMfaState":"disabled"}'
  status 204 "reset $u"
done

# A role removed stops working at once, not when the token expires; a role
# given later needs a new token (the token's roles ∩ the roles held now).
tg role remove gwen@contoso.test "Global Reader" >/dev/null
req "$GWEN" GET "/beta/users/plain@contoso.test/$REQ"
status 403 "a removed role no longer reads, though the token lists it"
tg role assign plain@contoso.test "Global Reader" >/dev/null
req "$PLAIN" GET /v1.0/users
status 403 "a role given after the token was issued needs a new token"
PLAIN=$(delegated plain@contoso.test)
req "$PLAIN" GET /v1.0/users
status 200 "a new token carries the new role"
tg role remove plain@contoso.test "Global Reader" >/dev/null
tg role assign gwen@contoso.test "Global Reader" >/dev/null
# The session a delegated token came from must be live: revoking the
# user's sessions (or signing out) ends the admin API for tokens already
# issued, not only their refresh.
req "$GAIL" GET /v1.0/users
status 200 "a Global Administrator's token before their sessions are revoked"
tg mfa revoke-sessions gail@contoso.test >/dev/null
req "$GAIL" GET /v1.0/users
status 401 "the same token after revoke-sessions"
body_has 'session of this access token has ended'
GAIL=$(delegated gail@contoso.test)
req "$GAIL" GET /v1.0/users
status 200 "a new sign-in works again"
curl -s -o /dev/null -b "$TMP/jar.gail@contoso.test" \
  "$G/oauth2/v2.0/logout?id_token_hint=$(json id_token < "$TMP/tok.gail@contoso.test")"
req "$GAIL" GET /v1.0/users
status 401 "signing out ends the token's use of the admin API"
# an app deleted: its tokens are refused (401), not only its next token
read -r GONE_ID GONE_SECRET <<< "$(newapp Gone User.Read.All)"
GONE=$(token "$GONE_ID" "$GONE_SECRET")
req "$GONE" GET /v1.0/users
status 200 "app token before the app is deleted"
tg app delete "$GONE_ID" >/dev/null
req "$GONE" GET /v1.0/users
status 401 "app token after the app is deleted"
body_has 'no longer exists'

# ---- security defaults (users with per-user MFA on are in the way) ----
SDP=/v1.0/policies/identitySecurityDefaultsEnforcementPolicy
req "$SD" GET $SDP
status 200 "security defaults get"
body_has '"isEnabled":false'
body_has '"id":"00000000-0000-0000-0000-000000000005"'
req "$SD" PATCH $SDP -H "$CT" -d '{"isEnabled":true}'
status 409 "security defaults conflict"
body_has 'per-user'
req "$SD" PATCH $SDP -H "$CT" -d '{"isEnabled":"yes"}'
status 400 "security defaults bad type"
body_has 'isEnabled'
req "$RW" PATCH $SDP -H "$CT" -d '{"isEnabled":false}'
status 403 "AuthenticationMethod cannot toggle security defaults"
req "$RO" GET $SDP
status 403 "User.Read.All cannot read security defaults"

# ---- MFA service settings ----
req "$RW" GET /tollgate/v1/mfaServiceSettings
status 200 "settings get"
body_has '"rememberMfaDays"'
req "$RW" PATCH /tollgate/v1/mfaServiceSettings -H "$CT" \
  -d '{"allowAppPasswords":true,"rememberMfaDays":14,"verificationOptions":["appCode","email"],"trustedIps":["192.0.2.0/24"]}'
status 200 "settings patch"
body_has '"rememberMfaDays":14'
body_has '"192.0.2.0/24"'
body_has '"verificationOptions":["appCode","email"]'
req "$RW" PATCH /tollgate/v1/mfaServiceSettings -H "$CT" -d '{"trustedIps":["192.0.2.0/24","nope"]}'
status 400 "settings bad range"
body_has 'trustedIps[1]'
req "$RW" PATCH /tollgate/v1/mfaServiceSettings -H "$CT" -d '{"rememberMfaDays":366}'
status 400 "settings out of range"
body_has 'rememberMfaDays'
req "$RW" PATCH /tollgate/v1/mfaServiceSettings -H "$CT" -d '{"verificationOptions":["pigeon"]}'
status 400 "settings bad option"
body_has 'verificationOptions[0]'
req "$SD" PATCH /tollgate/v1/mfaServiceSettings -H "$CT" -d '{"rememberMfaDays":1}'
status 403 "SecurityDefaults cannot change settings"
req "$RO" GET /tollgate/v1/mfaServiceSettings
status 403 "User.Read.All cannot read settings"

# ---- $batch ----
cat > "$TMP/batch.json" <<'JSON'
{"requests": [
 {"id": "1", "method": "GET", "url": "/users/alice@contoso.test?$select=displayName"},
 {"id": "2", "method": "PATCH", "url": "/users/u00003@contoso.test", "headers": {"Content-Type": "application/json"},
  "body": {"displayName": "Batched"}},
 {"id": "3", "method": "GET", "url": "/users/nobody@contoso.test"},
 {"id": "4", "method": "GET", "url": "/users?$top=2&$filter=startswith(userPrincipalName,'u0000')"},
 {"id": "5", "method": "PATCH", "url": "https://graph.microsoft.com/beta/users/u00004@contoso.test/authentication/requirements",
  "body": {"perUserMfaState": "enforced"}},
 {"id": "6", "method": "GET", "url": "/policies/identitySecurityDefaultsEnforcementPolicy"}
]}
JSON
sed -i 's#https://graph.microsoft.com/beta/#/beta/#' "$TMP/batch.json"
req "$RW" POST '/v1.0/$batch' -H "$CT" --data-binary @"$TMP/batch.json"
status 200 "batch"
same "$(json responses.0.status < "$TMP/body")" 200 "batch get"
same "$(json responses.0.body.displayName < "$TMP/body")" "Alice A" "batch get body"
same "$(json responses.1.status < "$TMP/body")" 204 "batch patch"
same "$(json responses.2.status < "$TMP/body")" 404 "batch not found"
same "$(json responses.2.body.error.code < "$TMP/body")" Request_ResourceNotFound "batch 404 code"
same "$(json responses.3.body.value.1.userPrincipalName < "$TMP/body")" u00001@contoso.test "batch list"
same "$(json responses.4.status < "$TMP/body")" 204 "batch beta path"
same "$(json responses.5.status < "$TMP/body")" 403 "batch keeps the principal's permissions"
req "$RO" GET /v1.0/users/u00003@contoso.test
body_has '"displayName":"Batched"'
req "$RO" GET /beta/users/u00004@contoso.test/authentication/requirements
body_has '"perUserMfaState":"enforced"'
# an absolute URL's path with the tenant, as Graph SDKs send it
# (https://HOST/default/beta/users/x → /default/beta/users/x); another
# tenant's segment, or the tenant without a version, is not stripped
cat > "$TMP/batch.json" <<'JSON'
{"requests": [
 {"id": "1", "method": "GET", "url": "/default/v1.0/users/alice@contoso.test?$select=displayName"},
 {"id": "2", "method": "GET", "url": "/default/beta/users/u00004@contoso.test/authentication/requirements"},
 {"id": "3", "method": "GET", "url": "/other/v1.0/users/alice@contoso.test"},
 {"id": "4", "method": "GET", "url": "/default/users/alice@contoso.test"}
]}
JSON
req "$RW" POST '/v1.0/$batch' -H "$CT" --data-binary @"$TMP/batch.json"
status 200 "batch with the tenant in the URLs"
same "$(json responses.0.status < "$TMP/body")" 200 "batch /default/v1.0 path"
same "$(json responses.0.body.displayName < "$TMP/body")" "Alice A" "batch /default/v1.0 body"
same "$(json responses.1.body.perUserMfaState < "$TMP/body")" enforced "batch /default/beta path"
same "$(json responses.2.status < "$TMP/body")" 404 "another tenant's segment is not stripped"
same "$(json responses.3.status < "$TMP/body")" 404 "the tenant without a version is not stripped"
python3 -c 'import json;print(json.dumps({"requests":[{"id":str(i),"method":"GET","url":"/users"} for i in range(21)]}))' > "$TMP/b21.json"
req "$RW" POST '/beta/$batch' -H "$CT" --data-binary @"$TMP/b21.json"
status 400 "batch of 21"
body_has 'requests'
req "$RW" POST '/v1.0/$batch' -H "$CT" -d '{"requests":[{"id":"1","url":"/users"}]}'
status 400 "batch item without method"
body_has 'requests[0]'
# dependsOn: a failed dependency answers 424 without running, in a chain
cat > "$TMP/dep.json" <<'JSON'
{"requests": [
 {"id": "a", "method": "GET", "url": "/users/ghost@contoso.test"},
 {"id": "b", "method": "PATCH", "url": "/users/u00005@contoso.test", "dependsOn": ["a"],
  "headers": {"Content-Type": "application/json"}, "body": {"displayName": "Never"}},
 {"id": "c", "method": "GET", "url": "/users/u00005@contoso.test", "dependsOn": ["b"]},
 {"id": "d", "method": "PATCH", "url": "/users/u00006@contoso.test",
  "headers": {"Content-Type": "application/json"}, "body": {"displayName": "Ran"}},
 {"id": "e", "method": "GET", "url": "/users/u00006@contoso.test", "dependsOn": ["d"]}
]}
JSON
req "$RW" POST '/v1.0/$batch' -H "$CT" --data-binary @"$TMP/dep.json"
status 200 "batch with dependsOn"
same "$(json responses.0.status < "$TMP/body")" 404 "the dependency fails"
same "$(json responses.1.status < "$TMP/body")" 424 "its dependant is not run"
same "$(json responses.1.body.error.code < "$TMP/body")" Request_FailedDependency "424 code"
same "$(json responses.2.status < "$TMP/body")" 424 "nor the dependant's dependant"
same "$(json responses.4.status < "$TMP/body")" 200 "a met dependency runs"
same "$(json responses.4.body.displayName < "$TMP/body")" Ran "after the change it depends on"
req "$RO" GET /v1.0/users/u00005@contoso.test
body_lacks '"displayName":"Never"'
req "$RW" POST '/v1.0/$batch' -H "$CT" -d '{"requests":[{"id":"1","method":"GET","url":"/users","dependsOn":["2"]},{"id":"2","method":"GET","url":"/users"}]}'
status 400 "dependsOn a later request"
body_has 'requests[0].dependsOn[0]'
req "$RW" POST '/v1.0/$batch' -H "$CT" -d '{"requests":[{"id":"1","method":"GET","url":"/users"},{"id":"1","method":"GET","url":"/users"}]}'
status 400 "an id twice"
body_has 'used twice'
req "$RW" POST '/v1.0/$batch' -H "$CT" -d '{"requests":[{"id":"1","method":"GET","url":"/users"},{"id":"2","method":"GET","url":"/users","dependsOn":"1"}]}'
status 400 "dependsOn not an array"
body_has 'requests[1].dependsOn'

# ---- delete ----
req "$RW" DELETE /v1.0/users/alice@contoso.test
status 204 "delete"
req "$RW" GET /v1.0/users/alice@contoso.test
status 404 "deleted"

finish
