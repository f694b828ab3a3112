#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The tollgate CLI end to end on a fresh data directory: init, users,
# groups, roles, per-user MFA in bulk, import, audit — and bad input on
# every command: a clear message, exit status != 0, nothing changed; a
# group that a Conditional Access policy names is not deleted.
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }

# --- set-up -------------------------------------------------------------
expect 0 "init" -- tg init --domain contoso.test
out_has "admin@contoso.test"
out_has "one-time password:"
[ "$(stat -c %a "$D/master.key")" = 600 ] && ok || fail "master.key is not 0600"
[ "$(stat -c %a "$D/tollgate.db")" = 600 ] && ok || fail "tollgate.db is not 0600"
[ "$(stat -c %a "$D")" = 700 ] && ok || fail "data dir is not 0700"
out_has "security defaults:    on"
# security defaults are on for a new tenant, as in Entra; opting out works
expect 0 "security defaults on after init" -- tg security-defaults show
out_has "security defaults: enabled"
expect 0 "init without security defaults" -- "$TOLLGATE" --data "$TMP/nosd" --json init --no-security-defaults
out_has '"securityDefaults": false'
expect 0 "security defaults off" -- "$TOLLGATE" --data "$TMP/nosd" security-defaults show
out_has "security defaults: disabled"
expect 1 "init twice refused" -- tg init
err_has "already initialized"
expect 0 "admin is Global Administrator" -- tg --json user show admin@contoso.test
out_has '"Global Administrator"'
out_has '"passwordMustChange": true'

# global options after the subcommand too
expect 0 "json after subcommand" -- "$TOLLGATE" user list --json --data "$D"
out_has '"userPrincipalName": "admin@contoso.test"'
TOLLGATE_DATA="$D" expect 0 "TOLLGATE_DATA" -- "$TOLLGATE" tenant list
out_has "default"

# --- users --------------------------------------------------------------
expect 0 "user add" -- tg user add Alice@Contoso.test --name "Alice Andersson" --email alice@contoso.test --phone "+46 701234567" --locale sv
expect 0 "user add generated" -- tg --json user add bob@contoso.test --generate-password
out_has '"oneTimePassword"'
echo "a long enough password" | expect 0 "user add stdin pw" -- tg user add carol@contoso.test --password-stdin
expect 0 "user set" -- tg user set alice@contoso.test --name "Alice A."
expect 0 "user disable" -- tg user disable carol@contoso.test
expect 0 "user show" -- tg --json user show carol@contoso.test
out_has '"accountEnabled": false'
expect 0 "user enable" -- tg user enable carol@contoso.test

snapshot() { tg --json user list; tg --json audit list --limit 100000 | grep -c '"seq"'; tg --json group list; }
BEFORE=$(snapshot)

