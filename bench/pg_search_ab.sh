#!/bin/sh
# pg_search_ab.sh — PostgreSQL search through `rasd serve`, binary A against
# binary B on one database (one SaudiNewsNet day, ingested by B), one server
# each, N distinct title words requested one at a time, A and B alternating
# (no cache hits: every word once). Prints mean/p50/p90/max per binary and
# the slowest words. Wall times: read the A/B ratio, not the figures.
#   A=path/to/rasd B=build/rasd sh bench/pg_search_ab.sh [DAY_JSON] [N]
set -u
. tests/e2e/pg_lib.sh
WORK=$(mktemp -d /tmp/rasd-pgcmp.XXXXXX)
P1=""; P2=""
trap 'kill $P1 $P2 2>/dev/null; pg_stop; rm -rf "$WORK"' EXIT INT TERM
pg_start "$WORK/pg" || exit 1
u=$(pg_createdb cmp)
NEW=${B:-$PWD/build/rasd}; OLD=${A:?A=path of the other rasd}
DAY=${1:-build/bench/snn-days/2015-07-21.json}; N=${2:-100}
[ -f "$DAY" ] || sh bench/extract_days.sh ../shared/corpora/saudinewsnet build/bench/snn-days
nice -n 10 $NEW ingest --quiet --no-refresh --db "$u" "$DAY" > /dev/null 2>&1
echo "ingested $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $($PG_BIN/psql -X -At -h $PG_SOCK -d cmp -c 'select count(*) from articles') articles"
jq -r '.[].title // empty' "$DAY" | tr -s ' ' '\n' |
  grep -E '^[ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي]{4,}$' | awk '!seen[$0]++' |
  awk 'BEGIN { srand(13) } { print rand() "\t" $0 }' | sort | cut -f2 | head -n "$N" | jq -R -r '@uri' > "$WORK/words"
$OLD serve --db "$u" --port 0 --threads 2 --quiet > "$WORK/u1" 2>/dev/null & P1=$!
$NEW serve --db "$u" --port 0 --threads 2 --quiet > "$WORK/u2" 2>/dev/null & P2=$!
i=0; while { [ ! -s "$WORK/u1" ] || [ ! -s "$WORK/u2" ]; } && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
U1=$(head -n1 "$WORK/u1"); U2=$(head -n1 "$WORK/u2")
echo "start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
for w in $(cat "$WORK/words"); do
  curl -s -o /dev/null -w '%{time_total}\n' "${U1}api/search?q=$w" >> "$WORK/t1"
  curl -s -o /dev/null -w '%{time_total}\n' "${U2}api/search?q=$w" >> "$WORK/t2"
done
echo "end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
for k in 1 2; do
  sort -n "$WORK/t$k" | awk -v k=$k '{ v[NR] = $1; s += $1 } END { printf "%s: n=%d sum %.2f s, mean %.0f ms, p50 %.0f ms, p90 %.0f ms, max %.0f ms\n", (k == 1 ? "A" : "B"), NR, s, s / NR * 1000, v[int(NR*0.5)] * 1000, v[int(NR*0.9)] * 1000, v[NR] * 1000 }'
done
paste "$WORK/t1" "$WORK/t2" | awk '{ if ($2 < $1) b++ } END { print "B faster on " b " of " NR " words" }'
paste "$WORK/words" "$WORK/t1" "$WORK/t2" | sort -k3,3gr | head -5 | while read w a b; do printf '%s %s %s\n' "$(printf '%b' "$(echo "$w" | sed 's/%/\\x/g')")" "$a" "$b"; done
