#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GET /tollgate/v1/perUserMfa (docs/admin-api.md): the users with their
# per-user MFA state, paged, filtered by state and/or a UPN or display
# name clause joined by "and"; $select; bad filters answered 400 in the
# Graph shape; 401 without a token; 403 at each role and permission
# boundary.
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
json() { python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d=d[int(k)] if isinstance(d,list) else d.get(k) if isinstance(d,dict) else None
print("" if d is None else d)' "$1"; }
count() { python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))["value"]))' "$TMP/body"; }

tg init --domain contoso.test >/dev/null || exit 1
newapp() { # newapp NAME PERM…: prints "client_id secret"
  local name=$1; shift
  local args=()
  for p in "$@"; do args+=(--permission "$p"); done
  tg --json app add "$name" --grant client_credentials "${args[@]}" > "$TMP/app.json" || return 1
  echo "$(json appId < "$TMP/app.json") $(json clientSecret < "$TMP/app.json")"
}
read -r RO_ID RO_SECRET <<< "$(newapp ro User.Read.All)"
read -r NO_ID NO_SECRET <<< "$(newapp none AuditLog.Read.All)"

# 250 users: every 5th enabled, every 25th enforced; Anna and Anders by name
python3 -c 'print("userPrincipalName,displayName")
for i in range(250): print("m%03d@contoso.test,Member %03d" % (i, i))
print("anna@contoso.test,Anna Berg")
print("anders@contoso.test,Anders Ek")' > "$TMP/users.csv"
tg user import "$TMP/users.csv" >/dev/null || fail "import"
python3 -c 'for i in range(0,250,5): print("m%03d@contoso.test" % i)' > "$TMP/enabled"
tg mfa set enabled --from-file "$TMP/enabled" >/dev/null || fail "mfa set enabled"
python3 -c 'for i in range(0,250,25): print("m%03d@contoso.test" % i)' > "$TMP/enforced"
tg mfa set enforced --from-file "$TMP/enforced" >/dev/null || fail "mfa set enforced"
tg mfa set enabled anna@contoso.test >/dev/null || fail "anna"

PW='Corr3ct-Horse-Battery'
for u in gwen hank plain; do
  printf '%s\n' "$PW" | tg user add "$u@contoso.test" --password-stdin >/dev/null
done
tg role assign gwen@contoso.test "Global Reader" >/dev/null
tg role assign hank@contoso.test "Helpdesk Administrator" >/dev/null
PUB=$(tg --json app add Script --public --redirect-uri http://127.0.0.1/cb | json appId)

port=$(free_port)
"$TOLLGATE" --data "$D" serve --listen "127.0.0.1:$port" 2>>"$TMP/server.log" &
SPID=$!
TG_CLEANUPS+=("kill $SPID 2>/dev/null; wait $SPID 2>/dev/null")
U="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$U/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
G="$U/default"
CT='Content-Type: application/json'

token() { # token ID SECRET
  curl -s "$G/oauth2/v2.0/token" -d grant_type=client_credentials -d "client_id=$1" \
    -d "client_secret=$2" -d "scope=$U/.default" | json access_token
}
VERIFIER=abcdefghijklmnopqrstuvwxyz0123456789abcdefghijk
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
delegated() { # delegated UPN: an access token (password sign-in, code + PKCE)
  local jar="$TMP/jar.$1" csrf code
  rm -f "$jar"
  csrf=$(curl -s -c "$jar" -b "$jar" -H "Origin: $U" -H "$CT" -d '{}' "$G/api/signin/begin" | json csrf)
  curl -s -c "$jar" -b "$jar" -H "Origin: $U" -H "$CT" -H "X-CSRF-Token: $csrf" \
    -d "{\"username\":\"$1\",\"password\":\"$PW\"}" "$G/api/signin/password" >/dev/null
  code=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" \
    "$G/oauth2/v2.0/authorize?client_id=$PUB&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&response_type=code&scope=openid&state=s&code_challenge=$CHALLENGE&code_challenge_method=S256" |
    sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
  curl -s "$G/oauth2/v2.0/token" -d grant_type=authorization_code -d "client_id=$PUB" -d "code=$code" \
    -d redirect_uri=http://127.0.0.1/cb -d "code_verifier=$VERIFIER" | json access_token
}
RO=$(token "$RO_ID" "$RO_SECRET")
NO=$(token "$NO_ID" "$NO_SECRET")
GWEN=$(delegated gwen@contoso.test)
HANK=$(delegated hank@contoso.test)
PLAIN=$(delegated plain@contoso.test)
[ -n "$RO" ] && [ -n "$NO" ] && [ -n "$GWEN" ] && [ -n "$HANK" ] && [ -n "$PLAIN" ] && ok ||
  fail "no tokens"

# req TOKEN PATH: GET, status in $S, body in $TMP/body
req() { S=$(curl -s -o "$TMP/body" -w '%{http_code}' ${1:+-H "Authorization: Bearer $1"} "$G$2"); }
body_has() { if grep -qF -- "$1" "$TMP/body"; then ok; else fail "body lacks '$1' (status $S): $(head -c 300 "$TMP/body")"; fi; }
body_lacks() { if grep -qF -- "$1" "$TMP/body"; then fail "body has '$1'"; else ok; fi; }
L=/tollgate/v1/perUserMfa
F="?\$filter="
SQ="%27"   # '

# ---- the list ----
req "$RO" "$L?\$top=3"
same "$S" 200 "list"
same "$(count)" 3 "list \$top=3"
same "$(json value.1.userPrincipalName < "$TMP/body")" "anders@contoso.test" "UPN order"
same "$(json value.1.perUserMfaState < "$TMP/body")" "disabled" "anders's state"
same "$(json value.2.perUserMfaState < "$TMP/body")" "enabled" "anna's state"
body_has '"displayName":"Anders Ek"'
body_has '"id":"'
body_has '"@odata.nextLink"'
body_has '"@odata.context"'

# ---- state filter, paging: every page keeps the filter ----
next="$G$L${F}perUserMfaState%20eq%20${SQ}enabled${SQ}&\$top=15"
pages=0; total=0; wrong=0
while [ -n "$next" ] && [ $pages -lt 20 ]; do
  curl -s -H "Authorization: Bearer $RO" "$next" > "$TMP/body"
  total=$((total + $(count)))
  wrong=$((wrong + $(python3 -c 'import json,sys
print(sum(1 for u in json.load(open(sys.argv[1]))["value"] if u["perUserMfaState"] != "enabled"))' "$TMP/body")))
  pages=$((pages + 1))
  next=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1])).get("@odata.nextLink",""))' "$TMP/body")
