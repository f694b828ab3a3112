#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The admin API for a user's authentication methods and the helpdesk
# actions (docs/admin-api.md) against the real server: phone and email
# methods added, changed and deleted through the API (Entra's fixed ids),
# an authenticator app registered with the CLI and oathtool listed as
# softwareOath (secret never shown), a hardware token imported with the CLI
# listed under v1.0 and beta and back in the inventory after delete;
# /methods with $select, $top and nextLink; require re-register really
# removes the methods; revokeSignInSessions / revokeMfaSessions really end
# the browser session and the refresh tokens; deleteAllAppPasswords really
# stops the legacy client; bad input in the Graph error shape with the
# JSON path; another user's method is 404 and untouched; a denial at each
# role boundary; every change audited with the actor; $batch; 405.
. "$TG_TEST_SRCDIR/tests/lib.sh"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"
totp() { oathtool --totp -b -N "@$(( $(date +%s) + ${2:-0} ))" "$1"; }

MOBILE=3179e48a-750b-4051-897c-87b9720928f7
OFFICE=e37fc753-ff3b-4958-9484-eaa9425c82bc
EMAIL=3ddfcfc8-9383-446f-83cc-3ab9be4be18f
PASSWORD=28c10230-6103-485e-b985-444c60001490

# security defaults off: this test sets per-user MFA and policies itself
tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1
read -r RW_ID RW_SECRET <<< "$(newapp rw Policy.ReadWrite.AuthenticationMethod)"
read -r RO_ID RO_SECRET <<< "$(newapp ro Policy.Read.All)"
read -r NO_ID NO_SECRET <<< "$(newapp none User.ReadWrite.All)"

for u in alice bob helen gail gwen pam plain fred adam; do
  printf '%s\n' "$PW" | tg user add "$u@contoso.test" --password-stdin >/dev/null || fail "user $u"
done
tg user add nopass@contoso.test >/dev/null
tg role assign helen@contoso.test "Authentication Administrator" >/dev/null
tg role assign gail@contoso.test "Global Administrator" >/dev/null
tg role assign gwen@contoso.test "Global Reader" >/dev/null
tg role assign pam@contoso.test "Privileged Authentication Administrator" >/dev/null
tg role assign adam@contoso.test "Security Reader" >/dev/null

start_server || exit 1

RW=$(token "$RW_ID" "$RW_SECRET")
RO=$(token "$RO_ID" "$RO_SECRET")
NO=$(token "$NO_ID" "$NO_SECRET")
[ -n "$RW" ] && [ -n "$RO" ] && [ -n "$NO" ] && ok || fail "no app tokens"

audited() { # audited ACTOR ACTION TARGET
  if tg audit list --action "$2" --limit 1000 | grep -Eq "$1 +$2 +$3"; then ok
  else fail "no audit '$1 $2 $3': $(tg audit list --limit 3)"; fi
}

# delegated tokens: password sign-in, authorization code + PKCE; with
# offline_access also a refresh token and the browser session in the jar
PUB=$(public_client)
DELEGATED_SCOPE='openid%20offline_access'
HELEN=$(delegated helen@contoso.test)
GAIL=$(delegated gail@contoso.test)
GWEN=$(delegated gwen@contoso.test)
PAM=$(delegated pam@contoso.test)
PLAIN=$(delegated plain@contoso.test)
[ -n "$HELEN" ] && [ -n "$GAIL" ] && [ -n "$GWEN" ] && [ -n "$PAM" ] && [ -n "$PLAIN" ] && ok ||
  fail "no delegated tokens"

A=/v1.0/users/alice@contoso.test/authentication
ALICE=$(tg --json user show alice@contoso.test | json id)

# ---- the methods list: only the password at first ----
req "$RO" GET "$A/methods"
status 200 "methods list"
body_has '"@odata.context"'
body_has "\"id\":\"$PASSWORD\""
body_has '"@odata.type":"#microsoft.graph.passwordAuthenticationMethod"'
same "$(count < "$TMP/body")" 1 "only the password"
req "$RO" GET /v1.0/users/nopass@contoso.test/authentication/methods
same "$(count < "$TMP/body")" 0 "no password, no password method"
req "$RO" GET "/v1.0/users/$ALICE/authentication/methods/$PASSWORD"
status 200 "the password method by id (user by object id)"
body_has '"password":null'

