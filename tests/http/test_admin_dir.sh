#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The admin API's groups and directory roles (docs/admin-api.md) against
# the real server: groups list/get/create/update/delete with $filter, $top,
# $select and @odata.nextLink paging; members, transitiveMembers and
# members/$ref with nested groups and cycles refused; directoryRoles (by
# id, roleTemplateId= and (roleTemplateId='…')) with members/$ref; the
# Graph error shape with the JSON path; 403 at each permission and role
# boundary (app-only and delegated tokens), a User Administrator kept from
# administrators' memberships and from role assignment; every change
# audited with the actor; a $batch with groups requests; a group that a
# Conditional Access policy names (or a group inside it, transitively) refused
# deletion (409) until it is dropped.
. "$TG_TEST_SRCDIR/tests/lib.sh"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"

# security defaults off: this test sets per-user MFA and policies itself
tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1

read -r GRW_ID GRW_SECRET <<< "$(newapp grw Group.ReadWrite.All)"
read -r GRO_ID GRO_SECRET <<< "$(newapp gro Group.Read.All)"
read -r GM_ID GM_SECRET <<< "$(newapp gm GroupMember.ReadWrite.All)"
read -r RRW_ID RRW_SECRET <<< "$(newapp rrw RoleManagement.ReadWrite.Directory)"
read -r RRO_ID RRO_SECRET <<< "$(newapp rro RoleManagement.Read.Directory)"
read -r DIR_ID DIR_SECRET <<< "$(newapp dir Directory.Read.All)"
read -r USR_ID USR_SECRET <<< "$(newapp usr User.ReadWrite.All)"
read -r AUD_ID AUD_SECRET <<< "$(newapp aud AuditLog.Read.All)"

for u in alice bob carol dave plain gail gwen uma pria polly; do
  printf '%s\n' "$PW" | tg user add "$u@contoso.test" --password-stdin >/dev/null || fail "user $u"
done
tg role assign gail@contoso.test "Global Administrator" >/dev/null
tg role assign gwen@contoso.test "Global Reader" >/dev/null
tg role assign uma@contoso.test "User Administrator" >/dev/null
tg role assign pria@contoso.test "Privileged Role Administrator" >/dev/null
tg role assign polly@contoso.test "Authentication Policy Administrator" >/dev/null
uid() { tg --json user show "$1" | json id; }
ALICE=$(uid alice@contoso.test); BOB=$(uid bob@contoso.test); CAROL=$(uid carol@contoso.test)
DAVE=$(uid dave@contoso.test); PLAIN_ID=$(uid plain@contoso.test); GWEN_ID=$(uid gwen@contoso.test)
[ -n "$ALICE" ] && [ -n "$PLAIN_ID" ] && ok || fail "no user ids"

start_server || exit 1
GRAPH="https://graph.microsoft.com/v1.0"

GRW=$(token "$GRW_ID" "$GRW_SECRET"); GRO=$(token "$GRO_ID" "$GRO_SECRET")
GM=$(token "$GM_ID" "$GM_SECRET"); RRW=$(token "$RRW_ID" "$RRW_SECRET")
RRO=$(token "$RRO_ID" "$RRO_SECRET"); DIRR=$(token "$DIR_ID" "$DIR_SECRET")
USR=$(token "$USR_ID" "$USR_SECRET"); AUD=$(token "$AUD_ID" "$AUD_SECRET")
[ -n "$GRW" ] && [ -n "$GRO" ] && [ -n "$GM" ] && [ -n "$RRW" ] && [ -n "$RRO" ] && \
  [ -n "$DIRR" ] && [ -n "$USR" ] && [ -n "$AUD" ] && ok || fail "no app tokens"

denied() { status 403 "$1"; body_has '"code":"Authorization_RequestDenied"'; }
ref() { echo "{\"@odata.id\":\"$1\"}"; }

# ---- authentication ----
req "" GET /v1.0/groups
status 401 "no token"
req "" GET /v1.0/directoryRoles
status 401 "no token (roles)"

# ---- groups: create ----
req "$GRW" POST /v1.0/groups -H "$CT" \
  -d '{"displayName":"Finance","description":"Money","mailEnabled":false,"mailNickname":"finance","securityEnabled":true,"groupTypes":[]}'
status 201 "create"
body_has '"displayName":"Finance"'
body_has '"securityEnabled":true'
body_has '"mailEnabled":false'
body_has '"groupTypes":[]'
body_has '"@odata.context"'
body_has '$metadata#groups/$entity'
FIN=$(json id < "$TMP/body")
req "$GRW" POST /v1.0/groups -H "$CT" \
  -d "{\"displayName\":\"Staff\",\"members@odata.bind\":[\"$GRAPH/users/$ALICE\",\"$GRAPH/directoryObjects/$BOB\"]}"
