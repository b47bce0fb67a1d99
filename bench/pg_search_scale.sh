#!/bin/sh
# pg_search_scale.sh — PostgreSQL search CPU per query on a large database
# (issue #17): binaries A and B each serve the same database (`rasd serve
# --threads 1`, read only: the two never write), and each of the archive
# replay's five queries (bench/pg_replay.sh's probe) is asked R times of
# each, A and B alternating, every request uncached (a distinct &r=N: the
# answer cache keys on every query pair). Per binary and query: the CPU
# milliseconds per search of the server process plus its backends (told
# apart by application_name), the wall p50 and max (load-inflated: read the
# CPU), and whether A and B gave the same hits and scores. CPU, not wall:
# the machine is shared.
#   A=/tmp/base/rasd B=build/rasd PG_SOCK=/path/to/sock PG_DB=name \
#     [PG_QUERIES=file: one query a line instead of the replay's five] \
#     sh bench/pg_search_scale.sh [R]
set -u
A=${A:?A=path of a rasd}; B=${B:-$PWD/build/rasd}
SOCK=${PG_SOCK:?PG_SOCK=the server socket directory}; DB=${PG_DB:?PG_DB=database}
R=${1:-3}
PSQL="/usr/lib/postgresql/15/bin/psql -X -At -h $SOCK -d $DB -c"
WORK=$(mktemp -d /tmp/rasd-pgscale.XXXXXX)
PA=""; PB=""
trap 'kill $PA $PB 2> /dev/null; rm -rf "$WORK"' EXIT INT TERM
"$A" serve --db "postgresql:///$DB?host=$SOCK&application_name=scale_a" --port 0 --threads 1 --quiet > "$WORK/ua" 2> "$WORK/ea" & PA=$!
"$B" serve --db "postgresql:///$DB?host=$SOCK&application_name=scale_b" --port 0 --threads 1 --quiet > "$WORK/ub" 2> "$WORK/eb" & PB=$!
i=0; while { [ ! -s "$WORK/ua" ] || [ ! -s "$WORK/ub" ]; } && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
UA=$(head -n 1 "$WORK/ua"); UB=$(head -n 1 "$WORK/ub")
[ -n "$UA" ] && [ -n "$UB" ] || { echo "a server did not start"; cat "$WORK/ea" "$WORK/eb"; exit 1; }
hz=$(getconf CLK_TCK)
ticks() { awk '{ sub(/^.*\) /, ""); s += $12 + $13 } END { print s + 0 }' "$@" 2> /dev/null; }
# CPU ticks of server process $1 and of the backends named $2
cpu() {
  b=$($PSQL "SELECT pid FROM pg_stat_activity WHERE application_name = '$2'" | sed 's|.*|/proc/&/stat|')
  echo $(( $(ticks /proc/$1/stat) + $(ticks $b) ))
}
curl -s -o /dev/null "${UA}api/status"; curl -s -o /dev/null "${UB}api/status"
echo "pg_search_scale: $DB, $($PSQL 'SELECT count(*) FROM articles') articles, $R runs per query and binary, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${PG_QUERIES:-}" ]; then
  jq -R -r '@uri' "$PG_QUERIES" > "$WORK/queries"
else
  printf '%s\n' %D8%A7%D9%84%D9%85%D9%84%D9%83 %D9%88%D8%B2%D9%8A%D8%B1%20%D8%A7%D9%84%D8%AE%D8%A7%D8%B1%D8%AC%D9%8A%D8%A9 \
    %D8%A7%D9%84%D9%8A%D9%85%D9%86 %D8%A7%D9%84%D9%86%D9%81%D8%B7 %D8%AF%D8%A7%D8%B9%D8%B4 > "$WORK/queries"
fi
n=0
for q in $(cat "$WORK/queries"); do
  n=$((n + 1))
  : > "$WORK/ta"; : > "$WORK/tb"; ca=0; cb=0; same=0
  k=0
  while [ $k -lt "$R" ]; do
    k=$((k + 1))
    for who in a b; do
      if [ $who = a ]; then u=$UA; p=$PA; else u=$UB; p=$PB; fi
      c0=$(cpu "$p" "scale_$who")
      curl -s -o "$WORK/$who.json" -w '%{time_total}\n' --max-time 600 "${u}api/search?q=$q&limit=20&r=$n.$k" >> "$WORK/t$who"
      c1=$(cpu "$p" "scale_$who")
      if [ $who = a ]; then ca=$((ca + c1 - c0)); else cb=$((cb + c1 - c0)); fi
    done
    x=$(jq -c '[.hits[]? | [.id, .score]]' "$WORK/a.json"); y=$(jq -c '[.hits[]? | [.id, .score]]' "$WORK/b.json")
    [ -n "$x" ] && [ "$x" != "[]" ] && [ "$x" = "$y" ] && same=$((same + 1))
  done
  word=$(printf '%b' "$(echo "$q" | sed 's/%/\\x/g')")
  for who in a b; do
    if [ $who = a ]; then c=$ca; else c=$cb; fi
    sort -n "$WORK/t$who" | awk -v w="$word" -v who="$(echo $who | tr ab AB)" -v c="$c" -v hz="$hz" -v r="$R" \
      '{ v[NR] = $1 } END { printf "%s  %-16s CPU %7.1f ms per search; wall p50 %6.0f ms, max %6.0f ms\n", who, w, c / hz / r * 1000, v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }'
  done
  echo "   same hits and scores: $same of $R"
done
echo "end $(date -u '+%H:%M:%S'), load $(cut -d' ' -f1-3 /proc/loadavg)"
