#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The admin API's Conditional Access and log endpoints against the real
# server, with app-only tokens: policies and named locations (create, list,
# get, PATCH, delete; bad JSON and ids naming no object of the tenant refused
# with their path and nothing stored;
# 409 under security defaults), a template in report-only, what-if, impact
# replay, the sign-in log (filters, $top and nextLink paging, get by id),
# directory audits (with the actor; $filter on initiatedBy: a delegated
# administrator's changes and an app's apart, with an action, paged, bad
# clauses refused), and 403 for a token lacking the permission.
. "$TG_TEST_SRCDIR/tests/lib.sh"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"

# security defaults off: this test sets per-user MFA and policies itself
tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1
printf '%s\n' "$PW" | tg user add alice@contoso.test --password-stdin >/dev/null
printf '%s\n' "$PW" | tg user add bob@contoso.test --password-stdin >/dev/null

start_server || exit 1

ADMIN=$(apptoken ca-robot Policy.ReadWrite.ConditionalAccess Policy.Read.All AuditLog.Read.All)
NOPE=$(apptoken user-robot User.Read.All)
[ -n "$ADMIN" ] && [ -n "$NOPE" ] && ok || fail "app-only tokens"

P=/v1.0/identity/conditionalAccess/policies
L=/v1.0/identity/conditionalAccess/namedLocations

# ---- named locations ---------------------------------------------------------
req "$ADMIN" POST $L -H "$CT" -d '{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"HQ","isTrusted":false,"ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"203.0.113.0/24"}]}'
status 201 "location create"; body_has '"displayName":"HQ"'; body_has '@odata.context'
LOC=$(json id < "$TMP/body")
req "$ADMIN" GET $L; status 200 "location list"; body_has "$LOC"
req "$ADMIN" GET "$L/$LOC"; status 200 "location get"; body_has '203.0.113.0/24'
req "$ADMIN" PATCH "$L/$LOC" -H "$CT" -d '{"displayName":"Head office"}'
status 204 "location patch"
req "$ADMIN" GET "$L/$LOC"; body_has '"displayName":"Head office"'; body_has '203.0.113.0/24'
req "$ADMIN" POST $L -H "$CT" -d '{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"X","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"nonsense"}]}'
status 400 "bad location"; body_has 'Request_BadRequest'; body_has 'ipRanges[0]'

# ---- policies ------------------------------------------------------------------
POL='{"displayName":"MFA for all","state":"enabledForReportingButNotEnforced","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}'
req "$ADMIN" POST $P -H "$CT" -d "$POL"
status 201 "policy create"; body_has '"state":"enabledForReportingButNotEnforced"'; body_has '"createdDateTime"'
PID=$(json id < "$TMP/body")
req "$ADMIN" GET $P; status 200 "policy list"; body_has "$PID"; body_has '"value":['
req "$ADMIN" GET "$P/$PID"; status 200 "policy get"; body_has '"displayName":"MFA for all"'
req "$ADMIN" PATCH "$P/$PID" -H "$CT" -d '{"displayName":"MFA for everyone"}'
status 204 "policy patch"
req "$ADMIN" GET "$P/$PID"; body_has '"displayName":"MFA for everyone"'; body_has '"builtInControls":["mfa"]'
# a bad PATCH is refused with its path, and nothing changes
req "$ADMIN" PATCH "$P/$PID" -H "$CT" -d '{"conditions":{"clientAppTypes":["carrierPigeon"]}}'
status 400 "bad patch"; body_has 'conditions.clientAppTypes[0]'
req "$ADMIN" GET "$P/$PID"; body_has '"clientAppTypes":["all"]'
# bad JSON: path in the message, nothing stored
req "$ADMIN" POST $P -H "$CT" -d '{"displayName":"Bad","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"OR","builtInControls":["mfa","teleport"]}}'
status 400 "bad policy"; body_has 'grantControls.builtInControls[1]'
req "$ADMIN" POST $P -H "$CT" -d '{"displayName":'
status 400 "malformed JSON"; body_has 'Request_BadRequest'
req "$ADMIN" POST $P -d "$POL"
status 415 "wrong content type"
# every id a policy names must exist in the tenant: 400 at its path, naming it
GHOST=0a0a0a0a-0000-4000-8000-00000000000a
BOBID=$(tg --json user show bob@contoso.test | json id)
for c in "users|includeUsers|[\"$BOBID\",\"$GHOST\"]|[1]|no user" \
         "users|excludeUsers|[\"$GHOST\"]|[0]|no user" \
         "users|includeGroups|[\"$GHOST\"]|[0]|no group" \
         "users|excludeGroups|[\"$GHOST\"]|[0]|no group" \
         "users|includeRoles|[\"62e90394-69f5-4237-9190-012177145e10\",\"$GHOST\"]|[1]|no directory role template" \
         "applications|includeApplications|[\"$GHOST\"]|[0]|no application" \
         "applications|excludeApplications|[\"$GHOST\"]|[0]|no application"; do
  IFS='|' read -r obj list ids idx what <<< "$c"
  users='"includeUsers":["All"]'; apps='"includeApplications":["All"]'
  case $list in
    includeUsers|includeGroups|includeRoles) users="\"$list\":$ids" ;;
    excludeUsers|excludeGroups) users="$users,\"$list\":$ids" ;;
    includeApplications) apps="\"$list\":$ids" ;;
    excludeApplications) apps="$apps,\"$list\":$ids" ;;
  esac
  req "$ADMIN" POST $P -H "$CT" -d "{\"displayName\":\"Ghost\",\"state\":\"disabled\",\"conditions\":{\"users\":{$users},\"applications\":{$apps}},\"grantControls\":{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"]}}"
  status 400 "unknown id in $list"; body_has 'Request_BadRequest'
  body_has "conditions.$obj.$list$idx: $what $GHOST"
