#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The policy-domain commands end to end on a fresh data directory: MFA
# service settings, security defaults and their conflicts, Conditional
# Access policies and templates, named locations, risk inputs, what-if, the
# sign-in log with the simulation tool, and policy impact — then bad input
# on every one of these commands: a clear message, exit status != 0, and
# nothing changed (state snapshot before and after).
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# --- set-up -------------------------------------------------------------
expect 0 "init" -- tg init --domain contoso.test --no-security-defaults
expect 0 "alice" -- tg user add alice@contoso.test --name Alice
expect 0 "bob" -- tg user add bob@contoso.test --name Bob
expect 0 "group" -- tg group add finance
expect 0 "member" -- tg group member add finance --user alice@contoso.test

# --- settings -------------------------------------------------------------
expect 0 "settings show" -- tg settings show
out_has "allow-app-passwords    false"
out_has "trusted-ips            none"
expect 0 "set trusted ips" -- tg settings set trusted-ips "10.0.0.0/8, 2001:db8::/48"
expect 0 "set remember" -- tg settings set remember-mfa-days 30
expect 0 "set options" -- tg settings set verification-options app-code,sms
expect 0 "set app passwords" -- tg settings set allow-app-passwords true
expect 0 "settings json" -- tg --json settings show
out_has '"rememberMfaDays": 30'
out_has '"2001:db8::/48"'
out_has '"verificationOptions": "appCode,sms"'
expect 0 "audit of settings" -- tg audit list --action settings.update
out_has '"rememberMfaDays":30'

# --- named locations --------------------------------------------------------
cat > "$TMP/office.json" <<'EOF'
{"@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "Office", "isTrusted": true,
 "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.11/24"}]}
EOF
expect 0 "location create" -- tg --json location create "$TMP/office.json"
out_has '"203.0.113.0/24"'
LOC=$(json_get 'd["id"]' < "$TMP/out")
expect 0 "location list" -- tg location list
out_has "Office"
expect 0 "location show" -- tg location show "$LOC"
out_has '"isTrusted": true'