status 201 "create with members"
STAFF=$(json id < "$TMP/body")
req "$GRO" GET "/v1.0/groups/$STAFF/members"
status 200 "members of a new group"
same "$(count < "$TMP/body")" 2 "members bound at creation"
body_has '"@odata.type":"#microsoft.graph.user"'
body_has '"userPrincipalName":"alice@contoso.test"'
body_lacks 'pwhash'

# ---- groups: bad input ----
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"Finance"}'
status 400 "duplicate name"
body_has '"code":"Request_BadRequest"'
body_has 'displayName'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":'
status 400 "broken JSON"
body_has '"innerError"'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"X","displayNam":"Y"}'
status 400 "unknown member"
body_has 'displayNam: '
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":5}'
status 400 "wrong type"
body_has 'displayName'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"description":"no name"}'
status 400 "no displayName"
body_has 'displayName: is required'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"M","mailEnabled":true}'
status 400 "mail-enabled"
body_has 'mailEnabled'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"M","groupTypes":["Unified"]}'
status 400 "Microsoft 365 group"
body_has 'groupTypes[0]'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"M","isAssignableToRole":true}'
status 400 "role-assignable"
body_has 'isAssignableToRole'
req "$GRW" POST /v1.0/groups -H "$CT" -d "{\"displayName\":\"M\",\"owners@odata.bind\":[\"$GRAPH/users/$ALICE\"]}"
status 400 "owners"
body_has 'owners@odata.bind'
req "$GRW" POST /v1.0/groups -H "$CT" \
  -d "{\"displayName\":\"Ghosts\",\"members@odata.bind\":[\"$GRAPH/users/$ALICE\",\"$GRAPH/directoryObjects/00000000-0000-4000-8000-000000000000\"]}"
status 400 "unknown member object"
body_has 'members@odata.bind[1]'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"Ghosts","members@odata.bind":["https://example.com/whatever"]}'
status 400 "bad member URL"
body_has 'members@odata.bind[0]'
req "$GRW" POST /v1.0/groups -H "$CT" -d "{\"displayName\":\"Ghosts\",\"members@odata.bind\":[\"$GRAPH/users/$ALICE\",\"$GRAPH/users/alice@contoso.test\"]}"
status 400 "member listed twice"
body_has 'members@odata.bind[1]'
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"Ghosts","members@odata.bind":[7]}'
status 400 "member not a string"
body_has 'members@odata.bind[0]'
req "$GRO" GET "/v1.0/groups?\$filter=displayName%20eq%20'Ghosts'"
same "$(count < "$TMP/body")" 0 "nothing created by refused requests"
req "$GRW" POST /v1.0/groups -d 'displayName=x'
status 415 "form body"

# ---- groups: get, update ----
req "$GRO" GET "/v1.0/groups/$FIN"
status 200 "get"
body_has '"description":"Money"'
body_has '"createdDateTime"'
req "$GRO" GET "/v1.0/groups/$FIN?\$select=displayName"
status 200 "get with \$select"
body_lacks '"description"'
body_has '"id"'
req "$GRO" GET /v1.0/groups/00000000-0000-4000-8000-000000000000
status 404 "unknown group"
body_has '"code":"Request_ResourceNotFound"'
req "$GRO" GET /v1.0/groups/Finance
status 404 "groups are addressed by id, not name"
req "$GRO" GET "/v1.0/groups/$FIN/owners"
status 404 "unknown sub-resource"
req "$GRW" PATCH "/v1.0/groups/$FIN" -H "$CT" -d '{"displayName":"Finance Team","description":"Money and more"}'
status 204 "patch"
req "$GRO" GET "/v1.0/groups/$FIN"
body_has '"displayName":"Finance Team"'
body_has '"description":"Money and more"'
req "$GRW" PATCH "/v1.0/groups/$FIN" -H "$CT" -d '{"displayName":"Staff"}'
status 400 "rename to a taken name"
req "$GRW" PATCH "/v1.0/groups/$FIN" -H "$CT" -d '{"displayName":7}'
status 400 "patch wrong type"
body_has 'displayName'
req "$GRW" PATCH "/v1.0/groups/$FIN" -H "$CT" -d '{"securityEnabled":false}'
status 400 "patch securityEnabled"
body_has 'securityEnabled'
req "$GRW" PATCH "/v1.0/groups/$FIN" -H "$CT" -d '{"displayName":""}'
status 400 "patch empty name"
req "$GRW" PATCH /v1.0/groups/00000000-0000-4000-8000-000000000000 -H "$CT" -d '{"description":"x"}'
status 404 "patch unknown"
req "$GRW" PATCH "/v1.0/groups/$FIN" -H "$CT" -d "{\"members@odata.bind\":[\"$GRAPH/users/$DAVE\"]}"
status 204 "patch with members@odata.bind"