done
# an update that keeps a missing id is refused the same way, nothing changed
req "$ADMIN" PATCH "$P/$PID" -H "$CT" -d "{\"conditions\":{\"users\":{\"includeUsers\":[\"All\"],\"excludeGroups\":[\"$GHOST\"]}}}"
status 400 "patch naming a missing group"; body_has "conditions.users.excludeGroups[0]: no group $GHOST in this tenant"
req "$ADMIN" GET "$P/$PID"; body_has '"excludeGroups":[]'
req "$ADMIN" GET $P
n=$(count < "$TMP/body")
same "$n" 1 "nothing stored by the refused requests"
req "$ADMIN" GET "$P/00000000-0000-4000-8000-00000000dead"; status 404 "unknown policy"; body_has Request_ResourceNotFound

# ---- template --------------------------------------------------------------------
req "$ADMIN" POST /tollgate/v1/conditionalAccess/templates/require-mfa-admins -H "$CT" -d '{"excludeUser":"alice@contoso.test"}'
status 201 "template"; body_has '"state":"enabledForReportingButNotEnforced"'
TPL=$(json id < "$TMP/body")
ALICE=$(tg --json user show alice@contoso.test | json id)
grep -qF "$ALICE" "$TMP/body" && ok || fail "template excludes the named administrator"
req "$ADMIN" POST /tollgate/v1/conditionalAccess/templates/require-mfa-admins
status 400 "an app-only template needs excludeUser"
req "$ADMIN" POST /tollgate/v1/conditionalAccess/templates/no-such-template -H "$CT" -d '{"excludeUser":"alice@contoso.test"}'
[ "$S" = 400 ] || [ "$S" = 404 ] && ok || fail "unknown template: $S"

# ---- security defaults: enabling a policy conflicts ------------------------------
req "$ADMIN" DELETE "$P/$TPL"; status 204 "template policy delete"
tg security-defaults enable >/dev/null 2>&1 || fail "security defaults enable"
req "$ADMIN" PATCH "$P/$PID" -H "$CT" -d '{"state":"enabled"}'
status 409 "enable under security defaults"; body_has 'Request_Conflict'
req "$ADMIN" POST $P -H "$CT" -d "${POL/enabledForReportingButNotEnforced/enabled}"
status 409 "create enabled under security defaults"
tg security-defaults disable >/dev/null 2>&1