# --- policies ---------------------------------------------------------------
cat > "$TMP/mfa.json" <<'EOF'
{"displayName": "Office MFA", "state": "enabled",
 "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                "clientAppTypes": ["browser", "mobileAppsAndDesktopClients"],
                "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}},
 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
EOF
expect 0 "policy create" -- tg --json policy create "$TMP/mfa.json"
POL=$(json_get 'd["id"]' < "$TMP/out")
out_has '"createdDateTime": "'
expect 0 "policy list" -- tg policy list
out_has "Office MFA"
out_has "enabled"
expect 0 "policy show" -- tg policy show "$POL"
out_has '"excludeLocations": ['
sed 's/"state": "enabled"/"state": "enabledForReportingButNotEnforced"/' "$TMP/mfa.json" > "$TMP/mfa-ro.json"
expect 0 "policy update" -- tg policy update "$POL" "$TMP/mfa-ro.json"
out_has "report-only"
expect 0 "template" -- tg policy template block-legacy-auth
out_has "report-only"
out_has "excludes"
TPL=$(tg --json policy list | json_get '[p["id"] for p in d if p["displayName"]=="Block legacy authentication"][0]')
expect 0 "template with --admin" -- tg policy template require-mfa-admins --admin admin@contoso.test
expect 0 "audit of policies" -- tg audit list --action policy.
out_has "policy.create"
out_has "policy.update"

# --- security defaults and their conflicts ---------------------------------
expect 0 "mfa set" -- tg mfa set enforced bob@contoso.test
expect 1 "sd refused: per-user" -- tg security-defaults enable
err_has "per-user MFA"
err_has "bob@contoso.test"
expect 0 "still enforced" -- tg mfa show bob@contoso.test
out_has "enforced"
expect 0 "policy on" -- tg policy update "$POL" "$TMP/mfa.json"
expect 1 "sd refused: policy" -- tg security-defaults enable --disable-per-user-mfa
err_has '"Office MFA"'
expect 0 "still enforced" -- tg mfa show bob@contoso.test
out_has "enforced"
expect 0 "policy off" -- tg policy update "$POL" "$TMP/mfa-ro.json"
expect 0 "sd enable with per-user off" -- tg security-defaults enable --disable-per-user-mfa
out_has "per-user MFA turned off for 1 user"
out_has "security defaults enabled"
expect 0 "bob disabled" -- tg mfa show bob@contoso.test
out_has "disabled"
expect 0 "sd show" -- tg --json security-defaults show
out_has '"isEnabled": true'
expect 1 "policy enable refused under sd" -- tg policy update "$POL" "$TMP/mfa.json"
err_has "security defaults"
expect 0 "whatif legacy under sd" -- tg whatif --user alice@contoso.test --app admin-portal --ip 198.51.100.7 --client exchangeActiveSync
out_has "Outcome: blocked, error 530035"
expect 0 "sd disable" -- tg security-defaults disable
expect 0 "sd disable again" -- tg security-defaults disable
out_has "already disabled"

# --- what-if ----------------------------------------------------------------
expect 0 "policy on again" -- tg policy update "$POL" "$TMP/mfa.json"
expect 0 "whatif outside" -- tg whatif --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client browser --platform windows
out_has "Outcome: registrationRequired, error 50072"
out_has "multiConditionalAccess"
out_has "failure                Office MFA"
out_has "reportOnlyNotApplied   Block legacy authentication"
expect 0 "whatif trusted location" -- tg whatif --user alice@contoso.test --app my-signins --ip 203.0.113.50 --client browser
out_has "Outcome: allow"
out_has "notApplied             Office MFA"
expect 0 "whatif trusted ips" -- tg whatif --user alice@contoso.test --app my-signins --ip 10.1.2.3 --client browser
out_has "Outcome: allow"
expect 0 "whatif json" -- tg --json whatif --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client browser --mfa-at 1h
out_has '"outcome": "allow"'
out_has '"requirementSources"'
out_has '"result": "success"'

# --- risk -------------------------------------------------------------------
expect 0 "bad ip add" -- tg risk bad-ip add 192.0.2.0/24
expect 0 "bad ip list" -- tg risk bad-ip list
out_has "192.0.2.0/24"
expect 0 "whatif bad ip" -- tg whatif --user bob@contoso.test --app my-signins --ip 192.0.2.9 --client other
out_has "sign-in high"
expect 0 "risk set" -- tg risk set-user bob@contoso.test high --reason "phished"
expect 0 "risk show" -- tg risk show bob@contoso.test
out_has "user risk: high"
out_has "phished"
expect 0 "risk dismiss" -- tg risk set-user bob@contoso.test none
expect 0 "risk show json" -- tg --json risk show bob@contoso.test
out_has '"riskLevel": "none"'
expect 0 "bad ip remove" -- tg risk bad-ip remove 192.0.2.7/24

# --- sign-ins -----------------------------------------------------------------
expect 0 "record 1" -- tg signins record --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client browser --at 2d --user-agent "Mozilla/5.0 (Windows NT 10.0)"
out_has "recorded sign-in"
out_has "registrationRequired"
expect 0 "record 2" -- tg signins record --user bob@contoso.test --app my-signins --ip 203.0.113.5 --client browser --at 1d
expect 0 "record imap" -- tg signins record --user bob@contoso.test --app 11111111-2222-4333-8444-555555555555 --ip 198.51.100.8 --client other --protocol IMAP --at 3h
expect 0 "signins list" -- tg signins list
out_has "alice@contoso.test"
out_has "bob@contoso.test"
expect 0 "signins list filter" -- tg --json signins list --user BOB@contoso.test
[ "$(json_get 'len(d["value"])' < "$TMP/out")" = 2 ] && ok || fail "two sign-ins of bob"
expect 0 "signins list error" -- tg --json signins list --error 50072
[ "$(json_get 'len(d["value"])' < "$TMP/out")" = 1 ] && ok || fail "one 50072"
expect 0 "signins list app" -- tg --json signins list --app my-signins --limit 1
CURSOR=$(json_get 'd["nextCursor"]' < "$TMP/out")
SID=$(json_get 'd["value"][0]["id"]' < "$TMP/out")
expect 0 "signins page 2" -- tg --json signins list --app my-signins --limit 1 --before "$CURSOR"
[ "$(json_get 'd["value"][0]["userPrincipalName"]' < "$TMP/out")" = "alice@contoso.test" ] && ok || fail "page 2"
expect 0 "signins show" -- tg signins show "$SID"
out_has "Conditional Access:"
out_has "Office MFA"
out_has "request id"
expect 0 "signins show json" -- tg --json signins show "$SID"
out_has '"appliedConditionalAccessPolicies"'

# --- policy impact ------------------------------------------------------------
cat > "$TMP/draft.json" <<'EOF'
{"displayName": "Block legacy now", "state": "disabled",
 "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                "clientAppTypes": ["exchangeActiveSync", "other"]},
 "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
EOF
expect 0 "impact" -- tg policy impact "$TMP/draft.json" --since 7d
out_has "replayed over 3 sign-ins"
out_has "would block    1 (1 of them were not blocked)"
out_has "bob@contoso.test"
expect 0 "impact json" -- tg --json policy impact "$TMP/draft.json"
out_has '"newlyBlocked": 1'

# --- help ---------------------------------------------------------------------
expect 0 "help lists new commands" -- tg --help
out_has "whatif"
out_has "security-defaults enable"
expect 0 "policy group help" -- tg policy --help
out_has "tollgate policy impact"
expect 0 "template help" -- tg policy template --help
out_has "require-password-change-high-risk-users"

# --- bad input on every command: exit != 0, message, nothing changed -------------
snapshot() {
  tg --json settings show; tg --json security-defaults show; tg --json policy list
  tg --json location list; tg --json risk bad-ip list; tg --json risk show bob@contoso.test
  tg --json signins list --limit 999 | grep -c '"id"'
  tg --json audit list --limit 100000 | grep -c '"seq"'
  tg --json user list
}
BEFORE=$(snapshot)
printf '{"displayName": "x", "state": "enabled", "conditions": {"users": {"includeUsers": ["All", "nope"]}, "applications": {"includeApplications": ["All"]}}}' > "$TMP/bad-user.json"
printf '{"displayName": "x",' > "$TMP/bad-syntax.json"
printf '{"displayName": "x", "state": "enabled", "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}}, "grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}}' > "$TMP/bad-pwchange.json"
printf '{"@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "x", "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "10.0.0.0/8"}]}' > "$TMP/bad-loc.json"
printf '{"displayName": "x", "state": "disabled", "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}, "locations": {"includeLocations": ["0a0a0a0a-0000-4000-8000-000000000000"]}}, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}' > "$TMP/bad-locref.json"

expect 2 "settings show extra" -- tg settings show extra
expect 2 "settings set missing value" -- tg settings set trusted-ips
expect 2 "settings set unknown key" -- tg settings set colour blue
err_has "unknown setting"
expect 1 "settings set bad bool" -- tg settings set allow-app-passwords maybe
err_has "allow-app-passwords"
expect 1 "settings set bad days" -- tg settings set remember-mfa-days 400
err_has "remember-mfa-days"
expect 1 "settings set bad option" -- tg settings set verification-options sms,pigeon
err_has "verification-options"
expect 1 "settings set bad cidr" -- tg settings set trusted-ips "10.0.0.0/8,300.0.0.0/8"
err_has "300.0.0.0/8"
expect 1 "settings set wide cidr" -- tg settings set trusted-ips 0.0.0.0/0
err_has "/8 or longer"
expect 2 "sd show extra" -- tg security-defaults show now
expect 2 "sd enable unknown option" -- tg security-defaults enable --force
expect 2 "sd disable option" -- tg security-defaults disable --disable-per-user-mfa
expect 1 "sd enable with policy on" -- tg security-defaults enable
err_has "Conditional Access"
expect 2 "policy create missing" -- tg policy create
expect 1 "policy create no file" -- tg policy create "$TMP/none.json"
err_has "cannot read"
expect 1 "policy create bad id" -- tg policy create "$TMP/bad-user.json"
err_has "conditions.users.includeUsers[1]"
expect 1 "policy create bad syntax" -- tg policy create "$TMP/bad-syntax.json"
err_has "invalid JSON"
expect 1 "policy create forbidden combination" -- tg policy create "$TMP/bad-pwchange.json"
err_has "passwordChange"
expect 1 "policy create unknown location" -- tg policy create "$TMP/bad-locref.json"
err_has "conditions.locations.includeLocations[0]"
printf 'not json' | expect 1 "policy create stdin garbage" -- tg policy create -
expect 1 "policy show unknown" -- tg policy show 00000000-0000-4000-8000-000000000000
err_has "no Conditional Access policy"
expect 1 "policy show garbage" -- tg policy show nope
expect 2 "policy update missing file" -- tg policy update "$POL"
expect 1 "policy update unknown" -- tg policy update 00000000-0000-4000-8000-000000000000 "$TMP/mfa.json"
expect 1 "policy update bad json" -- tg policy update "$POL" "$TMP/bad-user.json"
err_has "includeUsers[1]"
expect 1 "policy delete unknown" -- tg policy delete 00000000-0000-4000-8000-000000000000
expect 2 "policy delete extra" -- tg policy delete "$POL" extra
expect 2 "template unknown" -- tg policy template require-everything
err_has "unknown template"
expect 1 "template unknown admin" -- tg policy template block-legacy-auth --admin ghost@contoso.test
err_has "no user ghost@contoso.test"
expect 2 "template missing" -- tg policy template
expect 2 "impact missing" -- tg policy impact
expect 1 "impact bad draft" -- tg policy impact "$TMP/bad-user.json"
err_has "includeUsers[1]"
expect 2 "impact bad since" -- tg policy impact "$TMP/draft.json" --since lately
expect 2 "location create missing" -- tg location create
expect 1 "location create bad range" -- tg location create "$TMP/bad-loc.json"
err_has "ipRanges[0].cidrAddress"
expect 1 "location create not location" -- tg location create "$TMP/mfa.json"
expect 1 "location delete trusted" -- tg location delete "$LOC"
err_has "trusted"
expect 1 "location delete unknown" -- tg location delete 00000000-0000-4000-8000-000000000000
expect 1 "location show unknown" -- tg location show 00000000-0000-4000-8000-000000000000
expect 1 "location update bad" -- tg location update "$LOC" "$TMP/bad-loc.json"
expect 2 "risk show missing" -- tg risk show
expect 1 "risk show unknown" -- tg risk show ghost@contoso.test
expect 2 "risk set bad level" -- tg risk set-user bob@contoso.test medium
err_has "high"
expect 1 "risk set unknown user" -- tg risk set-user ghost@contoso.test high
expect 1 "risk set bad reason" -- tg risk set-user bob@contoso.test high --reason "$(printf 'a\tb')"
expect 1 "bad ip add garbage" -- tg risk bad-ip add nonsense
err_has "not an IPv4 or IPv6"
expect 1 "bad ip add wide" -- tg risk bad-ip add 0.0.0.0/1
expect 1 "bad ip remove absent" -- tg risk bad-ip remove 198.51.100.0/24
err_has "not in the bad-IP list"
expect 2 "bad ip list extra" -- tg risk bad-ip list 1.2.3.4
expect 2 "whatif missing" -- tg whatif --user alice@contoso.test
err_has "required"
expect 2 "whatif bad client" -- tg whatif --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client telnet
err_has "--client"
expect 2 "whatif bad platform" -- tg whatif --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client browser --platform beos
expect 2 "whatif bad risk" -- tg whatif --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client browser --risk extreme
expect 2 "whatif bad mfa-at" -- tg whatif --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client browser --mfa-at soon
expect 1 "whatif bad ip" -- tg whatif --user alice@contoso.test --app my-signins --ip 198.51.100.700 --client browser
err_has "not an IPv4 or IPv6 address"
expect 1 "whatif unknown user" -- tg whatif --user ghost@contoso.test --app my-signins --ip 198.51.100.7 --client browser
expect 1 "whatif unknown app" -- tg whatif --user alice@contoso.test --app payroll --ip 198.51.100.7 --client browser
err_has "unknown application"
expect 2 "record missing" -- tg signins record --user alice@contoso.test --app my-signins
expect 1 "record unknown user" -- tg signins record --user ghost@contoso.test --app my-signins --ip 198.51.100.7 --client browser
expect 2 "record bad at" -- tg signins record --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client browser --at whenever
expect 2 "record bad protocol" -- tg signins record --user alice@contoso.test --app my-signins --ip 198.51.100.7 --client other --protocol ""
expect 2 "list bad limit" -- tg signins list --limit 0
expect 2 "list bad error" -- tg signins list --error abc
expect 2 "list bad status" -- tg signins list --status maybe
expect 2 "list bad since" -- tg signins list --since someday
expect 2 "list bad cursor" -- tg signins list --before 12
expect 2 "list bad user" -- tg signins list --user "not a upn"
expect 1 "list unknown app" -- tg signins list --app payroll
expect 1 "show unknown" -- tg signins show 00000000-0000-4000-8000-000000000000
err_has "no sign-in"
expect 2 "show missing" -- tg signins show
AFTER=$(snapshot)
same "$BEFORE" "$AFTER" "state after bad input"

# --- deletes work once the rules are met -------------------------------------------
sed 's/"isTrusted": true/"isTrusted": false/' "$TMP/office.json" > "$TMP/office-untrusted.json"
expect 0 "untrust" -- tg location update "$LOC" "$TMP/office-untrusted.json"
printf '{"displayName": "Outside office", "state": "disabled", "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}, "locations": {"includeLocations": ["All"], "excludeLocations": ["%s"]}}, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}' "$LOC" > "$TMP/outside.json"
expect 0 "policy naming the location" -- tg --json policy create "$TMP/outside.json"
OUT=$(json_get 'd["id"]' < "$TMP/out")
expect 1 "still used by policy" -- tg location delete "$LOC"
err_has "Outside office"
expect 0 "delete policy" -- tg policy delete "$OUT"
expect 0 "delete location" -- tg location delete "$LOC"
expect 0 "delete template policy" -- tg policy delete "$TPL"
expect 0 "delete the other policy" -- tg policy delete "$POL"
expect 0 "audit of deletes" -- tg audit list --action location.delete
out_has "location.delete"

finish
