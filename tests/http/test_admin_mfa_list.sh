#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GET /tollgate/v1/perUserMfa (docs/admin-api.md): the users with their
# per-user MFA state, paged, filtered by state and/or a UPN or display
# name clause joined by "and"; $select; bad filters answered 400 in the
# Graph shape; 401 without a token; 403 at each role and permission
# boundary.
. "$TG_TEST_SRCDIR/tests/lib.sh"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"

# security defaults off: this test sets per-user MFA and policies itself
tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1
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

for u in gwen hank plain; do
  printf '%s\n' "$PW" | tg user add "$u@contoso.test" --password-stdin >/dev/null
done
tg role assign gwen@contoso.test "Global Reader" >/dev/null
tg role assign hank@contoso.test "Helpdesk Administrator" >/dev/null
PUB=$(public_client)

start_server || exit 1

RO=$(token "$RO_ID" "$RO_SECRET")
NO=$(token "$NO_ID" "$NO_SECRET")
GWEN=$(delegated gwen@contoso.test)
HANK=$(delegated hank@contoso.test)
PLAIN=$(delegated plain@contoso.test)
[ -n "$RO" ] && [ -n "$NO" ] && [ -n "$GWEN" ] && [ -n "$HANK" ] && [ -n "$PLAIN" ] && ok ||
  fail "no tokens"

L=/tollgate/v1/perUserMfa
F="?\$filter="
SQ="%27"   # '

# ---- the list ----
req "$RO" GET "$L?\$top=3"
same "$S" 200 "list"
same "$(count < "$TMP/body")" 3 "list \$top=3"
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
  total=$((total + $(count < "$TMP/body")))
  wrong=$((wrong + $(python3 -c 'import json,sys
print(sum(1 for u in json.load(open(sys.argv[1]))["value"] if u["perUserMfaState"] != "enabled"))' "$TMP/body")))
  pages=$((pages + 1))
  next=$(nextlink < "$TMP/body")
done
same "$total" 41 "enabled users seen while paging (40 + anna)"
same "$pages" 3 "pages of 15"
same "$wrong" 0 "rows of another state"
req "$RO" GET "$L${F}perUserMfaState%20eq%20${SQ}enforced${SQ}"
same "$(count < "$TMP/body")" 10 "enforced"
body_lacks '@odata.nextLink'
req "$RO" GET "$L${F}perUserMfaState%20eq%20${SQ}disabled${SQ}&\$top=999"
same "$(count < "$TMP/body")" 205 "disabled (250 - 50 + anders, gwen, hank, plain, the first admin)"

# ---- state and a name clause ----
req "$RO" GET "$L${F}perUserMfaState%20eq%20${SQ}enabled${SQ}%20and%20startswith(displayName,${SQ}an${SQ})"
same "$(count < "$TMP/body")" 1 "enabled and name starts with 'an'"
same "$(json value.0.userPrincipalName < "$TMP/body")" "anna@contoso.test" "it is anna"
req "$RO" GET "$L${F}startswith(userPrincipalName,${SQ}M02${SQ})%20and%20perUserMfaState%20eq%20${SQ}enforced${SQ}"
same "$(count < "$TMP/body")" 1 "UPN prefix (any case) and enforced: m025"
same "$(json value.0.userPrincipalName < "$TMP/body")" "m025@contoso.test" "it is m025"
req "$RO" GET "$L${F}userPrincipalName%20eq%20${SQ}plain@contoso.test${SQ}"
same "$(count < "$TMP/body")" 1 "UPN eq"
req "$RO" GET "$L${F}displayName%20eq%20${SQ}it${SQ}${SQ}s%20and%20more${SQ}"
same "$S" 200 "a quote and ' and ' inside a literal"
same "$(count < "$TMP/body")" 0 "nobody is called that"

# ---- \$select ----
req "$RO" GET "$L?\$top=1&\$select=perUserMfaState"
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
  req "$RO" GET "$L$q"
  same "$S" 400 "bad query $q"
  body_has '"code":"Request_BadRequest"'
  body_has '"request-id"'
done

# ---- who may read it ----
req "" GET "$L"
same "$S" 401 "no token"
req "$NO" GET "$L"
same "$S" 403 "AuditLog.Read.All cannot list per-user MFA"
body_has '"code":"Authorization_RequestDenied"'
req "$GWEN" GET "$L?\$top=1"
same "$S" 200 "Global Reader lists"
req "$HANK" GET "$L"
same "$S" 403 "Helpdesk Administrator cannot (not in PER_USER_MFA_READ)"
req "$PLAIN" GET "$L"
same "$S" 403 "a user without a role cannot"

finish