# ---- members, nesting, cycles ----
req "$GRW" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/directoryObjects/$CAROL")"
status 204 "add member"
req "$GRW" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/directoryObjects/$CAROL")"
status 400 "add member twice"
body_has 'already exist'
req "$GRW" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/groups/$FIN")"
status 204 "nest a group"
req "$GRO" GET "/v1.0/groups/$STAFF/members"
same "$(count < "$TMP/body")" 4 "direct members"
body_has '"@odata.type":"#microsoft.graph.group"'
body_has '"displayName":"Finance Team"'
body_lacks 'dave@contoso.test'
req "$GRO" GET "/v1.0/groups/$STAFF/transitiveMembers"
status 200 "transitive members"
same "$(count < "$TMP/body")" 5 "transitive members (dave through Finance)"
body_has 'dave@contoso.test'
req "$GRO" GET "/v1.0/groups/$STAFF/members?\$top=2"
body_has '@odata.nextLink'
NEXT=$(nextlink < "$TMP/body")
S=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $GRO" "$NEXT")
status 200 "members next page"
same "$(count < "$TMP/body")" 2 "members second page"
body_lacks '@odata.nextLink'
req "$GRO" GET "/v1.0/groups/$STAFF/members?\$select=userPrincipalName"
body_has '"userPrincipalName"'
body_lacks '"accountEnabled"'
req "$GRW" POST "/v1.0/groups/$FIN/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/groups/$STAFF")"
status 400 "cycle refused"
body_has 'cycle'
req "$GRW" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/groups/$STAFF")"
status 400 "self-membership refused"
body_has 'cycle'
for b in '{"@odata.id":"nonsense"}' '{"@odata.id":5}' '{}' \
         "{\"@odata.id\":\"$GRAPH/applications/$ALICE\"}" "{\"@odata.id\":\"$GRAPH/users/$ALICE\",\"x\":1}"; do
  req "$GRW" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$b"
  status 400 "bad reference $b"
  body_has '"code":"Request_BadRequest"'
done
req "$GRW" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/directoryObjects/00000000-0000-4000-8000-000000000000")"
status 404 "unknown member id"
body_has '"code":"Request_ResourceNotFound"'
req "$GRW" POST "/v1.0/groups/00000000-0000-4000-8000-000000000000/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$ALICE")"
status 404 "unknown group for \$ref"
req "$GRW" DELETE "/v1.0/groups/$STAFF/members/$CAROL/\$ref"
status 204 "remove member"
req "$GRW" DELETE "/v1.0/groups/$STAFF/members/$CAROL/\$ref"
status 404 "remove a non-member"
req "$GRW" DELETE "/v1.0/groups/$STAFF/members/$FIN/\$ref"
status 204 "un-nest a group"
req "$GRO" GET "/v1.0/groups/$STAFF/transitiveMembers"
same "$(count < "$TMP/body")" 2 "transitive members after removals"
tg group members Staff > "$TMP/out" 2>&1
grep -q alice@contoso.test "$TMP/out" && ! grep -q carol@contoso.test "$TMP/out" && ok || fail "CLI disagrees: $(cat "$TMP/out")"

# ---- wrong methods ----
req "$GRW" POST "/v1.0/groups/$FIN" -H "$CT" -d '{}'
status 405 "POST on a group"
body_has '"code":"Request_MethodNotAllowed"'
req "$GRW" GET "/v1.0/groups/$FIN/members/\$ref"
status 405 "GET on members/\$ref"
req "$GRW" PATCH /v1.0/groups -H "$CT" -d '{}'
status 405 "PATCH on the collection"
req "$GRW" PUT "/v1.0/groups/$FIN" -H "$CT" -d '{}'
status 405 "PUT on a group"
req "$RRW" PATCH "/v1.0/directoryRoles/62e90394-69f5-4237-9190-012177145e10" -H "$CT" -d '{}'
status 405 "PATCH on a role"
req "$RRW" POST "/v1.0/directoryRoles/62e90394-69f5-4237-9190-012177145e10" -H "$CT" -d '{}'
status 405 "POST on a role"

# ---- list, filter, paging ----
for i in $(seq -w 0 24); do tg group add "Team $i" >/dev/null || fail "group add $i"; done
# names of 256 bytes (the limit) make the skiptoken fall back to the id
LONGX="Z$(printf 'x%.0s' $(seq 1 255))"; LONGY="Z$(printf 'y%.0s' $(seq 1 255))"
req "$GRW" POST /v1.0/groups -H "$CT" -d "{\"displayName\":\"${LONGX}x\"}"
status 400 "a name over the limit"
body_has 'longer than'
tg group add "$LONGX" >/dev/null && tg group add "$LONGY" >/dev/null || fail "long names"
next="$G/v1.0/groups?\$top=10&\$filter=startswith(displayName,'team')"
pages=0; total=0
while [ -n "$next" ] && [ $pages -lt 10 ]; do
  curl -s -H "Authorization: Bearer $GRO" "$next" > "$TMP/page"
  n=$(count < "$TMP/page")
  total=$((total + n)); pages=$((pages + 1))
  next=$(nextlink < "$TMP/page")
