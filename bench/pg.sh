#!/bin/sh
# pg.sh — PostgreSQL store benchmark (issue #17): ingest of the 15 SaudiNewsNet
# days with 1, 2 and 4 concurrent `rasd ingest` workers into PostgreSQL (day
# files dealt round-robin to the workers), the same with SQLite (1 and 2
# workers) in the same run, then kill -9 rounds: one of two workers killed at
# a random moment, the other finishing, the killed one's files re-run; the
# article hashes must equal a clean single run's and no article may be
# half-stored. Every worker runs `rasd ingest --quiet --no-refresh` (stories
# are grouped, stored briefs are not rebuilt). The server is a throw-away
# PostgreSQL 15 on a unix socket with default settings (fsync on).
#   sh bench/pg.sh [CORPUS_DIR]   (default ../shared/corpora/saudinewsnet)
set -u
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
KILL_ROUNDS=${KILL_ROUNDS:-3}
PG_BENCH_DAYS=${PG_BENCH_DAYS:-15}   # the first N day files (15: all)
OUT=build/bench
DAYS=$OUT/snn-days
[ -x build/rasd ] || make -s build/rasd
sh bench/extract_days.sh "$CORPUS_DIR" "$DAYS"
. tests/e2e/pg_lib.sh
if ! pg_have; then echo "pg bench: postgresql-15 not installed, skipped"; exit 0; fi
WORK=$(mktemp -d /tmp/rasd-pgbench.XXXXXX)
trap 'pg_stop; rm -rf "$WORK"' EXIT INT TERM
pg_start "$WORK/pg" || exit 1
PSQL="$PG_BIN/psql -X -q -At -h $PG_SOCK"
RASD=$PWD/build/rasd
echo "== PostgreSQL store benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
echo "command: PG_BENCH_DAYS=$PG_BENCH_DAYS KILL_ROUNDS=$KILL_ROUNDS sh bench/pg.sh $CORPUS_DIR"
ls "$DAYS"/*.json | head -n "$PG_BENCH_DAYS" > "$WORK/days"
total=$(for f in $(cat "$WORK/days"); do jq length "$f"; done | awk '{s+=$1} END {print s}')
echo "corpus:  $(wc -l < "$WORK/days") day files, $total items"

now() { date +%s.%N; }
# run_workers DB N: N workers over the day files; prints "seconds failures"
run_workers() {
  db=$1; n=$2; pids=""
  t0=$(now)
  k=0
  while [ $k -lt "$n" ]; do
    rm -f "$WORK/w$k.out" "$WORK/w$((k + n)).out" "$WORK/w$((k + 2 * n)).out" "$WORK/w$((k + 3 * n)).out"
    awk -v n="$n" -v k="$k" 'NR % n == k' "$WORK/days" > "$WORK/w$k"
    [ -s "$WORK/w$k" ] || { k=$((k + 1)); continue; }   # more workers than files
    # shellcheck disable=SC2046
    "$RASD" ingest --quiet --no-refresh --db "$db" $(cat "$WORK/w$k") > "$WORK/w$k.out" 2>&1 &
    pids="$pids $!"
    k=$((k + 1))
  done
  for p in $pids; do wait "$p"; done
  # exit 1 also reports bad items; a worker failed when a file or the store failed
  fails=$(cat "$WORK"/w*.out | grep -c -E ' [1-9][0-9]* files failed|^rasd: (stories|postgresql|refreshing)|^rasd: [^ ]*: postgresql')
  t1=$(now)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') $fails"
}
report() { # store workers seconds failures stored
  printf '%-10s  %7s  %8s  %9s  %8s  %s\n' "$1" "$2" "$3" \
    "$(awk -v n="$total" -v t="$3" 'BEGIN{printf "%.0f", n/t}')" "$5" "$4"
}
printf '%-10s  %7s  %8s  %9s  %8s  %s\n' store workers seconds articles/s stored "workers failed"
for n in 1 2 4; do
  url=$(pg_createdb "bench$n")
  read -r secs fails <<EOF2
$(run_workers "$url" $n)
EOF2
  stored=$($PSQL -d "bench$n" -c 'SELECT count(*) FROM articles')
  report postgresql $n "$secs" "$fails" "$stored"
  [ "$fails" -eq 0 ] || cat "$WORK"/w*.out | grep -E ' [1-9][0-9]* files failed|^rasd: (stories|postgresql|refreshing)|^rasd: [^ ]*: postgresql' | head -n 5
  $PSQL -d "bench$n" -c 'SELECT hash FROM articles ORDER BY hash' > "$WORK/pg$n.hashes"
done
for n in 1 2; do
  db=$WORK/bench$n.db
  read -r secs fails <<EOF2
$(run_workers "$db" $n)
EOF2
  stored=$(sqlite3 "$db" 'SELECT count(*) FROM articles')
  report sqlite $n "$secs" "$fails" "$stored"
  [ "$fails" -eq 0 ] || cat "$WORK"/w*.out | grep -E ' [1-9][0-9]* files failed|^rasd: (stories|postgresql|refreshing)|^rasd: [^ ]*: postgresql' | head -n 5
  sqlite3 "$db" 'SELECT hash FROM articles ORDER BY hash' > "$WORK/sq$n.hashes"
done
for h in pg2 pg4 sq1 sq2; do
  if cmp -s "$WORK/pg1.hashes" "$WORK/$h.hashes"; then same=same; else same=DIFFERENT; fi
  echo "article hashes of $h vs postgresql 1 worker: $same"
done

echo "== kill -9 of one of two workers ($KILL_ROUNDS rounds, 2 day files)"
head -n 2 "$WORK/days" > "$WORK/kdays"
awk 'NR % 2 == 1' "$WORK/kdays" > "$WORK/k1"; awk 'NR % 2 == 0' "$WORK/kdays" > "$WORK/k2"
# shellcheck disable=SC2046
"$RASD" ingest --quiet --no-refresh --no-stories --db "$WORK/kref.db" $(cat "$WORK/kdays") > /dev/null 2>&1
sqlite3 "$WORK/kref.db" 'SELECT hash FROM articles ORDER BY hash' > "$WORK/kref.hashes"
ok=0; r=1
while [ $r -le "$KILL_ROUNDS" ]; do
  url=$(pg_createdb "kill$r")
  # shellcheck disable=SC2046
  "$RASD" ingest --quiet --no-refresh --db "$url" $(cat "$WORK/k1") > /dev/null 2>&1 & p1=$!
  # shellcheck disable=SC2046
  "$RASD" ingest --quiet --no-refresh --db "$url" $(cat "$WORK/k2") > /dev/null 2>&1 & p2=$!
  delay=$(awk -v s="$r" 'BEGIN { srand(s * 104729); printf "%.2f", 1 + rand() * 9 }')
  sleep "$delay"
  if kill -9 $p1 2> /dev/null; then killed="killed at ${delay}s"; else killed="had finished before ${delay}s"; fi
  wait $p1 2> /dev/null; wait $p2 2> /dev/null
  before=$($PSQL -d "kill$r" -c 'SELECT count(*) FROM articles')
  half=$($PSQL -d "kill$r" -c "SELECT count(*) FROM articles a WHERE
         (minhash IS NOT NULL AND (SELECT count(*) FROM lsh WHERE lsh.article = a.id) != 32) OR
         NOT EXISTS (SELECT 1 FROM annotations n WHERE n.article = a.id) OR
         NOT EXISTS (SELECT 1 FROM story_vec v WHERE v.article = a.id)")
  # shellcheck disable=SC2046
  "$RASD" ingest --quiet --no-refresh --db "$url" $(cat "$WORK/k1") > /dev/null 2>&1
  $PSQL -d "kill$r" -c 'SELECT hash FROM articles ORDER BY hash' > "$WORK/k.hashes"
  if cmp -s "$WORK/k.hashes" "$WORK/kref.hashes"; then same=same; else same=DIFFERENT; fi
  [ "$same" = same ] && [ "$half" = 0 ] && ok=$((ok + 1))
  echo "round $r: worker 1 $killed; $before articles after the kill, $half half-stored; after re-run $(wc -l < "$WORK/k.hashes") articles, hashes vs clean run: $same"
  r=$((r + 1))
done
echo "kill rounds passed: $ok of $KILL_ROUNDS"