# ---- phone methods ----
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneNumber":"+46 (0)70-123 45 67","phoneType":"mobile"}'
status 201 "add a mobile number"
body_has "\"id\":\"$MOBILE\""
body_has '"phoneNumber":"+46 701234567"'
body_has '"phoneType":"mobile"'
body_has '"smsSignInState":"notSupported"'
body_has '"@odata.type":"#microsoft.graph.phoneAuthenticationMethod"'
body_has '/$metadata#users('
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneNumber":"+46 709999999","phoneType":"mobile"}'
status 409 "a second mobile number"
body_has 'already has a mobile phone number'
req "$RW" POST /v1.0/users/bob@contoso.test/authentication/phoneMethods -H "$CT" \
  -d '{"phoneNumber":"+46 709999999","phoneType":"alternateMobile"}'
status 409 "alternateMobile before mobile"
body_has '"code":"Request_Conflict"'
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneNumber":"0701234567","phoneType":"office"}'
status 400 "a number without the country code"
body_has '"code":"Request_BadRequest"'
body_has '"message":"phoneNumber: \"0701234567\" is not a phone number'
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneNumber":"+46 8 123 456","phoneType":"pager"}'
status 400 "bad phone type"
body_has '"message":"phoneType: must be mobile, alternateMobile or office"'
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneType":"office"}'
status 400 "phone number missing"
body_has '"message":"phoneNumber: is required"'
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneNumber":"+46 8 123 456","phoneType":"office","extension":"12"}'
status 400 "unknown member"
body_has 'extension'
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneNumber":46812345,"phoneType":"office"}'
status 400 "wrong type"
body_has '"message":"phoneNumber: '
req "$RW" POST "$A/phoneMethods" -H "$CT" -d '{"phoneNumber":"+46 8 123 456",'
status 400 "broken JSON"
body_has '"innerError"'
req "$RW" POST "$A/phoneMethods" -d 'phoneNumber=x'
status 415 "form body"
req "$RW" POST "$A/phoneMethods" -H "$CT" \
  -d '{"@odata.type":"#microsoft.graph.phoneAuthenticationMethod","phoneNumber":"+46 8 123 456 x12","phoneType":"office","smsSignInState":"ready"}'
status 201 "office number (annotations and read-only members ignored)"
body_has '"phoneNumber":"+46 8123456x12"'
body_has "\"id\":\"$OFFICE\""
req "$RO" GET "$A/phoneMethods"
status 200 "phone list"
same "$(count < "$TMP/body")" 2 "two phones"
req "$RO" GET "$A/phoneMethods/$MOBILE"
status 200 "get the mobile by its fixed id"
body_has '"phoneNumber":"+46 701234567"'
req "$RW" PATCH "$A/phoneMethods/$MOBILE" -H "$CT" -d '{"phoneNumber":"+46 70 999 99 99","phoneType":"mobile"}'
status 204 "change the mobile number"
req "$RO" GET "$A/phoneMethods/$MOBILE"
body_has '"phoneNumber":"+46 709999999"'
req "$RW" PATCH "$A/phoneMethods/$MOBILE" -H "$CT" -d '{"phoneType":"office"}'
status 400 "the type cannot change"
body_has '"message":"phoneType: cannot be changed'
req "$RW" PATCH "$A/phoneMethods/$MOBILE" -H "$CT" -d '{"phoneNumber":"70"}'
status 400 "PATCH bad number"
body_has '"message":"phoneNumber: '
req "$RO" GET "$A/phoneMethods/$MOBILE"
body_has '"phoneNumber":"+46 709999999"'
req "$RW" PATCH "$A/phoneMethods/b6332ec1-7057-4abe-9331-3d72feddfe41" -H "$CT" -d '{"phoneNumber":"+46 701111111"}'
status 404 "PATCH a phone type the user has not"
body_has '"code":"Request_ResourceNotFound"'

# ---- email method ----
req "$RW" POST "$A/emailMethods" -H "$CT" -d '{"emailAddress":"not an address"}'
status 400 "bad email address"
body_has '"message":"emailAddress: \"not an address\" is not an email address'
req "$RW" POST "$A/emailMethods" -H "$CT" -d '{"emailAddress":["a@b.c"]}'
status 400 "email wrong type"
body_has 'emailAddress'
req "$RW" POST "$A/emailMethods" -H "$CT" -d '{"emailAddress":"alice@example.org"}'
status 201 "add the email method"
body_has "\"id\":\"$EMAIL\""
body_has '"emailAddress":"alice@example.org"'
req "$RW" POST "$A/emailMethods" -H "$CT" -d '{"emailAddress":"other@example.org"}'
status 409 "a second email method"
req "$RO" GET "$A/emailMethods/$EMAIL"
status 200 "get the email method"
body_has '"@odata.type":"#microsoft.graph.emailAuthenticationMethod"'