done
same "$total" 25 "groups seen while paging"
same "$pages" 3 "pages of 10"
grep -q '"Team 24"' "$TMP/page" && ok || fail "last page lacks Team 24"
req "$GRO" GET "/v1.0/groups?\$filter=startswith(displayName,'Z')&\$top=1"
body_has "\"$LONGX\""
NEXT=$(nextlink < "$TMP/body")
case "$NEXT" in *skiptoken=i%3A*) ok ;; *) fail "no id skiptoken: $NEXT" ;; esac
S=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $GRO" "$NEXT")
status 200 "paging past a name too long for the skiptoken"
body_has "\"$LONGY\""
req "$GRO" GET "/v1.0/groups?\$filter=displayName%20eq%20'finance%20team'"
same "$(count < "$TMP/body")" 1 "eq is case-insensitive"
req "$GRO" GET "/v1.0/groups?\$select=displayName&\$top=999"
same "$(count < "$TMP/body")" 29 "all groups in one page"
body_lacks '"groupTypes"'
for q in "\$orderby=displayName" "\$top=0" "\$filter=description%20eq%20'x'" "\$select=mail" \
         "\$skiptoken=bogus" "\$expand=members"; do
  req "$GRO" GET "/v1.0/groups?$q"
  status 400 "unsupported $q"
  body_has '"code":"Request_BadRequest"'
done

# ---- directory roles ----
GA_ROLE=62e90394-69f5-4237-9190-012177145e10
SR_ROLE=5d6b6bb7-de71-4623-b4af-96380a352509
req "$RRO" GET /v1.0/directoryRoles
status 200 "roles"
NROLES=$(count < "$TMP/body")
[ "$NROLES" -ge 20 ] && ok || fail "only $NROLES roles"
body_has "\"roleTemplateId\":\"$GA_ROLE\""
body_has '"displayName":"Privileged Role Administrator"'
body_has '$metadata#directoryRoles'
next="$G/v1.0/directoryRoles?\$top=5"; pages=0; total=0
while [ -n "$next" ] && [ $pages -lt 20 ]; do
  curl -s -H "Authorization: Bearer $RRO" "$next" > "$TMP/page"
  total=$((total + $(count < "$TMP/page"))); pages=$((pages + 1))
  next=$(nextlink < "$TMP/page")
done
same "$total" "$NROLES" "roles seen while paging"
req "$RRO" GET "/v1.0/directoryRoles?\$filter=displayName%20eq%20'Global%20Reader'"
same "$(count < "$TMP/body")" 1 "role filter"
for p in "/v1.0/directoryRoles/$GA_ROLE" "/v1.0/directoryRoles/roleTemplateId=$GA_ROLE" \
         "/v1.0/directoryRoles(roleTemplateId='$GA_ROLE')"; do
  req "$RRO" GET "$p"
  status 200 "role $p"
  body_has '"displayName":"Global Administrator"'
  body_has "\"id\":\"$GA_ROLE\""
done
req "$RRO" GET /v1.0/directoryRoles/00000000-0000-4000-8000-000000000000
status 404 "unknown role"
body_has '"code":"Request_ResourceNotFound"'
req "$RRW" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/directoryObjects/$ALICE")"
status 204 "assign role"
req "$RRO" GET "/v1.0/directoryRoles/$SR_ROLE/members"
status 200 "role members"
body_has '"userPrincipalName":"alice@contoso.test"'
body_has '"@odata.type":"#microsoft.graph.user"'
tg user show alice@contoso.test > "$TMP/out" 2>&1
grep -q "Security Reader" "$TMP/out" && ok || fail "CLI does not show the role"
req "$RRW" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/alice@contoso.test")"
status 400 "assign twice"
body_has 'already exist'
req "$RRW" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/groups/$FIN")"
status 400 "a group cannot hold a role"
body_has '@odata.id'
req "$RRW" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d '{"@odata.id":"users"}'
status 400 "bad role reference"
req "$RRW" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/ghost@contoso.test")"
status 404 "assign to unknown user"
req "$RRW" POST "/v1.0/directoryRoles/00000000-0000-4000-8000-000000000000/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$ALICE")"
status 404 "assign unknown role"
req "$RRW" DELETE "/v1.0/directoryRoles/$SR_ROLE/members/$ALICE/\$ref"
status 204 "remove role"
req "$RRW" DELETE "/v1.0/directoryRoles/$SR_ROLE/members/$ALICE/\$ref"
status 404 "remove a role not held"
req "$RRO" GET "/v1.0/directoryRoles(roleTemplateId='$SR_ROLE')/members"
same "$(count < "$TMP/body")" 0 "role members after removal"

