#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Microsoft's own Graph client library (@microsoft/microsoft-graph-client
# 3.0.7, npm, installed in tests/e2e by scripts/install-deps) against a
# real Tollgate server, with only the base URL (baseUrl + customHosts) and
# the token changed: tests/examples/graph_sdk.test.mjs. The SDK attaches
# the token only to https:// hosts, so the test reaches the server through
# a small TLS terminator (in the test, a self-signed certificate made here
# and trusted with NODE_EXTRA_CA_CERTS), as a deployment reaches it
# through its reverse proxy; public_url names that https address.
# Every change the SDK makes is checked with the tollgate CLI.
. "$TG_TEST_SRCDIR/tests/lib.sh"
. "$TG_TEST_SRCDIR/tests/http/graph_lib.sh"
E2E="$TG_TEST_SRCDIR/tests/e2e"
if [ ! -d "$E2E/node_modules/@microsoft/microsoft-graph-client" ]; then
  echo "tests/e2e/node_modules lacks @microsoft/microsoft-graph-client: run scripts/install-deps" >&2
  exit 1
fi

tg init --domain contoso.test --no-security-defaults >/dev/null || exit 1
# 260 users for paging (three pages of 100), imported in one go
{
  echo "userPrincipalName,displayName"
  for i in $(seq -w 1 260); do echo "page$i@contoso.test,Page $i"; done
} > "$TMP/users.csv"
tg user import "$TMP/users.csv" >/dev/null || exit 1
tg group add "MFA pilot" >/dev/null || exit 1
read -r APP_ID APP_SECRET <<< "$(newapp graph-sdk User.ReadWrite.All Policy.ReadWrite.AuthenticationMethod \
  Policy.ReadWrite.SecurityDefaults Policy.ReadWrite.ConditionalAccess Policy.Read.All)"
[ -n "$APP_SECRET" ] || exit 1

# the https front: a certificate for 127.0.0.1, the port it listens on
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$TMP/tls.key" -out "$TMP/tls.crt" 2>"$TMP/openssl.log" || { cat "$TMP/openssl.log" >&2; exit 1; }
TLS_PORT=$(free_port)
TOLLGATE_PUBLIC_URL="https://127.0.0.1:$TLS_PORT" start_server || exit 1

export TOLLGATE TG_DATA="$D" TG_PLAIN_URL="$U" TG_TLS_PORT="$TLS_PORT" \
  TG_TLS_KEY="$TMP/tls.key" TG_TLS_CERT="$TMP/tls.crt" NODE_EXTRA_CA_CERTS="$TMP/tls.crt" \
  TG_APP_ID="$APP_ID" TG_APP_SECRET="$APP_SECRET" TG_E2E="$E2E"
status=0
node --test-reporter=spec "$TG_TEST_SRCDIR/tests/examples/graph_sdk.test.mjs" || status=1
[ $status = 0 ] || { echo "--- server log"; tail -30 "$TMP/server.log"; }
exit $status
