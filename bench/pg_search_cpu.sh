#!/bin/sh
# pg_search_cpu.sh — PostgreSQL search through `rasd serve`, binary A against
# binary B, each on its own database holding the same SaudiNewsNet day(s)
# ingested by that binary (so two schema versions can be compared), one
# server each, N distinct title words requested one at a time, A and B
# alternating (every word once: no cache hits). Prints per binary the wall
# mean/p50/p90/p99/max and the CPU seconds used by its server process plus
# its database's PostgreSQL backends over all N searches (read the A/B
# ratio; the machine is shared), and whether both answered every word with
# the same ids and scores. C: binary B on an SQLite file of the same day(s),
# asked the same words in the same rounds (its server's CPU alone).
#   A=path/to/rasd B=build/rasd sh bench/pg_search_cpu.sh [N] [DAY_JSON...]
set -u
. tests/e2e/pg_lib.sh
WORK=$(mktemp -d /tmp/rasd-pgcpu.XXXXXX)
P1=""; P2=""; P3=""
trap 'kill $P1 $P2 $P3 2>/dev/null; pg_stop; rm -rf "$WORK"' EXIT INT TERM
pg_start "$WORK/pg" || exit 1
NEW=${B:-$PWD/build/rasd}; OLD=${A:?A=path of the other rasd}
N=${1:-100}; [ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- build/bench/snn-days/2015-07-21.json
u1=$(pg_createdb cpu_a); u2=$(pg_createdb cpu_b)
nice -n 10 $OLD ingest --quiet --no-refresh --db "$u1" "$@" > /dev/null 2>&1 &
nice -n 10 $NEW ingest --quiet --no-refresh --db "$u2" "$@" > /dev/null 2>&1
nice -n 10 $NEW ingest --quiet --no-refresh --db "$WORK/c.db" "$@" > /dev/null 2>&1
wait
q() { $PG_BIN/psql -X -At -h $PG_SOCK -d "$1" -c "$2"; }
echo "ingested $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): A $(q cpu_a 'select count(*) from articles') B $(q cpu_b 'select count(*) from articles') articles"
cat "$@" | jq -r '.[].title // empty' | tr -s ' ' '\n' |
  grep -E '^[ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي]{4,}$' | awk '!seen[$0]++' |
  awk 'BEGIN { srand(13) } { print rand() "\t" $0 }' | sort | cut -f2 | head -n "$N" | jq -R -r '@uri' > "$WORK/words"
$OLD serve --db "$u1" --port 0 --threads 2 --quiet > "$WORK/u1" 2>/dev/null & P1=$!
$NEW serve --db "$u2" --port 0 --threads 2 --quiet > "$WORK/u2" 2>/dev/null & P2=$!
$NEW serve --db "$WORK/c.db" --port 0 --threads 2 --quiet > "$WORK/u3" 2>/dev/null & P3=$!
i=0; while { [ ! -s "$WORK/u1" ] || [ ! -s "$WORK/u2" ] || [ ! -s "$WORK/u3" ]; } && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
U1=$(head -n1 "$WORK/u1"); U2=$(head -n1 "$WORK/u2"); U3=$(head -n1 "$WORK/u3")
curl -s -o /dev/null "${U1}api/status"; curl -s -o /dev/null "${U2}api/status"; curl -s -o /dev/null "${U3}api/status"
# CPU seconds (user + system) of a process and of database DB's backends
ticks() { awk '{ s += $14 + $15 } END { print s + 0 }' "$@" 2>/dev/null; }
cpu() {
  b=$(q "$2" "select pid from pg_stat_activity where datname = '$2' and pid <> pg_backend_pid()" | sed 's|.*|/proc/&/stat|')
  echo "$(ticks /proc/$1/stat) $(ticks $b)"
}
c1=$(cpu $P1 cpu_a); c2=$(cpu $P2 cpu_b); c3="$(ticks /proc/$P3/stat) 0"
echo "start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
k=0
for w in $(cat "$WORK/words"); do
  k=$((k+1))
  curl -s -o "$WORK/a$k" -w '%{time_total}\n' "${U1}api/search?q=$w&limit=20" >> "$WORK/t1"
  curl -s -o "$WORK/b$k" -w '%{time_total}\n' "${U2}api/search?q=$w&limit=20" >> "$WORK/t2"
  curl -s -o "$WORK/c$k" -w '%{time_total}\n' "${U3}api/search?q=$w&limit=20" >> "$WORK/t3"
done
e1=$(cpu $P1 cpu_a); e2=$(cpu $P2 cpu_b); e3="$(ticks /proc/$P3/stat) 0"
echo "end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
hz=$(getconf CLK_TCK)
for k in 1 2 3; do
  case $k in 1) set -- $c1 $e1 ;; 2) set -- $c2 $e2 ;; *) set -- $c3 $e3 ;; esac
  sort -n "$WORK/t$k" | awk -v k=$k -v hz=$hz -v s0=$1 -v b0=$2 -v s1=$3 -v b1=$4 '{ v[NR] = $1; s += $1 } END { i99 = int(NR * 0.99); if (i99 < 1) i99 = 1; printf "%s: n=%d mean %.0f ms, p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms; CPU server %.2f s + backends %.2f s = %.1f ms per search\n", (k == 1 ? "A" : k == 2 ? "B" : "C (B on SQLite)"), NR, s / NR * 1000, v[int(NR*0.5)] * 1000, v[int(NR*0.9)] * 1000, v[i99] * 1000, v[NR] * 1000, (s1 - s0) / hz, (b1 - b0) / hz, ((s1 - s0) + (b1 - b0)) / hz / NR * 1000 }'
done
same=0; sameq=0; k=0
for w in $(cat "$WORK/words"); do
  k=$((k+1))
  x=$(jq -c '[.hits[]? | [.id, (.score * 10000 | round)]]' "$WORK/a$k" 2>/dev/null)
  y=$(jq -c '[.hits[]? | [.id, (.score * 10000 | round)]]' "$WORK/b$k" 2>/dev/null)
  z=$(jq -c '[.hits[]? | [.id, (.score * 10000 | round)]]' "$WORK/c$k" 2>/dev/null)
  if [ "$x" = "$y" ]; then same=$((same+1)); else echo "differs: $(printf '%b' "$(echo "$w" | sed 's/%/\\x/g')")"; fi
  [ "$y" = "$z" ] && sameq=$((sameq+1))
done
echo "same hits and scores: A and B $same of $k words; B on PostgreSQL and on SQLite $sameq of $k"
