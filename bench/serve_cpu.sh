#!/bin/sh
# serve_cpu.sh — server CPU per request, for comparing two builds on one
# store in the same window (the machine is shared: CPU time, not wall time).
# Starts BIN's `rasd serve` on DB (read-only, a free loopback port), asks
# every path of PATHS once to warm the page cache, then ROUNDS more times,
# each request made distinct by a query parameter so the server's answer
# cache never serves it; prints the server process's user + system CPU
# (from /proc/PID/stat, 10 ms ticks) per request, and any non-200 answer.
#   sh bench/serve_cpu.sh BIN DB PATHS [ROUNDS]
# PATHS: one request path a line, e.g. api/entities/%D8%A8%D8%AA%D9%86
set -eu
BIN=$1 DB=$2 PATHS=$3 ROUNDS=${4:-3}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
"$BIN" serve --db "$DB" --port 0 --web "$(dirname "$0")/../web" > "$D/url" 2> "$D/log" &
PID=$!
i=0
while [ ! -s "$D/url" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
U=$(head -n 1 "$D/url")
n=0
: > "$D/cfg"
for r in $(seq 0 "$ROUNDS"); do
  while read -r p; do
    n=$((n + 1))
    case "$p" in *\?*) s='&' ;; *) s='?' ;; esac
    printf 'url = "%s%s%snc=%s-%s"\noutput = /dev/null\n' "$U" "$p" "$s" "$r" "$n" >> "$D/cfg"
  done < "$PATHS"
done
cnt=$(wc -l < "$PATHS")
head -n $((cnt * 2)) "$D/cfg" > "$D/warm"
tail -n +$((cnt * 2 + 1)) "$D/cfg" > "$D/run"
curl -s -K "$D/warm" > /dev/null
t0=$(awk '{print $14 + $15}' /proc/$PID/stat)
curl -s -K "$D/run" -w '%{http_code}\n' > "$D/codes"
t1=$(awk '{print $14 + $15}' /proc/$PID/stat)
req=$((cnt * ROUNDS))
bad=$(grep -vc '^200$' "$D/codes" || true)
echo "$BIN $(basename "$PATHS"): $req requests, non-200 $bad, server CPU $(((t1 - t0) * 10)) ms," \
  "$(echo "scale=2; ($t1 - $t0) * 10 / $req" | bc) ms/request"
kill $PID
wait $PID 2> /dev/null || true
