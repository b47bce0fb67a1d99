#!/bin/sh
# pg_replay.sh — the PostgreSQL archive grown toward 1 million articles
# (issue #17): the 15 SaudiNewsNet days ingested again and again, each round
# with its dates shifted by 20 days and its text perturbed (bench/replay_gen.py:
# near-copies of the originals, never exact ones), by REPLAY_WORKERS
# concurrent `rasd ingest --quiet --no-refresh` workers. After each round:
# articles stored, that round's ingest rate, the database size
# (pg_database_size) and, through `rasd serve` on the same database, the p99
# of /api/search and of /api/stories/{id}/brief under wrk (4 connections,
# REPLAY_PROBE_SECONDS each; the briefs cycle through 20 stories of 4-8
# articles, the searches through 5 queries) — or, when rasd serve cannot
# serve the store, the same queries and briefs once each through the CLI
# (column "probe" says which). Stops at REPLAY_TARGET articles
# or when REPLAY_MINUTES have passed (no new round starts after that): the
# size reached is printed, not extrapolated. Table: build/bench/pg-replay.tsv,
# plot: build/bench/pg-replay.png (gnuplot, when installed).
#   sh bench/pg_replay.sh [CORPUS_DIR]   (make bench-pg-replay; nice it on a shared machine)
set -u
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
TARGET=${REPLAY_TARGET:-1000000}
MINUTES=${REPLAY_MINUTES:-180}
WORKERS=${REPLAY_WORKERS:-2}
PROBE=${REPLAY_PROBE_SECONDS:-10}
EVERY=${REPLAY_PROBE_EVERY:-1}   # probe after every EVERY-th round (and the last)
NDAYS=${REPLAY_DAYS:-15}   # day files per round (fewer: a quick check of the script)
OUT=build/bench
DAYS=$OUT/snn-days
TSV=$OUT/pg-replay.tsv
[ -x build/rasd ] || make -s build/rasd
command -v wrk > /dev/null || { echo "pg_replay.sh: wrk is missing (sh scripts/deps.sh)"; exit 1; }
sh bench/extract_days.sh "$CORPUS_DIR" "$DAYS"
. tests/e2e/pg_lib.sh
if ! pg_have; then echo "pg replay: postgresql-15 not installed, skipped"; exit 0; fi
WORK=$(mktemp -d /tmp/rasd-pgreplay.XXXXXX)
SPID=""
trap '[ -n "$SPID" ] && kill $SPID 2> /dev/null; pg_stop; rm -rf "$WORK"' EXIT INT TERM
pg_start "$WORK/pg" || exit 1
PSQL="$PG_BIN/psql -X -q -At -h $PG_SOCK -d replay -c"
URL=$(pg_createdb replay)
RASD=${RASD_BIN:-$PWD/build/rasd}   # RASD_BIN: another build (e.g. a copy while build/ is rebuilt)
echo "== PostgreSQL archive replay toward $TARGET articles"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
echo "command: REPLAY_DAYS=$NDAYS REPLAY_TARGET=$TARGET REPLAY_MINUTES=$MINUTES REPLAY_WORKERS=$WORKERS REPLAY_PROBE_SECONDS=$PROBE REPLAY_PROBE_EVERY=$EVERY PG_EXTRA_OPTS='${PG_EXTRA_OPTS:-}' sh bench/pg_replay.sh $CORPUS_DIR"
now() { date +%s.%N; }
# p99 in ms of a wrk run (its "99%" line: us, ms or s)
p99() {
  awk '/^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
                  else if (v ~ /ms$/) { sub(/ms$/, "", v) }
                  else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
                  printf "%.1f", v }' "$1"
}
cat > "$WORK/search.lua" <<'EOF2'
local qs = { "%D8%A7%D9%84%D9%85%D9%84%D9%83", "%D9%88%D8%B2%D9%8A%D8%B1%20%D8%A7%D9%84%D8%AE%D8%A7%D8%B1%D8%AC%D9%8A%D8%A9",
  "%D8%A7%D9%84%D9%8A%D9%85%D9%86", "%D8%A7%D9%84%D9%86%D9%81%D8%B7", "%D8%AF%D8%A7%D8%B9%D8%B4" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. qs[(i % #qs) + 1])
end
EOF2
# cli_p99 FILE: p99 (nearest rank) of the millisecond times in FILE, one a line
cli_p99() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (!NR) { print "NA"; exit } i = int(NR * 0.99 + 0.999); printf "%.0f", v[i] }'; }
# probe: search and brief p99 through rasd serve on the same database;
# prints "search_p99 brief_p99 how". When rasd serve cannot serve this store
# (its API reads SQLite directly), the same through the CLI: `rasd search`
# and `rasd brief ID` once per id (each a whole process: open, compute, print;
# p99 of 20 runs is their maximum).
probe() {
  ids=$($PSQL 'SELECT id FROM threads WHERE articles BETWEEN 4 AND 8 ORDER BY id LIMIT 20' | paste -sd, -)
  rm -f "$WORK/serve.url"
  "$RASD" serve --db "$URL" --port 0 --threads 4 --quiet > "$WORK/serve.url" 2> "$WORK/serve.log" &
  SPID=$!
  i=0
  while [ ! -s "$WORK/serve.url" ] && [ $i -lt 600 ] && kill -0 $SPID 2> /dev/null; do sleep 0.1; i=$((i + 1)); done
  if [ ! -s "$WORK/serve.url" ]; then
    kill $SPID 2> /dev/null; wait $SPID 2> /dev/null; SPID=""
    : > "$WORK/t-search"; : > "$WORK/t-brief"; sp=NA
    for q in الملك "وزير الخارجية" اليمن النفط داعش; do
      t0=$(now)
      "$RASD" search --db "$URL" "$q" > /dev/null 2>&1 || { sp=NA; break; }
      t1=$(now); sp=ok
      awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }' >> "$WORK/t-search"
    done
    [ "$sp" = ok ] && sp=$(cli_p99 "$WORK/t-search")
    for id in $(echo "$ids" | tr , ' '); do
      t0=$(now)
      "$RASD" brief --db "$URL" "$id" > /dev/null 2>&1
      t1=$(now)
      awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }' >> "$WORK/t-brief"
    done
    echo "$sp $(cli_p99 "$WORK/t-brief") cli"
    return
  fi
  U=$(head -n 1 "$WORK/serve.url")
  cat > "$WORK/briefs.lua" <<EOF2
local ids = { $ids }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/stories/" .. ids[(i % #ids) + 1] .. "/brief")
end
EOF2
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 120 "${U}api/search?q=%D8%A7%D9%84%D9%8A%D9%85%D9%86")
  sp=NA   # NA: no search on this store
  if [ "$code" = 200 ]; then
    wrk -t 1 -c 4 -d "${PROBE}s" --timeout 30s --latency -s "$WORK/search.lua" "$U" > "$WORK/wrk-search.txt" 2>&1
    sp=$(p99 "$WORK/wrk-search.txt")
  fi
  bp=NA
  if [ -n "$ids" ]; then
    wrk -t 1 -c 4 -d "${PROBE}s" --timeout 30s --latency -s "$WORK/briefs.lua" "$U" > "$WORK/wrk-brief.txt" 2>&1
    bp=$(p99 "$WORK/wrk-brief.txt")
  fi
  kill $SPID 2> /dev/null; wait $SPID 2> /dev/null; SPID=""
  echo "${sp:-NA} ${bp:-NA} serve"
}
printf 'round\tarticles\tingest_s\tarticles_per_s\tdb_mb\tsearch_p99_ms\tbrief_p99_ms\tprobe\tload1\n' > "$TSV"
printf '%5s  %9s  %8s  %10s  %8s  %14s  %13s  %5s  %s\n' round articles ingest_s articles/s db_MB search_p99_ms brief_p99_ms probe load
start=$(date +%s)
round=0; stored=0
while [ "$stored" -lt "$TARGET" ] && [ $(( $(date +%s) - start )) -lt $((MINUTES * 60)) ]; do
  rm -rf "$WORK/round"
  # shellcheck disable=SC2046
  python3 bench/replay_gen.py "$round" "$WORK/round" $(ls "$DAYS"/*.json | head -n "$NDAYS") || exit 1
  ls "$WORK/round"/*.json > "$WORK/files"
  t0=$(now); pids=""; k=0
  while [ $k -lt "$WORKERS" ]; do
    awk -v n="$WORKERS" -v k="$k" 'NR % n == k' "$WORK/files" > "$WORK/w$k"
    # shellcheck disable=SC2046
    [ -s "$WORK/w$k" ] && { "$RASD" ingest --quiet --no-refresh --db "$URL" $(cat "$WORK/w$k") > "$WORK/w$k.out" 2>&1 & pids="$pids $!"; }
    k=$((k + 1))
  done
  for p in $pids; do wait "$p"; done
  t1=$(now)
  before=$stored
  stored=$($PSQL 'SELECT count(*) FROM articles')
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  rate=$(awk -v n="$((stored - before))" -v t="$secs" 'BEGIN { printf "%.0f", n / t }')
  mb=$($PSQL "SELECT pg_database_size('replay') / 1048576")
  # the probe after every EVERY-th round, and after the round that ends the run
  if [ $((round % EVERY)) -eq $((EVERY - 1)) ] || [ "$stored" -ge "$TARGET" ] ||
     [ $(( $(date +%s) - start )) -ge $((MINUTES * 60)) ]; then
    set -- $(probe)
  else
    set -- NA NA none
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$stored" "$secs" "$rate" "$mb" "$1" "$2" "$3" "$load" >> "$TSV"
  printf '%5d  %9d  %8s  %10s  %8s  %14s  %13s  %5s  %s\n' "$round" "$stored" "$secs" "$rate" "$mb" "$1" "$2" "$3" "$load"
  round=$((round + 1))
done
echo "reached $stored articles in $round rounds ($(( ($(date +%s) - start) / 60 )) min); target $TARGET"
if command -v gnuplot > /dev/null; then
  gnuplot -e "tsv='$TSV'; out='$OUT/pg-replay.png'" bench/pg_replay.gp
  echo "plot: $OUT/pg-replay.png"
else
  echo "gnuplot not installed: no plot (apt install gnuplot-nox)"
fi