# ---- what-if ---------------------------------------------------------------------
req "$ADMIN" POST /tollgate/v1/conditionalAccess/whatIf -H "$CT" -d '{"user":"bob@contoso.test","app":"admin-portal","ipAddress":"203.0.113.7","clientAppType":"browser","platform":"linux"}'
status 200 "what-if"; body_has '"appliedConditionalAccessPolicies"'; body_has "$PID"; body_has '"requirementSources"'
req "$ADMIN" POST /tollgate/v1/conditionalAccess/whatIf -H "$CT" -d '{"user":"bob@contoso.test","colour":"red"}'
status 400 "what-if unknown member"; body_has 'colour'
req "$ADMIN" POST /tollgate/v1/conditionalAccess/whatIf -H "$CT" -d '{"user":"bob@contoso.test","clientAppType":"fax"}'
status 400 "what-if bad client"; body_has 'clientAppType'

# ---- sign-in log ----------------------------------------------------------------
for i in 1 2 3; do
  tg signins record --user alice@contoso.test --app admin-portal --ip 198.51.100.$i --client browser >/dev/null || fail "record $i"
done
tg signins record --user bob@contoso.test --app my-signins --ip 198.51.100.9 --client browser >/dev/null || fail "record bob"
S_ALL=/beta/auditLogs/signIns
req "$ADMIN" GET "$S_ALL"; status 200 "signIns list"; body_has 'auditLogs/signIns'
n=$(count < "$TMP/body")
same "$n" 4 "four sign-ins"
first=$(json value.0.ipAddress < "$TMP/body")
same "$first" 198.51.100.9 "newest first"
req "$ADMIN" GET "$S_ALL" -G --data-urlencode "\$filter=userPrincipalName eq 'alice@contoso.test'" --data-urlencode '$top=2'
status 200 "filtered page 1"
n=$(count < "$TMP/body")
same "$n" 2 "page of 2"
NEXT=$(nextlink < "$TMP/body")
[ -n "$NEXT" ] && ok || fail "nextLink on a full page"
S=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" "$NEXT")
status 200 "page 2"
n=$(python3 -c 'import json,sys;d=json.load(sys.stdin);print(len(d["value"]), "@odata.nextLink" in d)' < "$TMP/body")
same "$n" "1 False" "last page of 1 without nextLink"
body_has 'alice@contoso.test'
SID=$(json value.0.id < "$TMP/body")
req "$ADMIN" GET "$S_ALL/$SID"; status 200 "signIn get"; body_has "\"id\":\"$SID\""; body_has '"conditionalAccessStatus"'
req "$ADMIN" GET "$S_ALL" -G --data-urlencode "\$filter=createdDateTime ge 2000-01-01T00:00:00Z and status/errorCode eq 0 and appId eq '7011a770-0000-4000-8000-000000000003'"
status 200 "range + errorCode + app filter"
n=$(count < "$TMP/body")
same "$n" 1 "one sign-in to My sign-ins"
req "$ADMIN" GET "$S_ALL" -G --data-urlencode "\$filter=createdDateTime le 2000-01-01T00:00:00Z"
n=$(count < "$TMP/body")
same "$n" 0 "nothing before 2000"
req "$ADMIN" GET "$S_ALL" -G --data-urlencode "\$filter=ipAddress eq '1.2.3.4'"
status 400 "unsupported filter"; body_has 'Request_BadRequest'
req "$ADMIN" GET "$S_ALL" -G --data-urlencode '$top=0'
status 400 "bad top"
# every sign-in that did not succeed: status/errorCode ne 0 (10 days ago,
# outside the impact replay's 7 days below)
printf '%s\n' "$PW" | tg user add fay.failing@contoso.test --password-stdin >/dev/null
tg mfa set enforced fay.failing@contoso.test >/dev/null 2>&1
tg signins record --user fay.failing@contoso.test --app my-signins --ip 198.51.100.20 --client other --protocol IMAP --at 10d >/dev/null || fail "record IMAP"
tg signins record --user fay.failing@contoso.test --app my-signins --ip 198.51.100.21 --client browser --at 10d >/dev/null || fail "record browser"
req "$ADMIN" GET "$S_ALL" -G --data-urlencode '$filter=status/errorCode ne 0'
status 200 "status/errorCode ne 0"
same "$(count < "$TMP/body")" 2 "the two sign-ins that did not succeed"
codes=$(python3 -c 'import json,sys; print(" ".join(sorted(str(s["status"]["errorCode"]) for s in json.load(sys.stdin)["value"])))' < "$TMP/body")
same "$codes" "50072 50076" "registration and app-password codes, no success"
req "$ADMIN" GET "$S_ALL" -G --data-urlencode "\$filter=status/errorCode ne 0 and userPrincipalName eq 'alice@contoso.test'"
same "$(count < "$TMP/body")" 0 "alice has no failures"
req "$ADMIN" GET "$S_ALL" -G --data-urlencode '$filter=status/errorCode ne 50076'
status 400 "ne takes only 0"; body_has 'ne takes only 0'

