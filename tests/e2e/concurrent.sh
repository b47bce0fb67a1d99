#!/bin/sh
# concurrent.sh — writers at once: 4 processes create one new store and
# ingest different parts of a corpus into it at the same moment, 3 rounds.
# Each round must end with every process succeeding, an intact database and
# exactly the articles, events and threads of one sequential run (events and
# threads as sets of sets of article identity hashes): grouping is a function
# of the stored articles, not of which writer came first. (20 rounds of four
# SaudiNewsNet days: make bench-concurrent.)
. "$(dirname "$0")/lib.sh"
export ASAN_OPTIONS=detect_leaks=0
sh tests/e2e/gen_corpus.sh "$WORK/corpus" 16 10 > /dev/null 2>&1
mkdir -p "$WORK/p1" "$WORK/p2" "$WORK/p3" "$WORK/p4"
k=0
for f in "$WORK"/corpus/*; do
  k=$((k + 1)); cp "$f" "$WORK/p$(( (k - 1) % 4 + 1 ))/"
done
"$RASD" ingest --quiet --no-refresh --db "$WORK/seq.db" "$WORK/corpus" > /dev/null 2>&1
seq=$(sqlite3 "$WORK/seq.db" 'SELECT hash FROM articles ORDER BY hash' | md5sum)
# one line per event (thread): its articles' hashes, sorted
groups() { # DB event|thread
  col=ae.event; [ "$2" = thread ] && col=e.thread
  sqlite3 "$1" "SELECT $col, a.hash FROM article_event ae JOIN articles a ON a.id = ae.article
                JOIN events e ON e.id = ae.event ORDER BY a.hash" |
    awk -F'|' '{ g[$1] = g[$1] " " $2 } END { for (k in g) print g[k] }' | sort | md5sum
}
seq_ev=$(groups "$WORK/seq.db" event); seq_th=$(groups "$WORK/seq.db" thread)
round=0
while [ $round -lt 3 ]; do
  round=$((round + 1))
  db="$WORK/c$round.db"
  for p in 1 2 3 4; do
    "$RASD" ingest --quiet --no-refresh --db "$db" "$WORK/p$p" > "$WORK/out$p" 2>&1 &
    eval "pid$p=$!"
  done
  rcs=""
  for p in 1 2 3 4; do eval "wait \$pid$p"; rcs="$rcs $?"; done
  t "round $round: four writers creating one store at once all succeed"
  [ "$rcs" = " 0 0 0 0" ]; check $? "exit codes:$rcs $(cat "$WORK"/out* | grep -v '^[0-9]* files\|^stories' | head -3)"
  t "round $round: the store holds exactly the articles of a sequential run"
  [ "$(sqlite3 "$db" 'SELECT hash FROM articles ORDER BY hash' | md5sum)" = "$seq" ]; check $?
  t "round $round: every article is in an event and the database is intact"
  left=$(sqlite3 "$db" "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article FROM article_event)")
  [ "$left" = "0" ] && [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = "ok" ]; check $? "ungrouped=$left"
  t "round $round: the events and threads are exactly those of the sequential run"
  [ "$(groups "$db" event)" = "$seq_ev" ] && [ "$(groups "$db" thread)" = "$seq_th" ]; check $?
done
t "a back-filled day regroups to exactly the sequential run's events and threads"
for p in 4 3 2 1; do "$RASD" ingest --quiet --no-refresh --db "$WORK/back.db" "$WORK/p$p" > /dev/null 2>&1; done
[ "$(groups "$WORK/back.db" event)" = "$seq_ev" ] && [ "$(groups "$WORK/back.db" thread)" = "$seq_th" ]; check $?
summary