# ---- application permission boundaries ----
req "$GRO" POST /v1.0/groups -H "$CT" -d '{"displayName":"Nope"}'
denied "Group.Read.All cannot create"
req "$GRO" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$CAROL")"
denied "Group.Read.All cannot add members"
req "$GRO" DELETE "/v1.0/groups/$FIN"
denied "Group.Read.All cannot delete"
req "$GM" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$CAROL")"
status 204 "GroupMember.ReadWrite.All adds members"
req "$GM" PATCH "/v1.0/groups/$STAFF" -H "$CT" -d "{\"members@odata.bind\":[\"$GRAPH/users/$DAVE\"]}"
status 204 "GroupMember.ReadWrite.All binds members"
req "$GM" PATCH "/v1.0/groups/$STAFF" -H "$CT" -d '{"displayName":"Renamed"}'
denied "GroupMember.ReadWrite.All cannot rename"
req "$GM" POST /v1.0/groups -H "$CT" -d '{"displayName":"Nope"}'
denied "GroupMember.ReadWrite.All cannot create"
req "$GRW" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$CAROL")"
denied "Group.ReadWrite.All cannot assign roles"
req "$RRO" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$CAROL")"
denied "RoleManagement.Read.Directory cannot assign roles"
req "$RRO" DELETE "/v1.0/directoryRoles/$GA_ROLE/members/$ALICE/\$ref"
denied "RoleManagement.Read.Directory cannot remove roles"
req "$USR" GET /v1.0/groups
denied "User.ReadWrite.All cannot read groups"
req "$USR" GET /v1.0/directoryRoles
denied "User.ReadWrite.All cannot read roles"
req "$RRO" GET /v1.0/groups
denied "RoleManagement.Read.Directory cannot read groups"
req "$GRO" GET /v1.0/directoryRoles
denied "Group.Read.All cannot read roles"
req "$DIRR" GET "/v1.0/groups/$STAFF/members"
status 200 "Directory.Read.All reads groups"
req "$DIRR" GET "/v1.0/directoryRoles/$GA_ROLE/members"
status 200 "Directory.Read.All reads roles"
body_lacks 'gwen@contoso.test'
req "$DIRR" POST /v1.0/groups -H "$CT" -d '{"displayName":"Nope"}'
denied "Directory.Read.All cannot create"

# ---- delegated tokens: directory role boundaries ----
PUB=$(public_client)
GAIL=$(delegated gail@contoso.test); GWEN=$(delegated gwen@contoso.test)
UMA=$(delegated uma@contoso.test); PRIA=$(delegated pria@contoso.test)
POLLY=$(delegated polly@contoso.test); PLAIN=$(delegated plain@contoso.test)
[ -n "$GAIL" ] && [ -n "$GWEN" ] && [ -n "$UMA" ] && [ -n "$PRIA" ] && [ -n "$POLLY" ] && \
  [ -n "$PLAIN" ] && ok || fail "no delegated tokens"