# ---- an authenticator app (CLI + oathtool) ----
tg --json method add-app alice@contoso.test > "$TMP/app" || fail "add-app"
APP=$(json id < "$TMP/app"); SECRET=$(json secret < "$TMP/app")
req "$RO" GET "$A/softwareOathMethods"
same "$(count < "$TMP/body")" 0 "a pending app is not a registered method"
tg method activate alice@contoso.test "$APP" "$(totp "$SECRET")" >/dev/null || fail "activate app"
req "$RO" GET "$A/softwareOathMethods"
status 200 "software OATH list"
body_has "\"id\":\"$APP\""
body_has '"secretKey":null'
body_has '"@odata.type":"#microsoft.graph.softwareOathAuthenticationMethod"'
body_lacks "$SECRET"
req "$RO" GET "$A/softwareOathMethods/$APP"
status 200 "get the app"

# ---- a hardware token (CLI import) ----
HWS=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
printf 'upn,serial number,secret key,time interval,manufacturer,model,hash function\nalice@contoso.test,T-100,%s,60,Contoso,OTP 110,hmacsha256\nbob@contoso.test,T-200,%s,30,Contoso,OTP 110,\n' \
  "$HWS" "$HWS" > "$TMP/tokens.csv"
tg token import "$TMP/tokens.csv" >/dev/null || fail "token import"
for v in v1.0 beta; do
  req "$RO" GET "/$v/users/alice@contoso.test/authentication/hardwareOathMethods"
  status 200 "$v hardware list"
  body_has '"serialNumber":"T-100"'
  body_has '"manufacturer":"Contoso"'
  body_has '"model":"OTP 110"'
  body_has '"hashFunction":"hmacsha256"'
  body_has '"timeIntervalInSeconds":60'
  body_has '"status":"assigned"'
  body_has '"@odata.type":"#microsoft.graph.hardwareOathAuthenticationMethod"'
  body_lacks "$HWS"
done
HW=$(json value.0.id < "$TMP/body")
req "$RO" GET "/beta/users/alice@contoso.test/authentication/hardwareOathMethods/$HW"
status 200 "get the token (beta)"
body_has '"device":{'

# ---- all methods, OData options ----
req "$RO" GET "$A/methods"
same "$(count < "$TMP/body")" 6 "password, two phones, email, app, token"
for t in password phone email softwareOath hardwareOath; do body_has "#microsoft.graph.${t}AuthenticationMethod"; done
body_lacks "$SECRET"
req "$RO" GET "$A/methods?\$select=phoneNumber"
status 200 "methods \$select"
body_has '"phoneNumber":"+46 709999999"'
body_lacks 'emailAddress'
req "$RO" GET "$A/methods?\$top=4"
same "$(count < "$TMP/body")" 4 "\$top=4"
NEXT=$(python3 -c 'import json,sys;print(json.load(sys.stdin).get("@odata.nextLink",""))' < "$TMP/body")
[ -n "$NEXT" ] && ok || fail "no nextLink"
curl -s -H "Authorization: Bearer $RO" "$NEXT" > "$TMP/body"
same "$(count < "$TMP/body")" 2 "the second page"
body_lacks '@odata.nextLink'
for q in "\$orderby=id" "\$filter=id%20eq%20'x'" "\$select=secret" "\$skiptoken=nope" "\$top=0"; do
  req "$RO" GET "$A/methods?$q"
  status 400 "unsupported $q"
  body_has '"code":"Request_BadRequest"'
done
req "$RO" GET "$A/methods/$EMAIL"
status 200 "an email method through /methods/{id}"
req "$RO" GET "$A/methods/$HW"
status 200 "a token through /methods/{id}"

# ---- another user's method is not found and not touched ----
tg --json method add-app bob@contoso.test > "$TMP/bobapp" || fail "bob's app"
BOBAPP=$(json id < "$TMP/bobapp")
tg method activate bob@contoso.test "$BOBAPP" "$(totp "$(json secret < "$TMP/bobapp")")" >/dev/null ||
  fail "activate bob's app"
