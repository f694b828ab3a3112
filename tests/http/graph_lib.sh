# SPDX-License-Identifier: MIT
# Helpers for the tests of the Graph-shaped admin API against the real
# server. Source it after tests/lib.sh (not named test_*.sh: ctest does not
# run it). It sets D (the data folder), tg, PW and CT; the caller runs
# `tg init`, then start_server, then takes tokens.
D="$TMP/data"
tg() { "$TOLLGATE" --data "$D" "$@"; }
PW='Corr3ct-Horse-Battery'
CT='Content-Type: application/json'

# json PATH < JSON: the member at PATH ("value.0.id"); objects, arrays and
# booleans as JSON, nothing for a missing member
json() { python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d=d[int(k)] if isinstance(d,list) else d.get(k) if isinstance(d,dict) else None
print("" if d is None else (json.dumps(d) if isinstance(d,(dict,list,bool)) else d))' "$1"; }
# count < JSON: how many entries "value" holds
count() { python3 -c 'import json,sys;print(len(json.load(sys.stdin)["value"]))'; }
# nextlink < JSON: the @odata.nextLink, or nothing
nextlink() { python3 -c 'import json,sys;print(json.load(sys.stdin).get("@odata.nextLink",""))'; }

# start_server: `tollgate serve` on a free port, its log in $TMP/server.log,
# stopped at exit; waits for /healthz. Sets SPID, U (the base URL) and G
# (the default tenant's URL).
start_server() {
  local port
  port=$(free_port)
  "$TOLLGATE" --data "$D" serve --listen "127.0.0.1:$port" 2>>"$TMP/server.log" &
  SPID=$!
  TG_CLEANUPS+=("kill $SPID 2>/dev/null; wait $SPID 2>/dev/null")
  U="http://127.0.0.1:$port"
  G="$U/default"
  for _ in $(seq 1 100); do curl -fs "$U/healthz" >/dev/null 2>&1 && return 0; sleep 0.05; done
  fail "server did not start"
  return 1
}

# newapp NAME PERM…: a client_credentials app granted the application
# permissions; prints "client_id secret"
newapp() {
  local name=$1; shift
  local args=()
  for p in "$@"; do args+=(--permission "$p"); done
  tg --json app add "$name" --grant client_credentials "${args[@]}" > "$TMP/app.json" || return 1
  echo "$(json appId < "$TMP/app.json") $(json clientSecret < "$TMP/app.json")"
}
# token ID SECRET [SCOPE]: an app-only access token (client_credentials)
# for SCOPE ($U/.default unless given)
token() {
  curl -s "$G/oauth2/v2.0/token" -d grant_type=client_credentials --data-urlencode "client_id=$1" \
    --data-urlencode "client_secret=$2" -d "scope=${3:-$U/.default}" | json access_token
}
# apptoken NAME PERM…: an app-only access token of a new app
apptoken() {
  local id secret
  read -r id secret <<< "$(newapp "$@")" || return 1
  token "$id" "$secret"
}

# Delegated tokens: password sign-in, then the authorization code with
# PKCE for the public client PUB (PUB=$(public_client) first).
# DELEGATED_SCOPE is the scope asked for (URL-encoded; openid unless set).
VERIFIER=abcdefghijklmnopqrstuvwxyz0123456789abcdefghijk
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
public_client() { tg --json app add Script --public --redirect-uri http://127.0.0.1/cb | json appId; }
authorize_code() { # authorize_code JAR: the code, or "" when not signed in
  curl -s -o /dev/null -w '%{redirect_url}' -b "$1" \
    "$G/oauth2/v2.0/authorize?client_id=$PUB&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&response_type=code&scope=${DELEGATED_SCOPE:-openid}&state=s&code_challenge=$CHALLENGE&code_challenge_method=S256" |
    sed -n 's/.*[?&]code=\([^&]*\).*/\1/p'
}
# delegated UPN: prints the access token; the tokens' JSON is kept in
# $TMP/tok.UPN and the browser session in $TMP/jar.UPN (password $PW)
delegated() {
  local jar="$TMP/jar.$1" csrf code
  rm -f "$jar"
  csrf=$(curl -s -c "$jar" -b "$jar" -H "Origin: $U" -H "$CT" -d '{}' "$G/api/signin/begin" | json csrf)
  curl -s -c "$jar" -b "$jar" -H "Origin: $U" -H "$CT" -H "X-CSRF-Token: $csrf" \
    -d "{\"username\":\"$1\",\"password\":\"$PW\"}" "$G/api/signin/password" >/dev/null
  code=$(authorize_code "$jar")
  curl -s "$G/oauth2/v2.0/token" -d grant_type=authorization_code -d "client_id=$PUB" -d "code=$code" \
    -d redirect_uri=http://127.0.0.1/cb -d "code_verifier=$VERIFIER" > "$TMP/tok.$1"
  json access_token < "$TMP/tok.$1"
}

# req TOKEN METHOD PATH [curl args…]: a request to $G/PATH, with the
# Bearer token unless TOKEN is empty; the status in $S, the seconds it took
# in $SECS, the body in $TMP/body
req() {
  local t=$1 m=$2 p=$3; shift 3
  read -r S SECS < <(curl -s -o "$TMP/body" -w '%{http_code} %{time_total}\n' -X "$m" \
    ${t:+-H "Authorization: Bearer $t"} "$@" "$G$p")
}
status() { same "$S" "$1" "$2"; }
body_has() { if grep -qF -- "$1" "$TMP/body"; then ok; else fail "body lacks '$1' (status $S): $(head -c 400 "$TMP/body")"; fi; }
body_lacks() { if grep -qF -- "$1" "$TMP/body"; then fail "body has '$1' (status $S): $(head -c 400 "$TMP/body")"; else ok; fi; }
