#!/bin/sh
# pg.sh — PostgreSQL store benchmark (issue #17): ingest of the 15 SaudiNewsNet
# days with 1, 2 and 4 concurrent `rasd ingest` workers into PostgreSQL (day
# files dealt round-robin to the workers), the same with SQLite (1, 2 and 4
# workers) in the same run, then the kill test: a two-worker ingest of 2 day
# files during which KILLS (20) times a random running worker gets kill -9
# and is restarted on its files (tests/e2e/pg_lib.sh pg_kill_ingest); no
# article may be half-stored, and the content (article hashes, and the
# events once regrouped with `rasd stories --rebuild`) must equal a clean
# single run's. Every worker runs `rasd ingest --quiet --no-refresh` (stories
# are grouped, stored briefs are not rebuilt). The server is a throw-away
# PostgreSQL 15 on a unix socket with default settings (fsync on).
# Half-stored also means: no search index row (pg_search.c writes it in the
# article's transaction).
#   sh bench/pg.sh [CORPUS_DIR]   (default ../shared/corpora/saudinewsnet)
#   KILLS=20 KILL_ROUNDS=1 (rounds of the kill test, seeds 17, 18, …; 0: none; a
#   failed round prints the workers' messages and the missing articles)
#   PG_BENCH_WORKERS=0 (only the kill test)  PG_BENCH_DAYS=15
#   NOKILL_ROUND=1: first a round 0, the same two workers without a kill
# Each round also compares the canonical copies, sightings and near-copy
# originals (tests/e2e/pg_lib.sh pg_copy_content) with the clean run's.
set -u
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
KILLS=${KILLS:-20}
KILL_ROUNDS=${KILL_ROUNDS:-1}        # kill tests, each with its own seed (17, 18, …)
PG_BENCH_WORKERS=${PG_BENCH_WORKERS:-1}  # 0: only the kill test
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
RASD=${RASD_BIN:-$PWD/build/rasd}   # RASD_BIN: another build (e.g. a copy while build/ is rebuilt)
echo "== PostgreSQL store benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
echo "command: PG_BENCH_DAYS=$PG_BENCH_DAYS KILLS=$KILLS KILL_ROUNDS=$KILL_ROUNDS PG_BENCH_WORKERS=$PG_BENCH_WORKERS sh bench/pg.sh $CORPUS_DIR"
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
  # exit 1 also reports bad items; a worker failed when a file or the store
  # failed: any "rasd: …" error line counts (a batch refused with "database is
  # locked" is one, even when the summary says 0 files failed)
  fails=$(cat "$WORK"/w*.out | grep -c -E ' [1-9][0-9]* files failed|^rasd: ')
  t1=$(now)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') $fails"
}
report() { # store workers seconds failures stored
  printf '%-10s  %7s  %8s  %9s  %8s  %s\n' "$1" "$2" "$3" \
    "$(awk -v n="$total" -v t="$3" 'BEGIN{printf "%.0f", n/t}')" "$5" "$4"
}
if [ "$PG_BENCH_WORKERS" != 0 ]; then
  printf '%-10s  %7s  %8s  %9s  %8s  %s\n' store workers seconds articles/s stored "workers failed"
  for n in 1 2 4; do
    url=$(pg_createdb "bench$n")
    read -r secs fails <<EOF2
$(run_workers "$url" $n)
EOF2
    stored=$($PSQL -d "bench$n" -c 'SELECT count(*) FROM articles')
    report postgresql $n "$secs" "$fails" "$stored"
    [ "$fails" -eq 0 ] || cat "$WORK"/w*.out | grep -E ' [1-9][0-9]* files failed|^rasd: ' | head -n 5
    $PSQL -d "bench$n" -c 'SELECT hash FROM articles ORDER BY hash' > "$WORK/pg$n.hashes"
  done
  for n in 1 2 4; do
    db=$WORK/bench$n.db
    read -r secs fails <<EOF2
$(run_workers "$db" $n)
EOF2
    stored=$(sqlite3 "$db" 'SELECT count(*) FROM articles')
    report sqlite $n "$secs" "$fails" "$stored"
    [ "$fails" -eq 0 ] || cat "$WORK"/w*.out | grep -E ' [1-9][0-9]* files failed|^rasd: ' | head -n 5
    sqlite3 "$db" 'SELECT hash FROM articles ORDER BY hash' > "$WORK/sq$n.hashes"
  done
  for h in pg2 pg4 sq1 sq2 sq4; do
    if cmp -s "$WORK/pg1.hashes" "$WORK/$h.hashes"; then same=same; else same="DIFFERENT ($(wc -l < "$WORK/$h.hashes") vs $(wc -l < "$WORK/pg1.hashes") articles)"; fi
    echo "article hashes of $h vs postgresql 1 worker: $same"
  done

