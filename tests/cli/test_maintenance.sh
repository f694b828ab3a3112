#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Housekeeping end to end: `tollgate maintenance run` deletes the sign-in
# records older than signin_log_retention_days (backdated with `signins
# record --at`) in every tenant, keeps the newer ones, audits each tenant's
# deletion with the CLI's actor, prints the counts (text and --json) and
# deletes nothing more when run again; retention 0 keeps everything; bad
# settings and arguments are refused with the key named. Then `serve`
# runs the same round in the background every housekeeping_interval_seconds
# (a record backdated while it runs goes too), and stops cleanly on SIGTERM.
# (Expired sessions, devices and codes need a clock: tests/svc/test_svc_housekeep.c.)
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
wait_for() { # wait_for SECONDS COMMAND…: until the command succeeds
  local n=$(( $1 * 10 )); shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
  return 1
}
json() { python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d=d[int(k)] if isinstance(d,list) else d.get(k)
print(d)' "$1"; }
count_signins() { "$TOLLGATE" --data "$D" ${2:+--tenant "$2"} --json signins list --limit 999 | json value | python3 -c 'import ast,sys;print(len(ast.literal_eval(sys.stdin.read())))'; }
record() { # record TENANT UPN AT
  tg --tenant "$1" signins record --user "$2" --app admin-portal --ip 198.51.100.7 --client browser --at "$3" >/dev/null \
    || fail "signins record $1 $3"
}

# --- set-up: two tenants with old and new sign-ins ---------------------------
tg init --domain contoso.test >/dev/null || { fail "init"; finish; exit 1; }
tg tenant create fabrikam --domain fabrikam.test >/dev/null || fail "tenant create"
tg --tenant fabrikam user add bob@fabrikam.test >/dev/null || fail "user add"
for at in 400d 40d 31d 29d 1h; do record default admin@contoso.test $at; done
for at in 90d 2d; do record fabrikam bob@fabrikam.test $at; done
same "$(count_signins x default)" 5 "contoso sign-ins before"
same "$(count_signins x fabrikam)" 2 "fabrikam sign-ins before"

# --- bad input ------------------------------------------------------------------
expect 2 "an argument" -- tg maintenance run now
expect 2 "an unknown option" -- tg maintenance run --all
expect 0 "help" -- tg maintenance run --help
out_has "signin_log_retention_days"
TOLLGATE_SIGNIN_LOG_RETENTION_DAYS=3651 expect 1 "retention too long" -- tg maintenance run
err_has "signin_log_retention_days must be a whole number of days from 0"
TOLLGATE_SIGNIN_LOG_RETENTION_DAYS=30d expect 1 "retention with a unit" -- tg maintenance run
err_has "TOLLGATE_SIGNIN_LOG_RETENTION_DAYS"
TOLLGATE_HOUSEKEEPING_INTERVAL_SECONDS=0 expect 1 "interval 0" -- tg maintenance run
err_has "housekeeping_interval_seconds"
printf 'signin_log_retention_days = -1\n' > "$TMP/bad.conf"
expect 1 "config file" -- tg --config "$TMP/bad.conf" maintenance run
err_has "line 1: signin_log_retention_days"
same "$(count_signins x default)" 5 "nothing deleted by refused runs"

# --- retention 0 keeps everything ------------------------------------------------
TOLLGATE_SIGNIN_LOG_RETENTION_DAYS=0 expect 0 "retention 0" -- tg maintenance run
out_has "kept forever"
same "$(count_signins x default)" 5 "retention 0 kept contoso"
same "$(count_signins x fabrikam)" 2 "retention 0 kept fabrikam"

# --- the default, 30 days ----------------------------------------------------------
expect 0 "maintenance run" -- tg maintenance run
out_has "removed 4 sign-in records older than"
out_has "(kept 30 days) in 2 tenants"
out_has "0 sessions"
same "$(count_signins x default)" 2 "contoso keeps 29d and 1h"
same "$(count_signins x fabrikam)" 1 "fabrikam keeps 2d"
expect 0 "audit" -- tg --tenant default --json audit list --action signins.retention
out_has '\"deleted\":3'
out_has '\"retentionDays\":30'
out_has '"initiatedBy": "cli:'
out_has '"target": "default"'
expect 0 "audit fabrikam" -- tg --tenant fabrikam --json audit list --action signins.retention
out_has '\"deleted\":1'
expect 0 "again, --json" -- tg --json maintenance run
same "$(json signIns < "$TMP/out")" 0 "nothing more to delete"
same "$(json signInRetentionDays < "$TMP/out")" 30 "retention in the JSON"
same "$(json more < "$TMP/out")" False "no more due"
for k in sessions rememberedDevices authorizationCodes refreshTokens refreshTokenFamilies revokedTokenIds; do
  grep -q "\"$k\": 0" "$TMP/out" && ok || fail "--json lacks $k"
done
grep -q '"signInsOlderThan": "20' "$TMP/out" && ok || fail "--json lacks the cutoff"
n=$(tg --tenant default --json audit list --action signins.retention | grep -c '"seq"')
same "$n" 1 "a run that deletes nothing audits nothing"
TOLLGATE_SIGNIN_LOG_RETENTION_DAYS=1 expect 0 "one day" -- tg --json maintenance run
same "$(json signIns < "$TMP/out")" 2 "one day: 29d and 2d go"
same "$(count_signins x default)" 1 "contoso keeps 1h"

# --- serve: the background round ------------------------------------------------------
record default admin@contoso.test 50d
port=$(free_port)
TOLLGATE_HOUSEKEEPING_INTERVAL_SECONDS=1 "$TOLLGATE" --data "$D" serve --listen "127.0.0.1:$port" 2>"$TMP/server.log" &
SPID=$!
TG_CLEANUPS+=("kill $SPID 2>/dev/null; wait $SPID 2>/dev/null")
wait_for 5 curl -fs "http://127.0.0.1:$port/healthz" -o /dev/null || fail "server did not start"
grep -q "housekeeping: every 1 s; sign-in records kept 30 days" "$TMP/server.log" && ok || fail "no housekeeping start line"
gone() { [ "$(count_signins x default)" = 1 ]; }
wait_for 5 gone && ok || fail "the worker did not delete the 50-day-old record"
wait_for 5 grep -q "housekeeping: removed .* 1 sign-in records older than" "$TMP/server.log" && ok \
  || fail "the deletion is not logged"
# one more, backdated while the server runs: the next round (1 s) takes it
record default admin@contoso.test 60d
wait_for 5 gone && ok || fail "the periodic round did not run again"
lines=$(grep -c "housekeeping: removed" "$TMP/server.log")
sleep 2
same "$(grep -c "housekeeping: removed" "$TMP/server.log")" "$lines" "rounds that remove nothing log nothing"
expect 0 "audited by the worker" -- tg --tenant default --json audit list --action signins.retention --limit 1
out_has '"initiatedBy": "system:housekeeping"'
kill -TERM "$SPID"
timeout 10 tail --pid="$SPID" -f /dev/null
wait "$SPID"; st=$?
same "$st" 0 "exit status after SIGTERM"
grep -q "stopped" "$TMP/server.log" && ok || fail "no clean-stop log line"
expect 0 "database intact after stop" -- tg maintenance run
finish
