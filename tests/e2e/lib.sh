# lib.sh — shared helpers for the end-to-end tests (sourced, not run).
# Each test file: . "$(dirname "$0")/lib.sh"; then `t "behaviour"; <commands>; check $?`
# and finish with `summary`, which prints "N passed, N failed".
RASD=${1:-build/asan/rasd}
case "$RASD" in /*) ;; *) RASD="$PWD/$RASD" ;; esac
ROOT=$PWD
WORK=$(mktemp -d /tmp/rasd-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PASS=0; FAIL=0; NAME=""
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
t() { NAME=$1; }
ok() { PASS=$((PASS + 1)); echo "ok $NAME"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $NAME${1:+: $1}"; }
# check STATUS [message]: STATUS 0 passes
check() { if [ "$1" -eq 0 ]; then ok; else bad "${2:-}"; fi; }
summary() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; }