fi

if [ "$KILL_ROUNDS" = 0 ] && [ "${NOKILL_ROUND:-0}" != 1 ]; then exit 0; fi   # workers only
echo "== $KILLS kill -9 of random workers during one two-worker ingest (2 day files)"
head -n 2 "$WORK/days" > "$WORK/kdays"
awk 'NR % 2 == 1' "$WORK/kdays" > "$WORK/k1"; awk 'NR % 2 == 0' "$WORK/kdays" > "$WORK/k2"
url=$(pg_createdb kclean)
t0=$(now)
# shellcheck disable=SC2046
"$RASD" ingest --quiet --no-refresh --db "$url" $(cat "$WORK/kdays") > /dev/null 2>&1
t1=$(now)
"$RASD" stories --rebuild --db "$url" > /dev/null 2>&1
pg_content $PSQL -d kclean -c > "$WORK/kclean.content"
pg_copy_content $PSQL -d kclean -c > "$WORK/kclean.copies"
echo "clean single run: $($PSQL -d kclean -c 'SELECT count(*) FROM articles WHERE copy_of IS NOT NULL') near-copies, $($PSQL -d kclean -c 'SELECT count(*) FROM sightings') sightings;"
echo "clean single run: $($PSQL -d kclean -c 'SELECT count(*) FROM articles') articles in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
fails_k=0
r=1; [ "${NOKILL_ROUND:-0}" = 1 ] && r=0
while [ $r -le "$KILL_ROUNDS" ]; do
  url=$(pg_createdb kill)
  t0=$(now)
  kills=$KILLS; [ $r = 0 ] && kills=0
  hit=$(KILL_LOG="$WORK/kill$r.log" pg_kill_ingest "$RASD" "$url" "$kills" $((16 + r)) "$WORK/k1" "$WORK/k2")
  t1=$(now)
  half=$($PSQL -d kill -c "SELECT count(*) FROM articles a WHERE
         (minhash IS NOT NULL AND (SELECT count(*) FROM lsh WHERE lsh.article = a.id) != 32) OR
         NOT EXISTS (SELECT 1 FROM annotations n WHERE n.article = a.id) OR
         NOT EXISTS (SELECT 1 FROM story_vec v WHERE v.article = a.id) OR
         NOT EXISTS (SELECT 1 FROM article_terms t WHERE t.article = a.id)")
  pg_content $PSQL -d kill -c > "$WORK/kill.incr"
  "$RASD" stories --rebuild --db "$url" > /dev/null 2>&1
  pg_content $PSQL -d kill -c > "$WORK/kill.content"
  grep '^a ' "$WORK/kill.content" > "$WORK/ka"; grep '^a ' "$WORK/kclean.content" > "$WORK/ca"
  if cmp -s "$WORK/ka" "$WORK/ca"; then arts=same; else arts=DIFFERENT; fi
  if cmp -s "$WORK/kill.content" "$WORK/kclean.content"; then evs=same; else evs=DIFFERENT; fi
  if cmp -s "$WORK/kill.incr" "$WORK/kclean.content"; then incr=same; else incr=different; fi
  pg_copy_content $PSQL -d kill -c > "$WORK/kill.copies"
  if cmp -s "$WORK/kill.copies" "$WORK/kclean.copies"; then cps=same; else cps=DIFFERENT; fi
  echo "round $r (seed $((16 + r))): $hit of $kills kill -9 hit a running worker; ingest with kills took $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
  echo "half-stored articles: $half; articles vs clean run: $arts ($(wc -l < "$WORK/ka") vs $(wc -l < "$WORK/ca")); events once regrouped vs clean run: $evs; events as assigned incrementally (before the regroup): $incr; canonical copies, sightings, near-copy originals vs clean run: $cps ($($PSQL -d kill -c 'SELECT count(*) FROM articles WHERE copy_of IS NOT NULL') near-copies)"
  [ "$half" = 0 ] && [ "$arts" = same ] && [ "$evs" = same ] && [ "$cps" = same ] && echo "kill test round $r: passed" ||
    { echo "kill test round $r: FAILED"; fails_k=$((fails_k + 1))
      echo "the workers said:"; grep -v '^[0-9]* files:' "$WORK/kill$r.log" | head -n 5
      diff "$WORK/ka" "$WORK/ca" | head -n 5; diff "$WORK/kill.copies" "$WORK/kclean.copies" | head -n 5; }
  r=$((r + 1))
done
echo "kill rounds failed: $fails_k of $KILL_ROUNDS"
