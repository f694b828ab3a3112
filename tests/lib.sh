# SPDX-License-Identifier: MIT
# Shell test helpers: source it, call the checks, end with `finish`, which
# prints "N passed, N failed" and sets the exit status.
# $TOLLGATE is the binary under test (set by ctest).
set -u
TG_PASS=0
TG_FAIL=0
: "${TOLLGATE:?set TOLLGATE to the tollgate binary}"
TMP=$(mktemp -d /tmp/tg-test.XXXXXX)
trap 'tg_cleanup' EXIT
TG_CLEANUPS=()
tg_cleanup() {
  for c in "${TG_CLEANUPS[@]}"; do eval "$c" || true; done
  rm -rf "$TMP"
}
# Fast Argon2 for tests (production defaults are measured by make bench).
export TOLLGATE_ARGON2_MEMORY_KIB=64 TOLLGATE_ARGON2_ITERATIONS=1

ok()   { TG_PASS=$((TG_PASS+1)); }
fail() { TG_FAIL=$((TG_FAIL+1)); echo "FAIL: $*" >&2; }

# expect STATUS DESCRIPTION -- COMMAND...: run, compare the exit status.
# Output goes to $TMP/out and $TMP/err.
expect() {
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" = "$want" ]; then ok; else
    fail "$what: exit $got, expected $want"; sed 's/^/  stderr: /' "$TMP/err" | head -5 >&2; fi
}
# the last command's stdout/stderr contains TEXT
out_has() { if grep -qF -- "$1" "$TMP/out"; then ok; else fail "stdout lacks '$1'"; head -5 "$TMP/out" >&2; fi; }
err_has() { if grep -qF -- "$1" "$TMP/err"; then ok; else fail "stderr lacks '$1'"; head -5 "$TMP/err" >&2; fi; }
same()    { if [ "$1" = "$2" ]; then ok; else fail "$3: '$1' != '$2'"; fi; }

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }

finish() {
  echo "$TG_PASS passed, $TG_FAIL failed"
  [ "$TG_FAIL" -eq 0 ]
}
