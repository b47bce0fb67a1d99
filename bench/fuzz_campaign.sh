#!/bin/sh
# fuzz_campaign.sh — runs every libFuzzer target under tests/fuzz for
# SECONDS each (ASan + UBSan), keeping each target's corpus in
# build/fuzz/corpus-NAME between runs, and prints one line per target with
# its executions, plus the total; the lines are appended to
# build/fuzz/campaign.tsv (date, target, seconds, executions, crashes) so
# several runs add up. A crash stops nothing: it is reported, its input kept
# in build/fuzz/crashes/, and the script exits 1 at the end.
#   sh bench/fuzz_campaign.sh SECONDS [TARGET...]
set -u
secs=${1:-60}; shift 2>/dev/null || true
targets=${*:-$(ls tests/fuzz/*.c | sed 's|tests/fuzz/||; s|\.c$||')}
mkdir -p build/fuzz/crashes
log=build/fuzz/campaign.tsv
total=0; failed=0
for t in $targets; do
  bin=build/fuzz/$t
  [ -x "$bin" ] || { echo "$t: not built (make build/fuzz/$t)"; failed=1; continue; }
  mkdir -p "build/fuzz/corpus-$t"
  out=$(mktemp)
  "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix=build/fuzz/crashes/"$t"- \
      "build/fuzz/corpus-$t" tests/fuzz/seeds > "$out" 2>&1
  rc=$?
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -1)
  n=${n:-0}
  crash=0
  if [ $rc -ne 0 ]; then crash=1; failed=1; grep -m3 -E 'ERROR|SUMMARY|abort' "$out" | sed "s/^/$t: /"; fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M)" "$t" "$secs" "$n" "$crash" >> "$log"
  printf '%-22s %6ss %12s executions%s\n' "$t" "$secs" "$n" "$([ $crash = 1 ] && echo '  CRASH')"
  total=$((total + n))
  rm -f "$out"
done
echo "this run: $total executions"
awk -F'\t' '{ n[$2] += $4; t += $4 } END { for (k in n) printf "  %-22s %12d\n", k, n[k]; printf "all runs recorded in build/fuzz/campaign.tsv: %d executions\n", t }' "$log" | sort
exit $failed