# --- bad input on every command: exit != 0, message, nothing changed -----
expect 2 "no command" -- tg
expect 2 "unknown command" -- tg frobnicate
err_has "unknown command"
expect 2 "unknown subcommand" -- tg user frob
expect 2 "global option without value" -- tg --tenant
expect 2 "init unknown option" -- tg init --colour
expect 2 "serve bad listen" -- tg serve --listen nonsense
err_has "listen"
expect 2 "serve bad threads" -- tg serve --threads 0
expect 1 "tenant create bad name" -- tg tenant create "Bad Name"
err_has "invalid tenant name"
expect 1 "tenant create dup" -- tg tenant create default
expect 2 "tenant create missing" -- tg tenant create
expect 2 "tenant list extra" -- tg tenant list extra
expect 2 "user add missing upn" -- tg user add
expect 1 "user add bad upn" -- tg user add "not a upn"
err_has "invalid user principal name"
expect 1 "user add dup" -- tg user add alice@contoso.test
err_has "already exists"
expect 1 "user add bad email" -- tg user add d@contoso.test --email nope
expect 1 "user add bad phone" -- tg user add d@contoso.test --phone 0701234567
err_has "+CC NUMBER"
expect 1 "user add bad locale" -- tg user add d@contoso.test --locale de
expect 2 "user add both pw" -- tg user add d@contoso.test --password-stdin --generate-password
echo "short" | expect 1 "user add short pw" -- tg user add d@contoso.test --password-stdin
err_has "too short"
printf 'bad\xff\xfeutf8 password\n' | expect 1 "user add non-utf8 pw" -- tg user add d@contoso.test --password-stdin
expect 1 "user add empty stdin" -- tg user add d@contoso.test --password-stdin </dev/null
expect 2 "user add value missing" -- tg user add d@contoso.test --name
expect 2 "user list bad state" -- tg user list --state maybe
expect 2 "user list bad limit" -- tg user list --limit -3
expect 1 "user show unknown" -- tg user show ghost@contoso.test
err_has "no user ghost@contoso.test"
expect 2 "user set nothing" -- tg user set alice@contoso.test
expect 1 "user set bad email" -- tg user set alice@contoso.test --email "a b@c"
expect 1 "user set empty name" -- tg user set alice@contoso.test --name ""
expect 1 "user disable unknown" -- tg user disable ghost@contoso.test
expect 1 "user enable unknown" -- tg user enable ghost@contoso.test
expect 1 "user delete unknown" -- tg user delete ghost@contoso.test
expect 2 "set-password no source" -- tg user set-password alice@contoso.test
echo "tiny" | expect 1 "set-password short" -- tg user set-password alice@contoso.test --password-stdin
expect 2 "import missing file arg" -- tg user import
expect 1 "import missing file" -- tg user import "$TMP/nope.csv"
printf 'userPrincipalName,displayName\nnew1@contoso.test,New\nbad upn,Bad\nnew2@contoso.test,New 2\n' > "$TMP/bad.csv"
expect 1 "import bad row" -- tg user import "$TMP/bad.csv"
err_has "line 3"
err_has "nothing was imported"
printf 'upn,name\n' > "$TMP/badhdr.csv"
expect 1 "import bad header" -- tg user import "$TMP/badhdr.csv"
err_has "unknown column"
expect 2 "group add missing" -- tg group add
expect 1 "group add bad name" -- tg group add "$(printf 'a\tb')"
expect 1 "group delete unknown" -- tg group delete nope
expect 2 "member add neither" -- tg group member add g1
expect 2 "member add both" -- tg group member add g1 --user a --group b
expect 1 "member add unknown group" -- tg group member add nope --user alice@contoso.test
expect 1 "members unknown" -- tg group members nope
expect 2 "role assign missing" -- tg role assign alice@contoso.test
expect 1 "role assign unknown role" -- tg role assign alice@contoso.test "Grand Vizier"
err_has "unknown role"
expect 1 "role assign unknown user" -- tg role assign ghost@contoso.test global-reader
expect 1 "role remove not held" -- tg role remove alice@contoso.test global-reader
expect 1 "role members unknown" -- tg role members "Grand Vizier"
expect 2 "mfa set bad state" -- tg mfa set sometimes alice@contoso.test
expect 2 "mfa set no users" -- tg mfa set enabled
expect 2 "mfa set all + upn" -- tg mfa set enabled --all alice@contoso.test
expect 1 "mfa set missing file" -- tg mfa set enabled --from-file "$TMP/none.txt"
expect 1 "mfa show unknown" -- tg mfa show ghost@contoso.test
expect 2 "audit bad since" -- tg audit list --since yesterday
expect 2 "audit bad limit" -- tg audit list --limit 0
expect 2 "audit empty actor" -- tg audit list --actor ""
err_has "--actor"
expect 2 "audit actor too long" -- tg audit list --actor "user:$(printf 'a%.0s' $(seq 160))@contoso.test"
expect 1 "unknown tenant" -- tg --tenant nope user list
err_has "no tenant named"
expect 1 "no database" -- "$TOLLGATE" --data "$TMP/empty" user list
err_has "tollgate --data"
printf 'colour = blue\n' > "$TMP/bad.conf"
expect 1 "bad config file" -- tg --config "$TMP/bad.conf" user list
err_has "line 1: unknown setting"
TOLLGATE_THREADS=lots expect 1 "bad env" -- tg user list
err_has "TOLLGATE_THREADS"

AFTER=$(snapshot)
same "$BEFORE" "$AFTER" "state after bad input"

# --- help on every level ------------------------------------------------
expect 0 "help" -- tg --help
out_has "Commands:"
expect 0 "group help" -- tg user --help
out_has "tollgate user add"
expect 0 "command help" -- tg user add --help
out_has "--password-stdin"
expect 0 "command help after options" -- tg mfa set --help
out_has "--from-file"

# --- groups, roles ------------------------------------------------------
expect 0 "group add" -- tg group add staff
expect 0 "group add" -- tg group add admins
expect 0 "nest" -- tg group member add staff --group admins
expect 0 "member" -- tg group member add admins --user alice@contoso.test
expect 1 "cycle" -- tg group member add admins --group staff
err_has "cycle"
expect 0 "transitive" -- tg --json group members staff --transitive
out_has "alice@contoso.test"
expect 0 "user groups" -- tg --json user show alice@contoso.test
out_has '"staff"'
expect 0 "role assign" -- tg role assign alice@contoso.test "Authentication Administrator"
expect 0 "role members" -- tg role members authentication-admin
out_has "alice@contoso.test"
expect 0 "role list" -- tg role list
out_has "62e90394-69f5-4237-9190-012177145e10"
out_has "Helpdesk agent"