# ---- impact ------------------------------------------------------------------------
req "$ADMIN" POST /tollgate/v1/conditionalAccess/impact -H "$CT" -d '{"since":"7d","policy":{"displayName":"Block all","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"OR","builtInControls":["block"]}}}'
status 200 "impact"; body_has '"replayed":4'; body_has '"newlyBlocked":4'; body_has '"byUserAndApp"'
req "$ADMIN" POST /tollgate/v1/conditionalAccess/impact -H "$CT" -d '{"policy":{"displayName":"x","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"XOR","builtInControls":["block"]}}}'
status 400 "impact bad draft"; body_has 'policy.grantControls.operator'
req "$ADMIN" POST /tollgate/v1/conditionalAccess/impact -H "$CT" -d "{\"policy\":{\"displayName\":\"x\",\"state\":\"enabled\",\"conditions\":{\"users\":{\"includeGroups\":[\"$GHOST\"]},\"applications\":{\"includeApplications\":[\"All\"]}},\"grantControls\":{\"operator\":\"OR\",\"builtInControls\":[\"block\"]}}}"
status 400 "impact draft naming a missing group"; body_has "policy.conditions.users.includeGroups[0]: no group $GHOST"

# ---- delete ------------------------------------------------------------------------
req "$ADMIN" DELETE "$P/$PID"; status 204 "policy delete"
req "$ADMIN" GET "$P/$PID"; status 404 "policy gone"
req "$ADMIN" DELETE "$L/$LOC"; status 204 "location delete"
req "$ADMIN" GET "$L/$LOC"; status 404 "location gone"

