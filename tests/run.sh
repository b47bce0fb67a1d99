#!/bin/sh
# run.sh — runs every test suite and prints the total "N passed, N failed".
#   sh tests/run.sh BUILD_DIR   (BUILD_DIR holds the ASan+UBSan rasd-test and rasd)
# Set RASD_SKIP_SLOW=1 to skip suites tagged slow.
B=${1:-build/asan}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
total_p=0; total_f=0
log=$(mktemp)
suite() {
  name=$1; shift
  echo "== $name"
  "$@" > "$log" 2>&1
  rc=$?
  grep -v '^ok ' "$log" | tail -n 60
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "suite $name printed no summary (exit $rc)"; total_f=$((total_f + 1)); return
  fi
  p=$(echo "$line" | cut -d' ' -f1); f=$(echo "$line" | cut -d' ' -f3)
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  total_p=$((total_p + p)); total_f=$((total_f + f))
}
suite unit+golden "$B/rasd-test"
for t in tests/e2e/*.sh; do
  [ -f "$t" ] || continue
  grep -qx 'summary' "$t" || continue   # helpers (lib.sh, gen_corpus.sh) are not suites
  case "$t" in *slow*) [ -n "${RASD_SKIP_SLOW:-}" ] && continue ;; esac
  suite "$(basename "$t" .sh)" sh "$t" "$B/rasd"
done
rm -f "$log"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