req "$PLAIN" GET /v1.0/groups
denied "a user without a role cannot read groups"
req "$PLAIN" GET /v1.0/directoryRoles
denied "a user without a role cannot read roles"
# Global Reader reads everything and changes nothing
req "$GWEN" GET /v1.0/groups
status 200 "Global Reader lists groups"
req "$GWEN" GET "/v1.0/directoryRoles/$GA_ROLE/members"
status 200 "Global Reader lists role members"
body_has 'gail@contoso.test'
req "$GWEN" POST /v1.0/groups -H "$CT" -d '{"displayName":"Nope"}'
denied "Global Reader cannot create"
req "$GWEN" PATCH "/v1.0/groups/$FIN" -H "$CT" -d '{"description":"x"}'
denied "Global Reader cannot update"
req "$GWEN" DELETE "/v1.0/groups/$FIN"
denied "Global Reader cannot delete"
req "$GWEN" POST "/v1.0/groups/$FIN/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$PLAIN_ID")"
denied "Global Reader cannot add members"
req "$GWEN" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$PLAIN_ID")"
denied "Global Reader cannot assign roles"
# User Administrator: groups yes, administrators' memberships and roles no
req "$UMA" POST /v1.0/groups -H "$CT" -d '{"displayName":"Uma group"}'
status 201 "User Administrator creates a group"
UMAG=$(json id < "$TMP/body")
req "$UMA" POST "/v1.0/groups/$UMAG/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$PLAIN_ID")"
status 204 "User Administrator adds a non-admin"
req "$UMA" POST "/v1.0/groups/$UMAG/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$GWEN_ID")"
denied "User Administrator cannot add an administrator"
req "$UMA" POST "/v1.0/groups/$UMAG/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/uma@contoso.test")"
denied "User Administrator cannot add themselves"
tg group add Admins >/dev/null && tg group member add Admins --user gail@contoso.test >/dev/null || fail "Admins group"
ADMINS=$(tg --json group list | python3 -c 'import json,sys
d=json.load(sys.stdin); d=d if isinstance(d,list) else d.get("groups",d.get("value",[]))
print(next(g["id"] for g in d if g.get("name",g.get("displayName"))=="Admins"))')
[ -n "$ADMINS" ] && ok || fail "no Admins id"
req "$UMA" POST "/v1.0/groups/$UMAG/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/groups/$ADMINS")"
denied "User Administrator cannot nest a group holding an administrator"
req "$UMA" POST /v1.0/groups -H "$CT" -d "{\"displayName\":\"Sneaky\",\"members@odata.bind\":[\"$GRAPH/users/$GWEN_ID\"]}"
denied "User Administrator cannot create a group with an administrator in it"
req "$UMA" DELETE "/v1.0/groups/$ADMINS/members/gail@contoso.test/\$ref"
denied "User Administrator cannot take an administrator out"
req "$UMA" DELETE "/v1.0/groups/$ADMINS"
denied "User Administrator cannot delete a group holding an administrator"
req "$UMA" POST "/v1.0/directoryRoles/$GA_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$PLAIN_ID")"
denied "User Administrator cannot assign Global Administrator"
req "$UMA" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$PLAIN_ID")"
denied "User Administrator cannot assign any role"
req "$UMA" GET "/v1.0/directoryRoles/$GA_ROLE/members"
status 200 "User Administrator reads role members"
req "$UMA" DELETE "/v1.0/groups/$UMAG"
status 204 "User Administrator deletes a group of non-admins"
# Privileged Role Administrator assigns roles (Global Administrator included)
req "$PRIA" POST "/v1.0/directoryRoles/$GA_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$PLAIN_ID")"
status 204 "Privileged Role Administrator assigns Global Administrator"
req "$PRIA" DELETE "/v1.0/directoryRoles/$GA_ROLE/members/$PLAIN_ID/\$ref"
status 204 "Privileged Role Administrator removes it"
req "$PRIA" POST /v1.0/groups -H "$CT" -d '{"displayName":"Nope"}'
denied "Privileged Role Administrator cannot create groups"
# Global Administrator does all
req "$GAIL" POST "/v1.0/groups/$ADMINS/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$GWEN_ID")"
status 204 "Global Administrator adds an administrator"
req "$GAIL" POST "/v1.0/directoryRoles/$SR_ROLE/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/users/$CAROL")"
status 204 "Global Administrator assigns a role"
# audit reading: Authentication Policy Administrator yes (entra.md §7), User Administrator no
req "$POLLY" GET "/v1.0/auditLogs/directoryAudits?\$top=1"
status 200 "Authentication Policy Administrator reads directory audits"
req "$UMA" GET "/v1.0/auditLogs/directoryAudits?\$top=1"
denied "User Administrator cannot read directory audits"

# ---- audited with the actor ----
tg audit list --limit 500 > "$TMP/audit" 2>&1
for want in "group.create" "group.update" "group.member_add" "group.member_remove" "group.delete" \
            "role.assign" "role.remove" "app:$GRW_ID" "app:$RRW_ID" "user:uma@contoso.test" \
            "user:pria@contoso.test" "user:gail@contoso.test"; do
  grep -qF -- "$want" "$TMP/audit" && ok || fail "audit lacks $want"
done
grep "role.assign" "$TMP/audit" | grep "user:pria@contoso.test" | grep -q "plain@contoso.test" && ok ||
  fail "role assignment not audited with actor and target"
req "$AUD" GET "/v1.0/auditLogs/directoryAudits?\$filter=activityDisplayName%20eq%20'group.update'"
status 200 "directory audits"
body_has "\"appId\":\"$GRW_ID\""
body_has 'displayName=Finance'