# ---- directory audits ----------------------------------------------------------------
req "$ADMIN" GET /v1.0/auditLogs/directoryAudits -G --data-urlencode '$top=3'
status 200 "directoryAudits"; body_has '"activityDisplayName"'; body_has '"initiatedBy"'; body_has '"targetResources"'
body_has '"activityDisplayName":"location.delete"'
NEXT=$(nextlink < "$TMP/body")
[ -n "$NEXT" ] && ok || fail "audit nextLink"
S=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" "$NEXT")
status 200 "audit page 2"
req "$ADMIN" GET /v1.0/auditLogs/directoryAudits -G --data-urlencode "\$filter=activityDisplayName eq 'policy.create'"
status 200 "audit filter"; body_has '"operationType":"Add"'; body_has '"modifiedProperties"'
APPID=$(tg --json app list 2>/dev/null | python3 -c 'import json,sys
d=json.load(sys.stdin); d=d.get("value",d) if isinstance(d,dict) else d
print([a["appId"] for a in d if a["displayName"]=="ca-robot"][0])' 2>/dev/null)
[ -n "$APPID" ] && body_has "\"appId\":\"$APPID\"" || fail "the acting app id not found"

# ---- delegated tokens: directory roles ----------------------------------------------
for u in carl gwen helen sam; do
  printf '%s\n' "$PW" | tg user add "$u@contoso.test" --password-stdin >/dev/null
done
tg role assign carl@contoso.test "Conditional Access Administrator" >/dev/null
tg role assign gwen@contoso.test "Global Reader" >/dev/null
tg role assign helen@contoso.test "Authentication Administrator" >/dev/null
tg role assign sam@contoso.test "Security Administrator" >/dev/null
PUB=$(public_client)
CARL=$(delegated carl@contoso.test)
GWEN=$(delegated gwen@contoso.test)
HELEN=$(delegated helen@contoso.test)
SAM=$(delegated sam@contoso.test)
[ -n "$CARL" ] && [ -n "$GWEN" ] && [ -n "$HELEN" ] && [ -n "$SAM" ] && ok || fail "no delegated tokens"
req "$CARL" POST /tollgate/v1/conditionalAccess/templates/require-mfa-all-users
status 201 "CA Administrator creates a template"; body_has '"state":"enabledForReportingButNotEnforced"'
CARLID=$(tg --json user show carl@contoso.test | json id)
grep -qF "$CARLID" "$TMP/body" && ok || fail "the template excludes the calling administrator"
TPL2=$(json id < "$TMP/body")
req "$GWEN" GET "$P/$TPL2"; status 200 "Global Reader reads a policy"
req "$GWEN" PATCH "$P/$TPL2" -H "$CT" -d '{"displayName":"x"}'; status 403 "Global Reader cannot change a policy"
body_has Authorization_RequestDenied
req "$GWEN" GET "$S_ALL"; status 200 "Global Reader reads sign-ins"
req "$HELEN" GET $P; status 403 "Authentication Administrator cannot read policies"
req "$HELEN" GET /v1.0/auditLogs/directoryAudits; status 403 "Authentication Administrator cannot read audits"
req "$SAM" GET /v1.0/auditLogs/directoryAudits; status 200 "Security Administrator reads audits"
req "$SAM" DELETE "$P/$TPL2"; status 204 "Security Administrator deletes a policy"
req "$ADMIN" GET /v1.0/auditLogs/directoryAudits -G --data-urlencode "\$filter=targetId eq '$TPL2'"
body_has '"userPrincipalName":"carl@contoso.test"'; body_has '"userPrincipalName":"sam@contoso.test"'

# ---- directory audits by who made the change (initiatedBy) -------------------------
A=/v1.0/auditLogs/directoryAudits
# actors < JSON: the distinct initiatedBy of a page ("user:UPN", "app:ID"), one line
actors() { python3 -c 'import json,sys
s=set()
for a in json.load(sys.stdin)["value"]:
    b=a["initiatedBy"]; s.add("user:"+b["user"]["userPrincipalName"] if b.get("user") else "app:"+(b["app"].get("appId") or b["app"].get("displayName")))
print(" ".join(sorted(s)))'; }
# Carl makes four more changes (location create, two updates, delete): five in all
req "$CARL" POST $L -H "$CT" -d '{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"Carl","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"192.0.2.0/24"}]}'
status 201 "Carl creates a location"
CLOC=$(json id < "$TMP/body")
req "$CARL" PATCH "$L/$CLOC" -H "$CT" -d '{"displayName":"Carl 2"}'; status 204 "Carl renames it"
req "$CARL" PATCH "$L/$CLOC" -H "$CT" -d '{"displayName":"Carl 3"}'; status 204 "Carl renames it again"
req "$CARL" DELETE "$L/$CLOC"; status 204 "Carl deletes it"
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/userPrincipalName eq 'carl@contoso.test'"
status 200 "audits by Carl"
same "$(count < "$TMP/body")" 5 "Carl's five changes"
same "$(actors < "$TMP/body")" "user:carl@contoso.test" "only Carl's"
req "$SAM" GET $A -G --data-urlencode "\$filter=initiatedBy/user/userPrincipalName eq 'Sam@Contoso.TEST'"
status 200 "audits by Sam (UPN in any case), read by a Security Administrator"
same "$(count < "$TMP/body")" 1 "Sam's one change"
same "$(json value.0.activityDisplayName < "$TMP/body")" policy.delete "Sam deleted the policy"
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/id eq '$CARLID'"
status 200 "audits by Carl's object id"
same "$(count < "$TMP/body")" 5 "by id as by UPN"
same "$(json value.0.initiatedBy.user.id < "$TMP/body")" "$CARLID" "initiatedBy.user.id is Carl's object id"
same "$(json value.0.initiatedBy.user.userPrincipalName < "$TMP/body")" "carl@contoso.test" "and his UPN"
python3 -c 'import json,sys; u=json.load(sys.stdin)["value"][0]["initiatedBy"]["user"]; sys.exit(0 if "displayName" in u else 1)' < "$TMP/body" && ok || fail "initiatedBy.user has displayName"
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/id eq '00000000-0000-4000-8000-00000000dead'"
status 200 "an unknown user id is not an error"
same "$(count < "$TMP/body")" 0 "and initiated nothing"
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/app/appId eq '$APPID'" --data-urlencode '$top=999'
status 200 "audits by the app"
n=$(count < "$TMP/body")
[ "$n" -ge 8 ] && ok || fail "the app's changes: $n"   # 3 location, 5 policy (2 templates)
same "$(actors < "$TMP/body")" "app:$APPID" "only the app's"
# joined with activityDisplayName
req "$ADMIN" GET $A -G --data-urlencode "\$filter=activityDisplayName eq 'location.' and initiatedBy/user/userPrincipalName eq 'carl@contoso.test'"
status 200 "Carl's location changes"
same "$(count < "$TMP/body")" 4 "four location changes by Carl"
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/app/appId eq '$APPID' and activityDisplayName eq 'location.delete'"
status 200 "the app's location deletes"
same "$(count < "$TMP/body")" 1 "one location deleted by the app"
same "$(json value.0.targetResources.0.id < "$TMP/body")" "$LOC" "the app's, not Carl's"
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/userPrincipalName eq 'sam@contoso.test' and activityDisplayName eq 'location.'"
same "$(count < "$TMP/body")" 0 "Sam changed no location"
# paged: 2 + 2 + 1, the filter kept in nextLink, no record twice
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/userPrincipalName eq 'carl@contoso.test'" --data-urlencode '$top=2'
status 200 "Carl's page 1"; IDS=$(json value < "$TMP/body" | python3 -c 'import json,sys;print(" ".join(a["id"] for a in json.load(sys.stdin)))')
same "$(count < "$TMP/body")" 2 "page of 2"
for pg in 2 3; do
  NEXT=$(nextlink < "$TMP/body")
  case "$NEXT" in *initiatedBy*) ok ;; *) fail "nextLink lost the filter: $NEXT" ;; esac
  S=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" "$NEXT")
  status 200 "Carl's page $pg"
  same "$(actors < "$TMP/body")" "user:carl@contoso.test" "page $pg is Carl's"
  IDS="$IDS $(json value < "$TMP/body" | python3 -c 'import json,sys;print(" ".join(a["id"] for a in json.load(sys.stdin)))')"
