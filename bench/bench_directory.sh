#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Directory benchmarks (issue: foundation): on a fresh data directory,
# `user import` of N rows without passwords, then `mfa set enabled --all`
# and `mfa set disabled --all` on the N-user tenant. Time and peak memory.
set -euo pipefail
TOLLGATE=${1:?usage: bench_directory.sh TOLLGATE [N]}
N=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/tg-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$TOLLGATE" --data "$T/d" init --domain bench.test >/dev/null
python3 - "$T/users.csv" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("userPrincipalName,displayName,mail,mobilePhone\n")
    for i in range(n):
        f.write(f"user{i:07d}@bench.test,User {i},user{i:07d}@mail.bench.test,+46 70{i:07d}\n")
PY
echo "directory benchmark, N=$N users"
python3 "$here/measure.py" "user import ($N rows, no passwords)" "$TOLLGATE" --data "$T/d" user import "$T/users.csv"
python3 "$here/measure.py" "mfa set enabled --all ($N users)" "$TOLLGATE" --data "$T/d" mfa set enabled --all
python3 "$here/measure.py" "mfa set disabled --all ($N users)" "$TOLLGATE" --data "$T/d" mfa set disabled --all
python3 "$here/measure.py" "user list ($N users)" "$TOLLGATE" --data "$T/d" user list
echo "database size: $(du -h "$T/d/tollgate.db" | cut -f1)"
