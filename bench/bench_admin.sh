#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Admin API benchmark (issue 6): a fresh data directory with
# BENCH_ADMIN_USERS users (default 10,000, each with an email address so
# that turning MFA on queues a notice), an app-only token with the admin
# permissions, a server, then bench/admin_load.py measures
#   paging through every user (GET /v1.0/users, $top=999, nextLink),
#   paging through the per-user MFA list (GET /tollgate/v1/perUserMfa),
#   one bulk request enabling MFA for every user (notices queued in the
#   same transaction), and reading it back,
#   paging through the queued notices (GET /tollgate/v1/mfaNotices) and
#   through the audit records the app made (directoryAudits filtered by
#   initiatedBy/app/appId), with the time of a first page of 50,
#   single GET /beta/users/{upn}/authentication/requirements per second
#   (one keep-alive connection per client process),
# and the server's peak memory (VmHWM). The second argument (run-all's
# BENCH_USERS) is ignored: the bulk endpoint takes at most 10,000 users.
set -euo pipefail
TOLLGATE=${1:?usage: bench_admin.sh TOLLGATE}
N=${BENCH_ADMIN_USERS:-10000}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/tg-bench-admin.XXXXXX")
PID=
trap '[ -n "$PID" ] && { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }; rm -rf "$T"' EXIT
D="$T/d"
tg() { "$TOLLGATE" --data "$D" "$@"; }
tg init --domain bench.test >/dev/null
python3 - "$T/users.csv" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("userPrincipalName,displayName,mail\n")
    for i in range(n):
        f.write(f"user{i:05d}@bench.test,User {i:05d},user{i:05d}@mail.bench.test\n")
PY
tg user import "$T/users.csv" >/dev/null
tg --json app add bench --grant client_credentials --permission User.ReadWrite.All \
  --permission Policy.ReadWrite.AuthenticationMethod --permission AuditLog.Read.All > "$T/app.json"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
# the notice worker would send the queued notices to the outbox meanwhile:
# measure the API alone
TOLLGATE_NOTIFY_MFA_ENABLED=true "$TOLLGATE" --data "$D" serve --listen "127.0.0.1:$PORT" \
  2>"$T/server.log" &
PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
python3 "$here/admin_load.py" "http://127.0.0.1:$PORT/default" "$T/app.json" "$N"
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' "/proc/$PID/status")"
echo "notices queued: $(tg --json notify list --pending --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') (listing stops at 1000)"