done
same "$(count < "$TMP/body")" 1 "last page of 1"
same "$(nextlink < "$TMP/body")" "" "no nextLink after the last page"
same "$(echo $IDS | tr ' ' '\n' | sort -u | wc -l)" 5 "five different records over three pages"
# bad clauses: 400 in Graph's shape, naming the clause
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/userPrincipalName eq 'not a upn'"
status 400 "bad UPN"; body_has '"code":"Request_BadRequest"'; body_has 'initiatedBy/user/userPrincipalName is not a UPN'
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/id eq 'carl'"
status 400 "bad user id"; body_has 'initiatedBy/user/id takes'
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/app/appId eq ''"
status 400 "empty appId"; body_has 'initiatedBy/app/appId takes'
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/app/appId eq '$APPID' and initiatedBy/user/userPrincipalName eq 'carl@contoso.test'"
status 400 "two initiatedBy clauses"; body_has 'at most one initiatedBy'
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/displayName eq 'Carl'"
status 400 "unsupported initiatedBy property"; body_has 'initiatedBy/app/appId with eq'
req "$ADMIN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/userPrincipalName ge 'carl@contoso.test'"
status 400 "initiatedBy takes eq only"
req "$HELEN" GET $A -G --data-urlencode "\$filter=initiatedBy/user/userPrincipalName eq 'helen@contoso.test'"
status 403 "Authentication Administrator cannot read audits by actor either"; body_has Authorization_RequestDenied

# ---- authorization ------------------------------------------------------------------
req "$NOPE" GET $P; status 403 "policies without the permission"; body_has Authorization_RequestDenied
req "$NOPE" POST $P -H "$CT" -d "$POL"; status 403 "create without the permission"
req "$NOPE" GET $S_ALL; status 403 "sign-ins without AuditLog.Read.All"; body_has Authorization_RequestDenied
req "$NOPE" GET /v1.0/auditLogs/directoryAudits; status 403 "audits without AuditLog.Read.All"
req "$NOPE" POST /tollgate/v1/conditionalAccess/whatIf -H "$CT" -d '{"user":"bob@contoso.test"}'; status 403 "what-if without permission"
READER=$(apptoken reader-robot Policy.Read.All)
req "$READER" GET $P; status 200 "Policy.Read.All reads"
req "$READER" POST $P -H "$CT" -d "$POL"; status 403 "Policy.Read.All cannot write"
req not-a-token GET $P; status 401 "no valid token"

finish