# ---- $batch ----
cat > "$TMP/batch.json" <<JSON
{"requests": [
 {"id": "1", "method": "GET", "url": "/groups?\$filter=startswith(displayName,'Team')&\$top=2&\$select=displayName"},
 {"id": "2", "method": "POST", "url": "/groups", "headers": {"Content-Type": "application/json"},
  "body": {"displayName": "Batched", "members@odata.bind": ["$GRAPH/users/$ALICE"]}},
 {"id": "3", "method": "GET", "url": "/groups/$STAFF/members"},
 {"id": "4", "method": "POST", "url": "/groups/$FIN/members/\$ref", "headers": {"Content-Type": "application/json"},
  "body": {"@odata.id": "$GRAPH/directoryObjects/$CAROL"}},
 {"id": "5", "method": "GET", "url": "/groups/00000000-0000-4000-8000-000000000000"},
 {"id": "6", "method": "GET", "url": "/directoryRoles"}
]}
JSON
req "$GRW" POST '/v1.0/$batch' -H "$CT" --data-binary @"$TMP/batch.json"
status 200 "batch"
same "$(json responses.0.status < "$TMP/body")" 200 "batch list"
same "$(json responses.0.body.value.0.displayName < "$TMP/body")" "Team 00" "batch list body"
same "$(json responses.1.status < "$TMP/body")" 201 "batch create"
same "$(json responses.1.body.displayName < "$TMP/body")" Batched "batch create body"
same "$(json responses.2.status < "$TMP/body")" 200 "batch members"
same "$(json responses.3.status < "$TMP/body")" 204 "batch \$ref"
same "$(json responses.4.status < "$TMP/body")" 404 "batch unknown group"
same "$(json responses.5.status < "$TMP/body")" 403 "batch keeps the app's permissions"
req "$GRO" GET "/v1.0/groups?\$filter=displayName%20eq%20'Batched'"
same "$(count < "$TMP/body")" 1 "batched group exists"
BATCHED=$(json value.0.id < "$TMP/body")
req "$GRO" GET "/v1.0/groups/$BATCHED/members"
body_has 'alice@contoso.test'

# ---- a user's groups and roles: memberOf, transitiveMemberOf ----
printf '%s\n' "$PW" | tg user add mo@contoso.test --password-stdin >/dev/null && \
  tg role assign mo@contoso.test "Global Reader" >/dev/null && \
  tg group add "Outer-M" >/dev/null && tg group add "Inner-M" >/dev/null && \
  tg group member add "Outer-M" --group "Inner-M" >/dev/null && \
  tg group member add "Inner-M" --user mo@contoso.test >/dev/null || fail "memberOf set-up"
MO=$(uid mo@contoso.test)
req "$DIRR" GET "/v1.0/users/$MO/memberOf"
status 200 "memberOf"
same "$(count < "$TMP/body")" 2 "memberOf: the direct group and the role"
same "$(json value.0.displayName < "$TMP/body")" "Inner-M" "groups first"
same "$(json value.1.displayName < "$TMP/body")" "Global Reader" "then roles"
body_has '"#microsoft.graph.directoryRole"'
body_has '"#microsoft.graph.group"'
body_lacks 'Outer-M'
req "$DIRR" GET "/v1.0/users/mo@contoso.test/transitiveMemberOf"
status 200 "transitiveMemberOf by UPN"
same "$(count < "$TMP/body")" 3 "transitive: the nesting group too"
body_has 'Outer-M'
req "$DIRR" GET "/v1.0/users/$MO/transitiveMemberOf?\$top=2&\$select=displayName"
same "$(count < "$TMP/body")" 2 "memberOf page 1"
body_lacks 'createdDateTime'
NL=$(nextlink < "$TMP/body")
[ -n "$NL" ] && ok || fail "memberOf nextLink"
S=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $DIRR" "$NL")
status 200 "memberOf page 2"
same "$(count < "$TMP/body")" 1 "memberOf page 2 has the rest"
same "$(nextlink < "$TMP/body")" "" "memberOf: no page 3"
req "$DIRR" GET "/v1.0/users/$PLAIN_ID/memberOf"
same "$(count < "$TMP/body")" 0 "no groups, no roles"
req "$DIRR" GET "/v1.0/users/ghost@contoso.test/memberOf"
status 404 "memberOf: unknown user"
req "$DIRR" GET "/v1.0/users/$MO/memberOf?\$skiptoken=zzz"
status 400 "memberOf: bad skiptoken"
req "$GRO" GET "/v1.0/users/$MO/memberOf"
status 403 "memberOf needs role read too"
req "$RRO" GET "/v1.0/users/$MO/memberOf"
status 403 "memberOf needs group read too"
req "" GET "/v1.0/users/$MO/memberOf"
status 401 "memberOf without a token"

