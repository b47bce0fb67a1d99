#!/bin/sh
# pg_serve.sh — `rasd serve` on PostgreSQL against `rasd serve` on SQLite,
# the same SaudiNewsNet days in both, in the same run: wrk on uncached
# search (distinct title words, seeded draw), on the briefs of 200 random
# stories (seeded draw; briefs are stored at ingest in both stores) and on a
# static file (the floor). Each endpoint is loaded on SQLite, then at once on
# PostgreSQL, so both see the same machine load; read the PG/SQLite ratio.
# Both servers keep an answer cache (store_generation: SQLite's
# data_version, a PostgreSQL snapshot's hash), so repeated requests are
# cache hits on both; the distinct-word search is the uncached figure.
#   sh bench/pg_serve.sh [CORPUS_DIR]   (default ../shared/corpora/saudinewsnet)
#   PG_SERVE_DAYS=3 (first N days) PG_SERVE_SECONDS=15 PG_SERVE_CONNECTIONS=20 RASD_BIN=build/rasd
set -eu
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
NDAYS=${PG_SERVE_DAYS:-3}
SECS=${PG_SERVE_SECONDS:-15}
CONNS=${PG_SERVE_CONNECTIONS:-20}
OUT=build/bench
DAYS=$OUT/snn-days
W=$OUT/pg-serve
command -v wrk > /dev/null || { echo "pg_serve.sh: wrk is missing (sh scripts/deps.sh)"; exit 1; }
. tests/e2e/pg_lib.sh
pg_have || { echo "pg_serve.sh: postgresql-15 is missing"; exit 1; }
RASD=${RASD_BIN:-build/rasd}   # RASD_BIN: another build (a copy while build/ is rebuilt)
[ -x "$RASD" ] || make -s build/rasd
sh bench/extract_days.sh "$CORPUS_DIR" "$DAYS"
rm -rf "$W"; mkdir -p "$W"
PGW=$(mktemp -d /tmp/rasd-pg-serve.XXXXXX)   # the server's data (owned by nobody when root)
trap 'kill $SQ_PID $PG_PID 2> /dev/null || true; pg_stop; rm -rf "$PGW"' EXIT INT TERM
SQ_PID=""; PG_PID=""
PG_EXTRA_OPTS="-c max_connections=60" pg_start "$PGW/pg" || exit 1
PG=$(pg_createdb serve)
PSQL="$PG_BIN/psql -X -q -At -h $PG_SOCK -d serve"
FILES=$(ls "$DAYS"/*.json | head -n "$NDAYS")
echo "== rasd serve on PostgreSQL vs SQLite"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "command: sh bench/pg_serve.sh $CORPUS_DIR  (PG_SERVE_DAYS=$NDAYS; wrk -c $CONNS -d ${SECS}s each)"
echo "days:    $(for f in $FILES; do basename "$f" .json; done | tr '\n' ' ')"
# shellcheck disable=SC2086
t0=$(date +%s.%N)
nice -n 10 "$RASD" ingest --quiet --db "$W/serve.db" $FILES > /dev/null 2>&1
t1=$(date +%s.%N)
# shellcheck disable=SC2086
nice -n 10 "$RASD" ingest --quiet --db "$PG" $FILES > /dev/null 2>&1
t2=$(date +%s.%N)
echo "ingest:  SQLite $(echo "$t1 - $t0" | bc) s, PostgreSQL $(echo "$t2 - $t1" | bc) s (wall, one after the other)"
echo "stores:  SQLite $(sqlite3 "$W/serve.db" 'select count(*) from articles') articles, $(sqlite3 "$W/serve.db" 'select count(*) from threads') threads;" \
  "PostgreSQL $($PSQL -c 'select count(*) from articles') articles, $($PSQL -c 'select count(*) from threads') threads"
serve() { # DB → URL on stdout, pid in $!
  "$RASD" serve --db "$1" --port 0 --threads 8 --quiet > "$W/url.$2" 2> "$W/serve.$2.log" &
}
serve "$W/serve.db" sq; SQ_PID=$!
serve "$PG" pg; PG_PID=$!
i=0
while { [ ! -s "$W/url.sq" ] || [ ! -s "$W/url.pg" ]; } && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
USQ=$(head -n 1 "$W/url.sq"); UPG=$(head -n 1 "$W/url.pg")
# the same story ids in both (story numbers are the same for the same ingest)
ids=$(sqlite3 "$W/serve.db" 'select id from threads order by id' | awk 'BEGIN { srand(7) } { a[NR] = $1 }
  END { for (i = 0; i < 200; i++) printf "%s%s", (i ? "," : ""), a[int(rand() * NR) + 1] }')
cat > "$W/briefs.lua" <<EOF
local ids = { $ids }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/stories/" .. ids[(i % #ids) + 1] .. "/brief")
end
EOF
sqlite3 "$W/serve.db" 'select title from articles where title is not null order by id' | tr -s ' ' '\n' |
  grep -E '^[ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي]{4,}$' | awk '!seen[$0]++' |
  awk 'BEGIN { srand(11) } { print rand() "\t" $0 }' | sort | cut -f2 | head -n 1000 |
  jq -R -r '@uri' | awk '{ printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 }' > "$W/words.txt"
# each wrk thread starts at its own place in the list (thread k at k * #qs /
# 2; wrk -t 2), so one thread does not find the other's answers in the cache
{ printf 'qs = { %s }\n' "$(cat "$W/words.txt")"
  cat <<'EOF'
local threads = 0
setup = function(thread)
  thread:set("first", threads)
  threads = threads + 1
end
init = function(args)
  i = first * math.floor(#qs / 2)
end
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. qs[(i % #qs) + 1])
end
EOF
} > "$W/search.lua"
one() { # STORE URL NAME PATH [SCRIPT]
  f=$W/wrk-$1-$3.txt
  wrk -t 2 -c "$CONNS" -d "${SECS}s" --timeout 30s --latency ${5:+-s "$5"} "$2$4" > "$f" 2>&1 || true
  rps=$(awk '/Requests\/sec/ {print $2}' "$f")
  p50=$(awk '/^ +50%/ {print $2}' "$f")
  p99=$(awk '/^ +99%/ {print $2}' "$f")
  err=$(awk '/Socket errors/ {gsub(",", ""); e += $4 + $6 + $8 + $10} /Non-2xx/ {e += $5} END {print e + 0}' "$f")
  printf '%-11s %-16s req/s=%-9s p50=%-9s p99=%-9s errors=%s\n' "$1" "$3" "${rps:-0}" "${p50:--}" "${p99:--}" "$err"
}
echo "load:    $(uptime | sed 's/.*load average: //') (1, 5, 15 min) before the first wrk"
for e in "static favicon.svg" "search-distinct api/search?q=x $W/search.lua" \
         "brief-random api/stories/1/brief $W/briefs.lua"; do
  # shellcheck disable=SC2086
  set -- $e
  one SQLite "$USQ" "$1" "$2" "${3:-}"
  one PostgreSQL "$UPG" "$1" "$2" "${3:-}"
done
echo "load:    $(uptime | sed 's/.*load average: //') (1, 5, 15 min) after the last wrk"
echo "sizes:   SQLite $(du -k "$W/serve.db" | cut -f1) kB; PostgreSQL $($PSQL -c "select pg_database_size('serve') / 1024") kB" \
  "(search index $($PSQL -c "select pg_total_relation_size('article_terms') / 1024") kB," \
  "postings $($PSQL -c "select coalesce(pg_total_relation_size(to_regclass('search_postings')), 0) / 1024") kB)"