for p in "softwareOathMethods/$BOBAPP" "methods/$BOBAPP"; do
  req "$RO" GET "$A/$p"
  status 404 "GET bob's app as alice's ($p)"
  body_has '"code":"Request_ResourceNotFound"'
done
req "$RW" DELETE "$A/softwareOathMethods/$BOBAPP"
status 404 "DELETE bob's app as alice's"
BOBHW=$(tg --json method list bob@contoso.test | python3 -c 'import json,sys
print([m["id"] for m in json.load(sys.stdin)["methods"] if m["kind"]=="hardwareOath"][0])')
req "$RW" DELETE "$A/hardwareOathMethods/$BOBHW"
status 404 "DELETE bob's token as alice's"
tg --json method list bob@contoso.test > "$TMP/bob"
grep -q "$BOBAPP" "$TMP/bob" && grep -q "$BOBHW" "$TMP/bob" && ok || fail "bob's methods were touched"
req "$RW" DELETE "$A/phoneMethods/$HW"
status 404 "a token is not a phone method"
req "$RO" GET /v1.0/users/ghost@contoso.test/authentication/methods
status 404 "unknown user"
body_has '"code":"Request_ResourceNotFound"'
req "$RW" POST /v1.0/users/ghost@contoso.test/authentication/emailMethods -H "$CT" -d '{"emailAddress":"g@example.org"}'
status 404 "unknown user (POST)"
req "$RW" POST /tollgate/v1/users/ghost@contoso.test/requireReregister
status 404 "unknown user (action)"

# ---- methods the route table does not have ----
req "$RW" POST "$A/softwareOathMethods" -H "$CT" -d '{}'
status 405 "no POST on softwareOathMethods"
req "$RW" PUT "$A/phoneMethods/$MOBILE" -H "$CT" -d '{}'
status 405 "no PUT"
req "$RW" GET /tollgate/v1/users/alice@contoso.test/requireReregister
status 405 "actions are POST"
req "$RO" GET "$A/fido2Methods"
status 404 "a collection Tollgate does not have"

# ---- role boundaries ----
P=/v1.0/users/plain@contoso.test/authentication
req "$NO" GET "$A/methods"
status 403 "User.ReadWrite.All cannot read methods"
body_has '"code":"Authorization_RequestDenied"'
req "$RO" POST "$P/emailMethods" -H "$CT" -d '{"emailAddress":"plain@example.org"}'
status 403 "Policy.Read.All cannot add"
req "$RO" DELETE "$A/phoneMethods/$OFFICE"
status 403 "Policy.Read.All cannot delete"
req "$RO" PATCH "$A/phoneMethods/$MOBILE" -H "$CT" -d '{"phoneNumber":"+46 701111111"}'
status 403 "Policy.Read.All cannot change"
req "$RO" POST /v1.0/users/plain@contoso.test/revokeSignInSessions
status 403 "Policy.Read.All cannot revoke"
req "$RO" POST /tollgate/v1/users/plain@contoso.test/deleteAllAppPasswords
status 403 "Policy.Read.All cannot delete app passwords"
req "$RO" GET /tollgate/v1/users/plain@contoso.test/appPasswords
status 200 "Policy.Read.All lists app passwords"
req "$HELEN" POST "$P/emailMethods" -H "$CT" -d '{"emailAddress":"plain@example.org"}'
status 201 "Authentication Administrator adds for a non-admin"
req "$HELEN" GET /v1.0/users/adam@contoso.test/authentication/methods
status 200 "Authentication Administrator reads an admin's methods"
req "$HELEN" POST /v1.0/users/adam@contoso.test/authentication/emailMethods -H "$CT" -d '{"emailAddress":"adam@example.org"}'
status 403 "Authentication Administrator cannot add for an admin"
body_has '"code":"Authorization_RequestDenied"'
req "$HELEN" POST /tollgate/v1/users/adam@contoso.test/requireReregister
status 403 "Authentication Administrator cannot require re-register of an admin"
req "$HELEN" POST /v1.0/users/adam@contoso.test/revokeSignInSessions
status 403 "Authentication Administrator cannot revoke an admin's sessions"
req "$GWEN" GET "$A/methods"
status 200 "Global Reader reads"
req "$GWEN" DELETE "$P/emailMethods/$EMAIL"
status 403 "Global Reader cannot delete"
req "$GWEN" POST /tollgate/v1/users/plain@contoso.test/revokeMfaSessions
status 403 "Global Reader cannot revoke"
req "$PLAIN" GET "$A/methods"
status 403 "a user without a role cannot read"
req "$PAM" POST /v1.0/users/adam@contoso.test/authentication/emailMethods -H "$CT" -d '{"emailAddress":"adam@example.org"}'
status 201 "Privileged Authentication Administrator adds for an admin"
req "$GAIL" DELETE "/v1.0/users/adam@contoso.test/authentication/emailMethods/$EMAIL"
status 204 "Global Administrator deletes an admin's method"

# ---- masked phone numbers, hardware tokens (entra.md §4.1, §1.3) ----
req "$HELEN" GET "$A/phoneMethods"
status 200 "Authentication Administrator reads phones"
body_has '"phoneNumber":"+46 XXXXXXX99"'
body_lacks '709999999'
req "$GWEN" GET "$A/methods"
status 200 "Global Reader reads methods"
body_lacks '709999999'
req "$PAM" GET "$A/phoneMethods"
body_has '"phoneNumber":"+46 709999999"'
req "$GAIL" GET "$A/phoneMethods"
body_has '"phoneNumber":"+46 709999999"'
req "$RO" GET "$A/phoneMethods"
body_has '"phoneNumber":"+46 709999999"'
req "$HELEN" DELETE "/beta/users/alice@contoso.test/authentication/hardwareOathMethods/$HW"
status 403 "Authentication Administrator cannot manage hardware tokens"
body_has '"code":"Authorization_RequestDenied"'
req "$RO" GET "/beta/users/alice@contoso.test/authentication/hardwareOathMethods/$HW"
status 200 "the token is still there"

# ---- delete each kind ----
req "$RW" DELETE "$A/phoneMethods/$OFFICE"
status 204 "delete the office phone"
req "$RO" GET "$A/phoneMethods/$OFFICE"
status 404 "the office phone is gone"
req "$RW" DELETE "$A/emailMethods/$EMAIL"
status 204 "delete the email method"
req "$RW" DELETE "$A/softwareOathMethods/$APP"
status 204 "delete the app"
req "$RW" DELETE "/beta/users/alice@contoso.test/authentication/hardwareOathMethods/$HW"
status 204 "delete the token"
tg --json token list > "$TMP/tokens"
python3 -c 'import json,sys
t=[x for x in json.load(open(sys.argv[1])) if x["serialNumber"]=="T-100"]
sys.exit(0 if t and t[0]["status"]=="unassigned" and not t[0].get("assignedTo") else 1)' "$TMP/tokens" && ok ||
  fail "the token is not back in the inventory: $(cat "$TMP/tokens")"
req "$RO" GET "$A/methods"
same "$(count < "$TMP/body")" 2 "the password and the mobile are left"
audited "app:$RW_ID" method.add alice@contoso.test
audited "app:$RW_ID" method.update alice@contoso.test
audited "app:$RW_ID" method.delete alice@contoso.test
audited "user:helen@contoso.test" method.add plain@contoso.test
audited "user:pam@contoso.test" method.add adam@contoso.test

# ---- require re-register ----
tg --json method add-app alice@contoso.test > "$TMP/app" || fail "add-app again"
tg method activate alice@contoso.test "$(json id < "$TMP/app")" "$(totp "$(json secret < "$TMP/app")")" >/dev/null ||
  fail "activate the second app"
printf 'upn,serial number,secret key,time interval,manufacturer,model\nalice@contoso.test,T-300,%s,30,Contoso,OTP 110\n' "$HWS" > "$TMP/t3.csv"
tg token import "$TMP/t3.csv" >/dev/null || fail "import T-300"
tg token activate alice@contoso.test T-300 "$(oathtool --totp -b "$HWS")" >/dev/null || fail "activate T-300"
req "$RW" POST "$A/emailMethods" -H "$CT" -d '{"emailAddress":"alice@example.org"}'
req "$RW" POST /tollgate/v1/users/alice@contoso.test/requireReregister
status 204 "require re-register"
tg --json method list alice@contoso.test > "$TMP/m"
python3 -c 'import json,sys
m=json.load(open(sys.argv[1]))["methods"]
kinds=sorted((x["kind"],x["status"]) for x in m)
sys.exit(0 if kinds==[("email","active"),("hardwareOath","disabled")] else 1)' "$TMP/m" && ok ||
  fail "require re-register left: $(cat "$TMP/m")"
req "$RO" GET "$A/hardwareOathMethods"
body_has '"status":"assigned"'
audited "app:$RW_ID" method.require_reregister alice@contoso.test

# ---- revoke sessions: the browser session and the refresh token stop working ----
RT=$(json refresh_token < "$TMP/tok.plain@contoso.test")
[ -n "$RT" ] && ok || fail "no refresh token"
[ -n "$(authorize_code "$TMP/jar.plain@contoso.test")" ] && ok || fail "the session does not sign in before"
req "$HELEN" POST /v1.0/users/plain@contoso.test/revokeSignInSessions
status 200 "revokeSignInSessions"
body_has '"value":true'
body_has '$metadata#Edm.Boolean'
[ -z "$(authorize_code "$TMP/jar.plain@contoso.test")" ] && ok || fail "the session still signs in"
S=$(curl -s -o "$TMP/body" -w '%{http_code}' "$G/oauth2/v2.0/token" -d grant_type=refresh_token \
  -d "client_id=$PUB" -d "refresh_token=$RT")
status 400 "the refresh token is revoked"
body_has invalid_grant
audited "user:helen@contoso.test" user.revoke_sessions plain@contoso.test
delegated plain@contoso.test >/dev/null
req "$RW" POST /tollgate/v1/users/plain@contoso.test/revokeMfaSessions
status 200 "revokeMfaSessions"
same "$(json sessions < "$TMP/body")" 1 "one session ended"
same "$(json refreshTokenFamilies < "$TMP/body")" 1 "one refresh family revoked"
body_has '"rememberedDevices":0'
[ -z "$(authorize_code "$TMP/jar.plain@contoso.test")" ] && ok || fail "the session still signs in (revokeMfaSessions)"

# ---- app passwords: list, delete all, the legacy client stops working ----
tg settings set allow-app-passwords true >/dev/null
tg mfa set enforced fred@contoso.test >/dev/null
APW=$(tg app-password create fred@contoso.test --name mail | grep -oE '[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}' | head -1)
tg app-password create fred@contoso.test --name phone >/dev/null || fail "second app password"
S=$(curl -s -o /dev/null -w '%{http_code}' -u "fred@contoso.test:$APW" "$G/legacy/basic")
same "$S" 200 "the app password works"
req "$GWEN" GET /tollgate/v1/users/fred@contoso.test/appPasswords
status 200 "list app passwords"
same "$(count < "$TMP/body")" 2 "two app passwords"
body_has '"displayName":"mail"'
body_has '"createdDateTime"'
body_lacks "${APW// /}"
body_lacks argon2
req "$RW" POST /tollgate/v1/users/fred@contoso.test/deleteAllAppPasswords
status 200 "delete all app passwords"
same "$(json deleted < "$TMP/body")" 2 "deleted count"
S=$(curl -s -o /dev/null -w '%{http_code}' -u "fred@contoso.test:$APW" "$G/legacy/basic")
same "$S" 401 "the app password no longer works"
req "$RO" GET /tollgate/v1/users/fred@contoso.test/appPasswords
same "$(count < "$TMP/body")" 0 "none left"
req "$RW" POST /tollgate/v1/users/fred@contoso.test/deleteAllAppPasswords
same "$(json deleted < "$TMP/body")" 0 "deleting none"
audited "app:$RW_ID" app_password.delete_all fred@contoso.test

# ---- \$batch ----
cat > "$TMP/batch.json" <<JSON
{"requests": [
 {"id": "1", "method": "GET", "url": "/users/alice@contoso.test/authentication/methods"},
 {"id": "2", "method": "POST", "url": "/users/bob@contoso.test/authentication/phoneMethods",
  "headers": {"Content-Type": "application/json"}, "body": {"phoneNumber": "+1 5555551234", "phoneType": "mobile"}},
 {"id": "3", "method": "GET", "url": "/beta/users/bob@contoso.test/authentication/hardwareOathMethods"}
]}
JSON
req "$RW" POST '/v1.0/$batch' -H "$CT" --data-binary @"$TMP/batch.json"
status 200 "batch"
same "$(json responses.0.status < "$TMP/body")" 200 "batch list"
same "$(json responses.1.status < "$TMP/body")" 201 "batch add"
same "$(json responses.1.body.phoneNumber < "$TMP/body")" "+1 5555551234" "batch add body"
same "$(json responses.2.body.value.0.serialNumber < "$TMP/body")" T-200 "batch beta hardware"

finish
