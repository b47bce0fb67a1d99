#!/bin/sh
# stories.sh — story grouping end to end: ingest assigns events and threads,
# `rasd stories` lists them (text and JSON), `rasd similar` scores pairs of
# files or stored articles, and bad arguments get one clear error.
. "$(dirname "$0")/lib.sh"
DB=$WORK/s.db
SEEDS=examples/seeds

t "ingest groups the stored articles into events and threads and says so"
"$RASD" ingest -q --db "$DB" --manifest "$SEEDS/manifest.jsonl" "$SEEDS" > "$WORK/out" 2> "$WORK/err"
rc=$?
[ $rc -eq 0 ] && grep -qE '^stories: 6 articles in [0-9]+ events' "$WORK/out"; check $? "rc=$rc $(cat "$WORK/out" "$WORK/err")"

t "stories --json lists every article once, in threads of events"
"$RASD" stories --db "$DB" --json > "$WORK/st.jsonl"
jq -e -s '([.[].events[].articles[]] | length) == 6 and
          ([.[].events[].articles[].id] | unique | length) == 6 and
          all(.[]; .articles == ([.events[].articles] | add | length))' "$WORK/st.jsonl" > /dev/null
check $? "$(head -c 600 "$WORK/st.jsonl")"

t "the seeds' reports on Russia buying North Korean arms share one thread"
jq -e -s '[.[] | select([.events[].articles[].title // ""] | any(test("كوريا الشمالية")))] | length == 1' \
  "$WORK/st.jsonl" > /dev/null
check $? "$(jq -c '[.id, .articles, [.events[].id]]' "$WORK/st.jsonl")"

t "the report appended to a seed (Kursk, 2025) is an event of its own"
jq -e -s '[.[].events[] | select([.articles[].title // ""] | any(test("كورسك")))] |
          length == 1 and (.[0].articles | length) == 1' "$WORK/st.jsonl" > /dev/null
check $? "$(jq -c '[.[].events[] | [.id, [.articles[].title]]]' "$WORK/st.jsonl")"

t "an event's first and last dates come from its articles"
jq -e -s 'all(.[].events[]; (.first == null) or (.first <= .last))' "$WORK/st.jsonl" > /dev/null
check $?

t "stories --since keeps only threads active on or after the date"
n=$("$RASD" stories --db "$DB" --since 2030-01-01 --json | wc -l)
[ "$n" -eq 0 ]; check $? "n=$n"

t "stories --since refuses a malformed date with exit 2"
"$RASD" stories --db "$DB" --since yesterday > /dev/null 2> "$WORK/err"
rc=$?
[ $rc -eq 2 ] && grep -q 'since' "$WORK/err"; check $? "rc=$rc"

t "stories on a terminal-style listing names threads and events"
"$RASD" stories --db "$DB" > "$WORK/st.txt"
grep -q '^thread 1' "$WORK/st.txt" && grep -q 'event ' "$WORK/st.txt"; check $?

t "similar scores a file against itself as the same event"
f=$(ls "$SEEDS"/001_*.txt)
"$RASD" similar --json "$f" "$f" > "$WORK/sim.json"
jq -e '.score >= 0.9 and .same_event and .components.near == 1' "$WORK/sim.json" > /dev/null
check $? "$(cat "$WORK/sim.json")"

t "similar reports the numbers both articles give as a component"
jq -e '.components | has("nums") and has("cross") and (.nums >= 0 and .nums <= 1)' "$WORK/sim.json" > /dev/null
check $? "$(cat "$WORK/sim.json")"

t "similar accepts stored article ids and prints the components"
a=$(jq -r -s '.[0].events[0].articles[0].id' "$WORK/st.jsonl")
"$RASD" similar --db "$DB" "$a" "$f" > "$WORK/sim.txt"
grep -q '^similarity ' "$WORK/sim.txt" && grep -q 'terms' "$WORK/sim.txt"; check $? "$(cat "$WORK/sim.txt")"

t "similar names a missing input and exits 1"
"$RASD" similar --db "$DB" "$f" /nonexistent/article.txt > /dev/null 2> "$WORK/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'nonexistent' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "similar with one argument is a usage error"
"$RASD" similar "$f" > /dev/null 2>&1
[ $? -eq 2 ]; check $?

t "ingest --no-stories leaves the grouping for later"
"$RASD" ingest -q --no-stories --db "$WORK/n.db" "$SEEDS" > "$WORK/out" 2>&1
! grep -q '^stories:' "$WORK/out" && [ "$("$RASD" stories --db "$WORK/n.db" --json | wc -l)" -eq 0 ]
check $? "$(cat "$WORK/out")"

summary
