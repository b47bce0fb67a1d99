#!/bin/sh
# watch_soak.sh — `rasd watch` over 50 loopback fixture feeds publishing
# SaudiNewsNet articles (tests/fixtures/feedserver/server.py --soak), in
# two parts (make bench-watch; never part of make test):
#   burst  one `watch --once` round over 50 feeds that already list 20
#          items each: items per second from fetch to grouped story;
#   soak   `watch` runs SOAK_SECONDS (default 180) while items keep
#          arriving; VmRSS is sampled every 5 s; at the end the server's
#          clock is frozen, one last round collects what is left, and every
#          published item URL must be stored exactly once (as an article or
#          as a sighting of an identical article), never twice.
# Prints one summary line per part; exits 1 if anything was lost or doubled.
#   sh bench/watch_soak.sh CORPUS_DIR [RASD]
set -eu
CORPUS=${1:-../shared/corpora/saudinewsnet}
RASD=${2:-build/rasd}
DAY=${WATCH_DAY:-2015-07-21}
SECS=${SOAK_SECONDS:-180}
OUT=build/bench/watch
mkdir -p "$OUT"
sh bench/extract_days.sh "$CORPUS" build/bench/snn-days
JSON=build/bench/snn-days/$DAY.json
SRV=""
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null || true' EXIT

start_server() { # $1 portfile, rest: server options
  pf=$1; shift
  rm -f "$pf"
  python3 tests/fixtures/feedserver/server.py "$pf" --soak 50 --corpus "$JSON" "$@" &
  SRV=$!
  i=0; while [ ! -s "$pf" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  P=$(cat "$pf")
  : > "$OUT/sources.txt"
  k=0; while [ $k -lt 50 ]; do echo "http://127.0.0.1:$P/soak/$k.xml soak-$k" >> "$OUT/sources.txt"; k=$((k + 1)); done
}

# ---- burst ----
start_server "$OUT/port1" --period 1 --backdate 600
rm -f "$OUT/burst.db"* "$OUT/burst-stats.jsonl"
"$RASD" watch --db "$OUT/burst.db" --sources "$OUT/sources.txt" --once --no-pages --quiet \
  --stats "$OUT/burst-stats.jsonl" 2> "$OUT/burst.err"
kill $SRV; wait $SRV 2>/dev/null || true; SRV=""
jq -r '"burst: \(.sources) feeds, \(.fresh) new items, \(.added) articles stored, \(.duplicates) duplicates in \(.total_s) s (fetch \(.fetch_s), store \(.store_s), stories \(.assign_s)): \((.fresh / .total_s) | floor) items/s fetch to grouped story"' "$OUT/burst-stats.jsonl"

# ---- soak ----
start_server "$OUT/port2" --period 1.5
rm -f "$OUT/soak.db"* "$OUT/soak-stats.jsonl" "$OUT/mem.tsv"
"$RASD" watch --db "$OUT/soak.db" --sources "$OUT/sources.txt" --interval 2 --max-interval 8 \
  --duration "$SECS" --no-pages --quiet --stats "$OUT/soak-stats.jsonl" 2> "$OUT/soak.err" &
W=$!
t=0
while kill -0 $W 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' /proc/$W/status 2>/dev/null || true)
  [ -n "$rss" ] && printf '%s\t%s\n' "$t" "$rss" >> "$OUT/mem.tsv"
  sleep 5; t=$((t + 5))
done
wait $W || true
curl -s "http://127.0.0.1:$P/soak-freeze" > /dev/null
"$RASD" watch --db "$OUT/soak.db" --once --all --no-pages --quiet --stats "$OUT/soak-stats.jsonl" 2>> "$OUT/soak.err"
curl -s "http://127.0.0.1:$P/soak-published" > "$OUT/published.json"
jq -r '.paths[]' "$OUT/published.json" | sed "s|^|http://127.0.0.1:$P|" | sort > "$OUT/published.txt"
sqlite3 "$OUT/soak.db" "SELECT url FROM articles WHERE coalesce(parent, 0) = 0 UNION ALL SELECT url FROM sightings" | sort > "$OUT/stored.txt"
lost=$(comm -23 "$OUT/published.txt" "$OUT/stored.txt" | sort -u | wc -l)
doubled=$(sqlite3 "$OUT/soak.db" "SELECT count(*) FROM (SELECT url FROM articles WHERE coalesce(parent, 0) = 0 GROUP BY url HAVING count(*) > 1)")
items=$(wc -l < "$OUT/published.txt")
arts=$(sqlite3 "$OUT/soak.db" "SELECT count(*) FROM articles WHERE coalesce(parent, 0) = 0")
sights=$(sqlite3 "$OUT/soak.db" "SELECT count(*) FROM sightings")
mem=$(awk 'NR == 1 {a = $2} NR == int(n / 4) + 1 {q = $2} {l = $2; if ($2 > m) m = $2} END {printf "VmRSS first %d KiB, at 1/4 %d KiB, last %d KiB, max %d KiB", a, q, l, m}' n="$(wc -l < "$OUT/mem.tsv")" "$OUT/mem.tsv")
echo "soak: $SECS s, 50 feeds, $items items published; $arts articles + $sights sightings stored; lost $lost, doubled $doubled; $mem"
jq -s -r '[.[] | select(.added > 0)] | (map(.total_s) | sort) as $t |
  "soak rounds with new items: \(length); round time p50 \($t[(length / 2) | floor]) s, p95 \($t[(length * 0.95) | floor]) s, max \($t[-1]) s; \((map(.fresh) | add) / (map(.total_s) | add) | floor) items/s"' "$OUT/soak-stats.jsonl"
jq -s -r '[.[] | select(.added > 0 and .fresh <= 10)] | (map(.latency_s) | sort) as $t |
  "soak rounds with 1-10 new items: \(length); poll-to-stories p50 \($t[(length / 2) | floor]) s, p95 \($t[(length * 0.95) | floor]) s"' "$OUT/soak-stats.jsonl"
jq -s -r '[.[] | select(.added > 0)] | "soak store time per new item: \((map(.store_s) | add) / (map(.fresh) | add) * 1000 | floor) ms; stories \((map(.assign_s) | add) / (map(.fresh) | add) * 1000 | floor) ms"' "$OUT/soak-stats.jsonl"
[ "$lost" -eq 0 ] && [ "$doubled" -eq 0 ]