done
same "$total" 41 "enabled users seen while paging (40 + anna)"
same "$pages" 3 "pages of 15"
same "$wrong" 0 "rows of another state"
req "$RO" "$L${F}perUserMfaState%20eq%20${SQ}enforced${SQ}"
same "$(count)" 10 "enforced"
body_lacks '@odata.nextLink'
req "$RO" "$L${F}perUserMfaState%20eq%20${SQ}disabled${SQ}&\$top=999"
same "$(count)" 205 "disabled (250 - 50 + anders, gwen, hank, plain, the first admin)"

# ---- state and a name clause ----
req "$RO" "$L${F}perUserMfaState%20eq%20${SQ}enabled${SQ}%20and%20startswith(displayName,${SQ}an${SQ})"
same "$(count)" 1 "enabled and name starts with 'an'"
same "$(json value.0.userPrincipalName < "$TMP/body")" "anna@contoso.test" "it is anna"
req "$RO" "$L${F}startswith(userPrincipalName,${SQ}M02${SQ})%20and%20perUserMfaState%20eq%20${SQ}enforced${SQ}"
same "$(count)" 1 "UPN prefix (any case) and enforced: m025"
same "$(json value.0.userPrincipalName < "$TMP/body")" "m025@contoso.test" "it is m025"
req "$RO" "$L${F}userPrincipalName%20eq%20${SQ}plain@contoso.test${SQ}"
same "$(count)" 1 "UPN eq"
req "$RO" "$L${F}displayName%20eq%20${SQ}it${SQ}${SQ}s%20and%20more${SQ}"
same "$S" 200 "a quote and ' and ' inside a literal"
same "$(count)" 0 "nobody is called that"

# ---- \$select ----
req "$RO" "$L?\$top=1&\$select=perUserMfaState"
same "$S" 200 "select"
body_has '"perUserMfaState"'
body_has '"id"'
body_lacks '"userPrincipalName"'

# ---- bad query options: 400 in the Graph shape ----
for q in "${F}startswith(perUserMfaState,${SQ}en${SQ})" \
         "${F}perUserMfaState%20eq%20${SQ}sometimes${SQ}" \
         "${F}perUserMfaState%20eq%20${SQ}enabled${SQ}%20and%20perUserMfaState%20eq%20${SQ}enforced${SQ}" \
         "${F}startswith(displayName,${SQ}a${SQ})%20and%20startswith(userPrincipalName,${SQ}a${SQ})" \
         "${F}perUserMfaState%20eq%20${SQ}enabled${SQ}%20or%20displayName%20eq%20${SQ}x${SQ}" \
         "${F}mail%20eq%20${SQ}x${SQ}" \
         "${F}perUserMfaState%20eq%20${SQ}enabled${SQ}%20and" \
         "?\$top=0" "?\$orderby=displayName" "?\$select=mail"; do
  req "$RO" "$L$q"
  same "$S" 400 "bad query $q"
  body_has '"code":"Request_BadRequest"'
  body_has '"request-id"'
done

# ---- who may read it ----
req "" "$L"
same "$S" 401 "no token"
req "$NO" "$L"
same "$S" 403 "AuditLog.Read.All cannot list per-user MFA"
body_has '"code":"Authorization_RequestDenied"'
req "$GWEN" "$L?\$top=1"
same "$S" 200 "Global Reader lists"
req "$HANK" "$L"
same "$S" 403 "Helpdesk Administrator cannot (not in PER_USER_MFA_READ)"
req "$PLAIN" "$L"
same "$S" 403 "a user without a role cannot"

finish
