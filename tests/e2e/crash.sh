#!/bin/sh
# crash.sh — kill -9 during ingest, 30 times at random moments (reading, annotating,
# storing and grouping; the refresh stage is not a target here): after each
# kill the database opens, passes PRAGMA integrity_check, holds no
# half-stored article (every article with a signature has all its LSH rows),
# and a final re-run completes the job with every article stored once.
. "$(dirname "$0")/lib.sh"
export ASAN_OPTIONS=detect_leaks=0   # a killed process cannot free
DB=$WORK/crash.db
sh tests/e2e/gen_corpus.sh "$WORK/corpus" 120 25
expected=$((120 * 25))
kills=0; i=0
while [ $i -lt 30 ]; do
  i=$((i + 1))
  # kill rounds aim at reading, analysing, storing and grouping; the refresh
  # stage only rebuilds stored briefs (its own kill test is in make bench)
  "$RASD" ingest --quiet --no-refresh --db "$DB" "$WORK/corpus" > /dev/null 2>&1 &
  pid=$!
  # a random moment between 20 ms and 0.6 s (a full re-run takes longer than that)
  sleep "$(awk -v s="$i" 'BEGIN { srand(s * 7919); printf "%.3f", 0.02 + rand() * 0.58 }')"
  kill -9 $pid 2> /dev/null && kills=$((kills + 1))
  wait $pid 2> /dev/null
  t "after kill $i the database passes integrity_check"
  [ "$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)" = "ok" ]; check $?
  t "after kill $i no article is half-stored"
  half=$(sqlite3 "$DB" "SELECT count(*) FROM articles a WHERE minhash IS NOT NULL AND
         (SELECT count(*) FROM lsh WHERE lsh.article = a.id) != 32" 2>&1)
  [ "$half" = "0" ]; check $? "$half"
done
t "at least 22 of the 30 runs were killed mid-way"
[ $kills -ge 22 ]; check $? "kills=$kills"
t "a re-run after the kills completes the job"
"$RASD" ingest --quiet --no-refresh --db "$DB" "$WORK/corpus" > "$WORK/out" 2>&1; rc=$?
stored=$(sqlite3 "$DB" 'SELECT count(*) FROM articles')
[ $rc -eq 0 ] && [ "$stored" -eq "$expected" ]; check $? "rc=$rc stored=$stored expected=$expected"
t "a further re-run stores nothing new"
"$RASD" ingest --quiet --no-refresh --db "$DB" "$WORK/corpus" > "$WORK/out" 2>&1
grep -q ' 0 new' "$WORK/out"; check $? "$(cat "$WORK/out")"
t "after the kills every article has its annotations and an event"
missing=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM articles WHERE id NOT IN
          (SELECT article FROM annotations)) + (SELECT count(*) FROM articles WHERE id NOT IN
          (SELECT article FROM article_event))" 2>&1)
[ "$missing" = "0" ]; check $? "$missing"
summary
