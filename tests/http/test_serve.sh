#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `tollgate serve` as a user runs it: init a data directory, start the real
# binary on a free loopback port, probe it with curl, stop it with SIGTERM
# and check it exits cleanly with the database intact.
. "$TG_TEST_SRCDIR/tests/lib.sh"
D="$TMP/data"
"$TOLLGATE" --data "$D" init >/dev/null || { fail "init"; finish; exit 1; }
PORT=$(free_port)
"$TOLLGATE" --data "$D" serve --listen "127.0.0.1:$PORT" 2>"$TMP/server.log" &
PID=$!
TG_CLEANUPS+=("kill $PID 2>/dev/null")
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
U="http://127.0.0.1:$PORT"

expect 0 "healthz" -- curl -fsS "$U/healthz"
out_has '"status"'
expect 0 "readyz" -- curl -fsS "$U/readyz"
out_has 'ready'
expect 0 "landing page" -- curl -fsS -D "$TMP/headers" "$U/"
out_has "Tollgate"
for h in "content-security-policy:" "x-content-type-options: nosniff" "referrer-policy:" "frame-ancestors 'none'"; do
  grep -qi -- "$h" "$TMP/headers" && ok || fail "landing page lacks header $h"
done
grep -qi "content-type: text/html" "$TMP/headers" && ok || fail "landing page content type"
expect 0 "404 status" -- curl -s -o "$TMP/body" -w '%{http_code}' "$U/no/such/page"
out_has 404
grep -q '"error"' "$TMP/body" && grep -q '"code"' "$TMP/body" && ok || fail "404 body not in Graph error shape"
head -c 2000000 /dev/zero > "$TMP/big"
expect 0 "413 for a large body" -- curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$TMP/big" "$U/healthz"
out_has 413
expect 0 "traversal" -- curl -s -o /dev/null -w '%{http_code}' --path-as-is "$U/../../etc/passwd"
if grep -qE '^(200)$' "$TMP/out"; then fail "path traversal served something"; else ok; fi
# query parameters must be UTF-8 text without NUL (after percent-decoding)
for q in 'q=%ff%fe' 'q=a%00b' '%c3=x' 'q=%e2%82'; do
  expect 0 "bad query $q" -- curl -s -o "$TMP/body" -w '%{http_code}' "$U/default/v2.0/.well-known/openid-configuration?$q"
  out_has 400
  grep -q 'not valid UTF-8' "$TMP/body" && ok || fail "bad query $q: $(head -c 200 "$TMP/body")"
done
expect 0 "UTF-8 query accepted" -- curl -s -o /dev/null -w '%{http_code}' "$U/default/v2.0/.well-known/openid-configuration?q=%C3%A5%E2%82%AC"
out_has 200
# CORS: only the cookie-free OpenID Connect endpoints answer other origins
O='Origin: https://app.example'
pre() { curl -s -D "$TMP/h" -o /dev/null -w '%{http_code}' -X OPTIONS -H "$O" \
  -H "Access-Control-Request-Method: $2" -H 'Access-Control-Request-Headers: authorization' "$U$1"; }
hdr() { grep -i "^$1:" "$TMP/h" | tr -d '\r' | cut -d' ' -f2-; }
same "$(pre /default/oauth2/v2.0/userinfo GET)" 204 "userinfo preflight"
same "$(hdr Access-Control-Allow-Origin)" "*" "userinfo preflight origin"
same "$(hdr Access-Control-Allow-Methods)" "GET, POST" "userinfo preflight methods"
same "$(hdr Access-Control-Allow-Headers)" "Authorization, Content-Type" "userinfo preflight headers"
same "$(pre /default/oauth2/v2.0/token POST)" 204 "token preflight"
same "$(hdr Access-Control-Allow-Methods)" "POST" "token preflight methods"
curl -s -D "$TMP/h" -o /dev/null -H "$O" "$U/default/v2.0/.well-known/openid-configuration"
same "$(grep -ci '^Access-Control-Allow-Origin:' "$TMP/h")" 1 "discovery: one Allow-Origin"
curl -s -D "$TMP/h" -o /dev/null -H "$O" "$U/default/oauth2/v2.0/userinfo"
same "$(hdr Access-Control-Allow-Origin)" "*" "userinfo's 401 readable by the app"
same "$(pre /default/v1.0/users GET)" 405 "no preflight for the admin API"
same "$(hdr Access-Control-Allow-Origin)" "" "admin API: same origin only"
same "$(pre /default/api/signin/state GET)" 405 "no preflight for the sign-in API"
curl -s -D "$TMP/h" -o /dev/null -H "$O" "$U/default/api/signin/state"
same "$(hdr Access-Control-Allow-Origin)" "" "sign-in API: same origin only"
curl -s -D "$TMP/h" -o /dev/null -H "$O" "$U/default/oauth2/v2.0/logout"
same "$(hdr Access-Control-Allow-Origin)" "" "logout (cookies): same origin only"

# an access-log line per request, without query strings
curl -s "$U/healthz?code=123456" >/dev/null
sleep 0.2
grep -q "/healthz" "$TMP/server.log" && ok || fail "no access log line"
if grep -q "123456" "$TMP/server.log"; then fail "query string logged"; else ok; fi

# readiness follows the database
chmod 000 "$D/tollgate.db"
if [ "$(id -u)" != 0 ]; then
  expect 0 "readyz when db unreadable" -- curl -s -o /dev/null -w '%{http_code}' "$U/readyz"
  out_has 503
fi
chmod 600 "$D/tollgate.db"

kill -TERM "$PID"
wait "$PID"; st=$?
same "$st" 0 "exit status after SIGTERM"
grep -q "stopped" "$TMP/server.log" && ok || fail "no clean-stop log line"
expect 0 "database intact after stop" -- "$TOLLGATE" --data "$D" user list
out_has "admin@"

# a second server on a port in use fails with a clear message
PORT2=$(free_port)
python3 -c "import socket,time;s=socket.socket();s.bind(('127.0.0.1',$PORT2));s.listen();time.sleep(30)" &
BLK=$!
TG_CLEANUPS+=("kill $BLK 2>/dev/null")
# wait until the blocker really holds the port (a loaded machine may be slow)
for _ in $(seq 1 200); do
  python3 -c "import socket;socket.create_connection(('127.0.0.1',$PORT2),0.2)" 2>/dev/null && break
  sleep 0.05
done
# bounded: if the port were free after all, serve would run until killed
expect 1 "port in use" -- timeout 10 "$TOLLGATE" --data "$D" serve --listen "127.0.0.1:$PORT2"
kill $BLK 2>/dev/null
finish
