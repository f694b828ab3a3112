#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# OpenID Connect benchmark (issue 5): a fresh data directory with
# BENCH_OIDC_USERS users (default 200), each with a password hashed at the
# production Argon2id parameters and an authenticator app (TOTP); a server
# with BENCH_OIDC_THREADS worker threads (default: the number of cores);
# then bench/oidc_load.py with as many client processes measures
#   full sign-ins per second (authorize -> password -> TOTP -> code -> token),
#   token refreshes per second (rotation + the sign-in decision + new JWTs),
#   introspections per second (client authentication + JWT verification),
# and the server's peak memory (VmHWM). BENCH_OIDC_LOG=FILE keeps the
# server's log (per-request durations in the access lines). The second argument (run-all's
# BENCH_USERS) is ignored: sign-ins need one TOTP step per user.
set -euo pipefail
TOLLGATE=${1:?usage: bench_oidc.sh TOLLGATE}
N=${BENCH_OIDC_USERS:-200}
THREADS=${BENCH_OIDC_THREADS:-$(nproc)}
WORKERS=${BENCH_OIDC_CLIENTS:-$THREADS}
SECONDS_EACH=${BENCH_OIDC_SECONDS:-10}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/tg-bench-oidc.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
D="$T/d"
tg() { "$TOLLGATE" --data "$D" "$@"; }
tg init --domain bench.test >/dev/null
PASSWORD='Bench-Password-1234'
python3 - "$T/users.csv" "$N" "$PASSWORD" <<'PY'
import sys
path, n, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("userPrincipalName,password\n")
    for i in range(n):
        f.write(f"user{i:05d}@bench.test,{pw}\n")
PY
echo "setting up $N users (Argon2id at the production parameters, one TOTP app each)..." >&2
tg user import "$T/users.csv" >/dev/null
tg mfa set enforced --all >/dev/null
python3 - "$TOLLGATE" "$D" "$N" > "$T/secrets.json" <<'PY'
import base64, hashlib, hmac, json, struct, subprocess, sys, time
tollgate, data, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def totp(s, step):
    key = base64.b32decode(s + "=" * (-len(s) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)
out = []
for i in range(n):
    upn = f"user{i:05d}@bench.test"
    m = json.loads(subprocess.check_output([tollgate, "--data", data, "--json", "method", "add-app", upn]))
    # the previous step's code, or the current one if a step boundary
    # passed meanwhile; sign-ins use a later step (each step works once)
    step = int(time.time()) // 30 - 1
    cmd = [tollgate, "--data", data, "method", "activate", upn, m["id"]]
    if subprocess.call(cmd + [totp(m["secret"], step)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL):
        step += 1
        subprocess.check_call(cmd + [totp(m["secret"], step)], stdout=subprocess.DEVNULL)
    out.append({"upn": upn, "secret": m["secret"], "step": step})
json.dump(out, sys.stdout)
PY
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
REDIRECT="http://127.0.0.1:9/cb"
PUB=$(tg --json app add "Bench SPA" --public --redirect-uri "$REDIRECT")
CONF=$(tg --json app add "Bench API" --redirect-uri "$REDIRECT")
python3 - "$T/secrets.json" "$PUB" "$CONF" "$REDIRECT" "$PASSWORD" > "$T/load.json" <<'PY'
import json, sys
users = json.load(open(sys.argv[1]))
pub, conf = json.loads(sys.argv[2]), json.loads(sys.argv[3])
json.dump({"tenant": "default", "users": users, "password": sys.argv[5],
           "redirect_uri": sys.argv[4], "public_client": pub["appId"],
           "confidential_client": conf["appId"], "confidential_secret": conf["clientSecret"]},
          sys.stdout)
PY
"$TOLLGATE" --data "$D" serve --listen "127.0.0.1:$PORT" --threads "$THREADS" 2>"$T/server.log" &
PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
# the first request of a tenant makes its signing keys: not part of the figures
curl -fs "http://127.0.0.1:$PORT/default/discovery/v2.0/keys" >/dev/null
rss0=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
result=$(python3 "$here/oidc_load.py" "http://127.0.0.1:$PORT" "$T/load.json" "$WORKERS" "$SECONDS_EACH")
peak=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
[ -n "${BENCH_OIDC_LOG:-}" ] && cp "$T/server.log" "$BENCH_OIDC_LOG"
python3 - "$result" "$N" "$THREADS" "$WORKERS" "$rss0" "$peak" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
n, threads, workers, rss0, peak = sys.argv[2:7]
print(f"OpenID Connect, {n} users, server --threads {threads}, {workers} client processes on the same machine")
print(f"full sign-ins (password + TOTP + code exchange): {r['signins_per_s']}/s ({r['signins']} sign-ins)")
print(f"token refreshes (rotation + decision + JWTs):     {r['refreshes_per_s']}/s ({r['refreshes']})")
print(f"introspections (client auth + JWT verify):       {r['introspections_per_s']}/s ({r['introspections']})")
print(f"server memory: {int(rss0) / 1024:.1f} MiB after start, peak {int(peak) / 1024:.1f} MiB")
PY
