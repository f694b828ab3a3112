#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Start a fresh tollgate (init + serve on a free loopback port) and run one
# or more node test files against it: run.sh FILE.test.mjs…
# The server URL is in TG_URL, its data dir in TG_DATA, the first admin in
# TG_ADMIN_UPN / TG_ADMIN_PASSWORD.
. "$TG_TEST_SRCDIR/tests/lib.sh"
E2E="$TG_TEST_SRCDIR/tests/e2e"
if [ ! -d "$E2E/node_modules/playwright-core" ]; then
  echo "tests/e2e/node_modules is missing: run scripts/install-deps" >&2
  exit 1
fi
export TG_DATA="$TMP/data"
# security defaults off: the tests set per-user MFA and policies
# themselves; TG_E2E_SECURITY_DEFAULTS=1 keeps init's default (on), as
# `make run` does
INIT_ARGS=(--domain contoso.test --no-security-defaults)
[ "${TG_E2E_SECURITY_DEFAULTS:-}" = 1 ] && INIT_ARGS=(--domain contoso.test)
"$TOLLGATE" --data "$TG_DATA" init "${INIT_ARGS[@]}" > "$TMP/init.txt" || exit 1
export TG_ADMIN_UPN=$(sed -n 's/.*Global Administrator: *//p' "$TMP/init.txt")
export TG_ADMIN_PASSWORD=$(sed -n 's/.*one-time password: *//p' "$TMP/init.txt")
# TG_E2E_SMTP=1: a real SMTP server (tests/cli/helpers/smtp_sink.py, on
# Debian's python3-aiosmtpd) receives the server's email; every message
# lands in $TG_SMTP_DIR/msg-N.eml (the envelope recipients in X-Envelope-To).
if [ "${TG_E2E_SMTP:-}" = 1 ]; then
  PY=python3
  for p in /usr/bin/python3 python3; do
    if "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
  done
  "$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is missing: run scripts/install-deps" >&2; exit 1; }
  export TG_SMTP_DIR="$TMP/mail"
  mkdir -p "$TG_SMTP_DIR"
  SMTP_PORT=$(free_port)
  "$PY" "$TG_TEST_SRCDIR/tests/cli/helpers/smtp_sink.py" "$SMTP_PORT" "$TG_SMTP_DIR" 2>"$TMP/smtp.log" &
  SMTP_PID=$!
  TG_CLEANUPS+=("kill $SMTP_PID 2>/dev/null; wait $SMTP_PID 2>/dev/null")
  for _ in $(seq 1 100); do [ -e "$TG_SMTP_DIR/ready" ] && break; sleep 0.05; done
  rm -f "$TG_SMTP_DIR/ready"
  printf 'email_channel = smtp\nsmtp_host = 127.0.0.1\nsmtp_port = %s\nsmtp_tls = none\nsmtp_from = noreply@contoso.test\nsmtp_timeout = 5\n' \
    "$SMTP_PORT" >> "$TG_DATA/tollgate.conf"
fi
PORT=$(free_port)
export TG_URL="http://127.0.0.1:$PORT"
"$TOLLGATE" --data "$TG_DATA" serve --listen "127.0.0.1:$PORT" 2>"$TMP/server.log" &
PID=$!
TG_CLEANUPS+=("kill $PID 2>/dev/null; wait $PID 2>/dev/null")
for _ in $(seq 1 100); do curl -fs "$TG_URL/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
cd "$E2E" || exit 1
status=0
for f in "$@"; do
  node --test-reporter=spec "$f" || status=1
done
[ $status = 0 ] || { echo "--- server log"; tail -30 "$TMP/server.log"; }
exit $status