# ---- delete: a group a Conditional Access policy names is kept ----
# (deleting it would silently change whom the policy covers; any state)
CAP=$(apptoken ca-robot Policy.ReadWrite.ConditionalAccess Policy.Read.All)
[ -n "$CAP" ] && ok || fail "no policy token"
CAPOL=/v1.0/identity/conditionalAccess/policies
# capol NAME STATE USERS: a policy with conditions.users USERS; its id
# (nothing when refused: checked by the caller, this runs in a subshell)
capol() {
  req "$CAP" POST $CAPOL -H "$CT" -d "{\"displayName\":\"$1\",\"state\":\"$2\",\"conditions\":{\"users\":$3,\"applications\":{\"includeApplications\":[\"All\"]},\"clientAppTypes\":[\"all\"]},\"grantControls\":{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"]}}"
  json id < "$TMP/body"
}
req "$GRW" POST /v1.0/groups -H "$CT" -d "{\"displayName\":\"Guarded In\",\"members@odata.bind\":[\"$GRAPH/users/$DAVE\"]}"
status 201 "create Guarded In"; GIN=$(json id < "$TMP/body")
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"Guarded Out"}'
status 201 "create Guarded Out"; GOUT=$(json id < "$TMP/body")
PIN=$(capol "Guard MFA" enabled "{\"includeGroups\":[\"$GIN\"]}")
POUT=$(capol "Guard report" enabledForReportingButNotEnforced "{\"includeUsers\":[\"All\"],\"excludeGroups\":[\"$GOUT\"]}")
[ -n "$PIN" ] && [ -n "$POUT" ] && ok || fail "no guard policy ids"
DELS=$(tg audit list --action group.delete --limit 1000 | wc -l)
req "$GRW" DELETE "/v1.0/groups/$GIN"
status 409 "delete a group an enabled policy includes"
body_has '"code":"Request_Conflict"'
body_has '"message":"the group \"Guarded In\" is named in 1 Conditional Access policy (\"Guard MFA\"): remove the group from these policies first'
body_has '"request-id":"'
body_lacks 'Guard report'
req "$GRO" GET "/v1.0/groups/$GIN"
status 200 "the included group is still there"
req "$GRO" GET "/v1.0/groups/$GIN/members"
body_has 'dave@contoso.test'
req "$GRW" DELETE "/v1.0/groups/$GOUT"
status 409 "delete a group a report-only policy excludes"
body_has '"code":"Request_Conflict"'
body_has '(\"Guard report\"): remove the group from these policies first'
req "$GAIL" DELETE "/v1.0/groups/$GOUT"
status 409 "a Global Administrator is refused the same"
req "$UMA" DELETE "/v1.0/groups/$GOUT"
status 409 "a User Administrator is refused the same"
req "$GRO" DELETE "/v1.0/groups/$GOUT"
denied "no write permission: 403 before the policy check"
echo "{\"requests\":[{\"id\":\"1\",\"method\":\"DELETE\",\"url\":\"/groups/$GOUT\"}]}" > "$TMP/batch.json"
req "$GRW" POST '/v1.0/$batch' -H "$CT" --data-binary @"$TMP/batch.json"
same "$(json responses.0.status < "$TMP/body")" 409 "batch delete refused too"
same "$(json responses.0.body.error.code < "$TMP/body")" Request_Conflict "batch error code"
# a group inside a named group is kept too (its members would drop out of it)
req "$GRW" POST /v1.0/groups -H "$CT" -d '{"displayName":"Guarded Child"}'
status 201 "create Guarded Child"; GCH=$(json id < "$TMP/body")
req "$GRW" POST "/v1.0/groups/$GIN/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/groups/$GCH")"
status 204 "nest Guarded Child in Guarded In"
req "$GRW" DELETE "/v1.0/groups/$GCH"
status 409 "delete a group inside a group a policy names"
body_has '"code":"Request_Conflict"'
body_has '"the group \"Guarded Child\" is named in 1 Conditional Access policy through a group that contains it (\"Guard MFA\" names group \"Guarded In\", which contains this group)'
req "$GRO" GET "/v1.0/groups/$GCH"
status 200 "the nested group is still there"
same "$(tg audit list --action group.delete --limit 1000 | wc -l)" "$DELS" "no group.delete audited"
# once the policies drop the groups, they go
req "$CAP" PATCH "$CAPOL/$PIN" -H "$CT" -d '{"conditions":{"users":{"includeGroups":[],"includeUsers":["None"]}}}'
status 204 "policy drops the included group"
req "$CAP" PATCH "$CAPOL/$POUT" -H "$CT" -d '{"conditions":{"users":{"excludeGroups":[]}}}'
status 204 "policy drops the excluded group"
req "$GRW" DELETE "/v1.0/groups/$GIN"
status 204 "delete after the policy dropped it"
req "$GRO" GET "/v1.0/groups/$GIN"
status 404 "gone"
req "$GRW" DELETE "/v1.0/groups/$GOUT"
status 204 "delete the formerly excluded group"
req "$GRW" DELETE "/v1.0/groups/$GCH"
status 204 "the nested group goes once its parent is gone"
tg audit list --action group.delete --limit 1000 > "$TMP/audit"
grep -F "Guarded In" "$TMP/audit" | grep -qF "app:$GRW_ID" && ok || fail "guarded delete not audited with the actor"

# ---- delete ----
req "$GRW" POST "/v1.0/groups/$STAFF/members/\$ref" -H "$CT" -d "$(ref "$GRAPH/groups/$FIN")"
status 204 "nest again"
req "$GRW" DELETE "/v1.0/groups/$FIN"
status 204 "delete"
req "$GRO" GET "/v1.0/groups/$FIN"
status 404 "deleted"
req "$GRO" GET "/v1.0/groups/$STAFF/members"
body_lacks "$FIN"
req "$GRW" DELETE "/v1.0/groups/$FIN"
status 404 "delete twice"

finish