# a group a Conditional Access policy names (any state) is not deleted:
# exit 1, the policy named, nothing changed; once dropped, it goes
gid() { tg --json group list | python3 -c 'import json,sys
print(next(g["id"] for g in json.load(sys.stdin) if g["displayName"]==sys.argv[1]))' "$1"; }
STAFF_ID=$(gid staff); ADMINS_ID=$(gid admins)
[ -n "$STAFF_ID" ] && [ -n "$ADMINS_ID" ] && ok || fail "no group ids"
guard_policy() { # NAME STATE USERS > file
  printf '{"displayName": "%s", "state": "%s", "conditions": {"users": %s, "applications": {"includeApplications": ["All"]}}, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}\n' "$1" "$2" "$3"
}
guard_policy "Staff spared" enabledForReportingButNotEnforced "{\"includeUsers\": [\"All\"], \"excludeGroups\": [\"$STAFF_ID\"]}" > "$TMP/g1.json"
guard_policy "Admins MFA" disabled "{\"includeGroups\": [\"$ADMINS_ID\"]}" > "$TMP/g2.json"
expect 0 "policy excluding staff" -- tg --json policy create "$TMP/g1.json"
G1=$(python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])' < "$TMP/out")
expect 0 "policy including admins" -- tg --json policy create "$TMP/g2.json"
G2=$(python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])' < "$TMP/out")
BEFORE=$(snapshot)
expect 1 "group delete: named by a report-only policy" -- tg group delete staff
err_has 'the group "staff" is named in 1 Conditional Access policy ("Staff spared"): remove the group from these policies first'
expect 1 "group delete by id: named" -- tg --json group delete "$STAFF_ID"
err_has '("Staff spared")'
expect 1 "group delete: named by a disabled policy" -- tg group delete admins
err_has '("Admins MFA")'
AFTER=$(snapshot)
same "$BEFORE" "$AFTER" "state after refused group deletes"
expect 0 "members kept" -- tg --json group members staff --transitive
out_has "alice@contoso.test"
guard_policy "Staff spared" enabledForReportingButNotEnforced '{"includeUsers": ["All"]}' > "$TMP/g1.json"
expect 0 "policy drops staff" -- tg policy update "$G1" "$TMP/g1.json"
expect 0 "policy deleted" -- tg policy delete "$G2"
expect 0 "group delete after the policy dropped it" -- tg group delete staff
out_has "deleted group staff"
expect 0 "group delete after the policy went" -- tg group delete admins
expect 1 "deleted" -- tg group members staff
expect 0 "audited" -- tg audit list --action group.delete
out_has "staff"
out_has "admins"

# --- per-user MFA in bulk -----------------------------------------------
printf 'alice@contoso.test\n# a comment\n\nBOB@contoso.test\nghost@contoso.test\n' > "$TMP/list.txt"
expect 1 "dry run (one not found)" -- tg mfa set enabled --from-file "$TMP/list.txt" --dry-run --json
out_has '"dryRun": true'
expect 0 "still disabled" -- tg mfa show alice@contoso.test
out_has "disabled"
expect 1 "bulk with unknown" -- tg mfa set enabled --from-file "$TMP/list.txt"
out_has "2 changed, 0 unchanged, 1 not found"
err_has "not found: ghost@contoso.test"
expect 0 "alice enabled" -- tg mfa show alice@contoso.test
out_has "enabled"
expect 0 "enforce one" -- tg mfa set enforced bob@contoso.test
expect 0 "all" -- tg --json mfa set disabled --all
out_has '"changed": 2'
expect 0 "audit shows changes" -- tg audit list --action user.mfa_state
out_has "enabled -> disabled"
out_has "enforced -> disabled"
ME="cli:$(id -un)"
expect 0 "audit by actor" -- tg --json audit list --actor "$ME" --action user.mfa_state
n=$(grep -c '"seq"' "$TMP/out"); [ "$n" -ge 4 ] && ok || fail "audit by actor: $n records"
expect 0 "audit by another actor" -- tg --json audit list --actor user:nobody@contoso.test
[ "$(grep -c '"seq"' "$TMP/out")" = 0 ] && ok || fail "records of an actor that changed nothing"

# --- import ---------------------------------------------------------------
printf 'userPrincipalName,displayName,mail,password\nimp1@contoso.test,"Imp, One",imp1@contoso.test,a good password\nimp2@contoso.test,Imp Two,,\n' > "$TMP/good.csv"
expect 0 "import" -- tg user import "$TMP/good.csv"
out_has "imported 2 users"
expect 0 "imported name" -- tg --json user show imp1@contoso.test
out_has '"Imp, One"'
out_has '"hasPassword": true'
if grep -q "a good password" "$D"/tollgate.db*; then fail "plaintext password in the database"; else ok; fi

# --- second tenant needs --tenant ----------------------------------------
expect 0 "tenant create" -- tg tenant create fabrikam --domain fabrikam.test
expect 1 "ambiguous tenant" -- tg user list
err_has "--tenant"
expect 0 "explicit tenant" -- tg --tenant fabrikam user add x@fabrikam.test
expect 1 "cross-tenant lookup" -- tg --tenant default user show x@fabrikam.test
expect 0 "delete" -- tg --tenant default user delete imp2@contoso.test
expect 1 "deleted" -- tg --tenant default user show imp2@contoso.test

finish
