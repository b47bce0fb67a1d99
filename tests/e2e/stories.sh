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
check $? "$(jq -c -s '[.[].events[] | [.id, [.articles[].title]]]' "$WORK/st.jsonl")"

t "the seeds form three events: the 2022 purchase, the 2023 negotiations (4-5 days apart), Kursk alone"
jq -e -s '[.[].events[] | [.articles[].published] | sort] | sort ==
          [[null], ["2022-09-06", "2022-09-06"], ["2023-08-31", "2023-09-01", "2023-09-05"]]' \
  "$WORK/st.jsonl" > /dev/null
check $? "$(jq -c -s '[.[].events[] | [.articles[].published]]' "$WORK/st.jsonl")"

t "a multi-day SaudiNewsNet story is one event; the same actors' other news is not (fixture)"
Z=tests/data/json/snn-multiday-zarif.json
"$RASD" ingest -q --db "$WORK/z.db" "$Z" > /dev/null 2>&1
"$RASD" stories --db "$WORK/z.db" --json > "$WORK/z.jsonl"
jq -e -s '[.[].events[] | select([.articles[].title] | any(test("ظريف|التودد|وزير الخارجية الإيراني")))] |
          length == 1 and (.[0].articles | length) == 6 and .[0].first == "2015-07-26" and
          .[0].last == "2015-07-31" and ([.[0].articles[].title] | all(test("الجبير") | not))' \
  "$WORK/z.jsonl" > /dev/null
check $? "$(jq -c -s '[.[].events[] | [.first, .last, [.articles[].title]]]' "$WORK/z.jsonl")"

t "similar explains a shared signature and a routine shape's slot"
"$RASD" similar --db "$WORK/z.db" --json "$(jq -r -s '.[0].events[0].articles[0].id' "$WORK/z.jsonl")" \
  "$(jq -r -s '.[0].events[0].articles[1].id' "$WORK/z.jsonl")" > "$WORK/sim.json"
jq -e 'has("signature") and has("shape") and .slot_agrees == true' "$WORK/sim.json" > /dev/null
check $? "$(cat "$WORK/sim.json")"

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

t "brief --json has a headline and 5 to 8 summary sentences, each citing outlets"
"$RASD" brief --db "$DB" --json 1 > "$WORK/brief.json"
jq -e '(.headline | length) > 0 and (.summary | length) >= 5 and (.summary | length) <= 8 and
       all(.summary[]; (.sources | length) >= 1 and (.text | length) > 20)' "$WORK/brief.json" > /dev/null
check $? "$(head -c 400 "$WORK/brief.json")"

t "the brief finds the seeds' role conflict: one defence minister, two names"
jq -e '[.conflicts[] | select(.kind == "role") | [.values[].value] | join(" ")] |
       any(test("لافروف") and test("شويغو|شويجو"))' "$WORK/brief.json" > /dev/null
check $? "$(jq -c '.conflicts' "$WORK/brief.json" | head -c 600)"

t "the brief finds the seeds' wording discrepancy in one phrase"
jq -e '[.conflicts[] | select(.kind == "wording") | [.values[].value] | join(" ")] |
       any(test("الصينية العسكرية") and test("الصناعية الدفاعية"))' "$WORK/brief.json" > /dev/null
check $?

t "no other conflicts are reported in the seeds"
n=$(jq '.conflicts | length' "$WORK/brief.json")
[ "$n" -eq 2 ]; check $? "n=$n $(jq -c '[.conflicts[] | [.kind, .subject]]' "$WORK/brief.json")"

t "the brief has a timeline, names with their spellings and quotes by speaker"
jq -e '(.timeline | length) > 3 and all(.timeline[]; .value | test("^[0-9]{4}")) and
       ([.entities[] | select(.variants | index("بيونج يانج")) | .variants | index("بيونغ يانغ")] | length) == 1 and
       (.quotes | length) > 0 and all(.quotes[]; (.quotes | length) > 0)' "$WORK/brief.json" > /dev/null
check $? "$(jq -c '[(.timeline | length), (.quotes | length)]' "$WORK/brief.json")"

t "brief --html writes one self-contained right-to-left page with its font"
"$RASD" brief --db "$DB" --html -o "$WORK/brief.html" 1
grep -q 'dir="rtl"' "$WORK/brief.html" && grep -q 'font/woff2;base64,' "$WORK/brief.html" &&
  ! grep -qE '(src|href)="?https?:' "$WORK/brief.html"
check $?

t "brief --md and the terminal text carry the summary with citations"
"$RASD" brief --db "$DB" --md 1 > "$WORK/brief.md" && "$RASD" brief --db "$DB" 1 > "$WORK/brief.txt"
head -1 "$WORK/brief.md" | grep -q '^# ' && grep -q '^## ' "$WORK/brief.md" && grep -q '\[' "$WORK/brief.txt"
check $?

t "brief of a story that does not exist says so and exits 1"
"$RASD" brief --db "$DB" 999 > /dev/null 2> "$WORK/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'no story 999' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "conflicts --json lists the story's conflicts with sentences for every value"
"$RASD" conflicts --db "$DB" --json > "$WORK/cf.jsonl"
jq -e -s 'length == 1 and all(.[].conflicts[].values[]; (.sentences | length) >= 1 and (.sources | length) >= 1)' \
  "$WORK/cf.jsonl" > /dev/null
check $? "$(head -c 300 "$WORK/cf.jsonl")"

t "conflicts refuses a bad story number with exit 2"
"$RASD" conflicts --db "$DB" --story x > /dev/null 2>&1
[ $? -eq 2 ]; check $?

t "entities --story keeps to the story's articles"
"$RASD" entities --db "$DB" --story 1 --json > "$WORK/se.jsonl"
jq -e -s 'length > 5' "$WORK/se.jsonl" > /dev/null; check $?

t "quotes --story lists the quotations of the story's stored articles"
"$RASD" quotes --db "$DB" --story 1 --json > "$WORK/sq.jsonl"
jq -e -s 'length > 3 and all(.[]; (.text | length) > 0)' "$WORK/sq.jsonl" > /dev/null
check $? "$(head -c 300 "$WORK/sq.jsonl")"

t "quotes --story gives one entry per statement, grouped by speaker, with every article that carried it"
"$RASD" quotes --db "$DB" --story 1 > "$WORK/sq.txt"
jq -e -s 'any(.[]; (.sources | length) >= 2) and
  all(.[]; (.group | type) == "string" and (.sources | length) >= 1 and
           (.sources | map(.article) | unique | length) == (.sources | length))' \
  "$WORK/sq.jsonl" > /dev/null &&
  [ "$(jq -s '[.[].group] | length' "$WORK/sq.jsonl")" -lt \
    "$("$RASD" quotes --db "$DB" --story 1 --lines | grep -c ' | ')" ] &&
  grep -q ' statements)$' "$WORK/sq.txt" && grep -q '^    sources: ' "$WORK/sq.txt"
check $? "$(head -c 600 "$WORK/sq.txt")"

t "quotes and entities refuse a story that does not exist"
"$RASD" quotes --db "$DB" --story 77 > /dev/null 2> "$WORK/err"; r1=$?
"$RASD" entities --db "$DB" --story 77 > /dev/null 2>> "$WORK/err"; r2=$?
[ $r1 -eq 1 ] && [ $r2 -eq 1 ] && grep -q 'no story 77' "$WORK/err"; check $? "$r1 $r2 $(cat "$WORK/err")"

t "timeline --story lists dates in calendar order"
"$RASD" timeline --db "$DB" --story 1 --json > "$WORK/tl.json"
jq -e 'length > 3 and ([.[].value] == ([.[].value] | sort))' "$WORK/tl.json" > /dev/null; check $?

t "timeline without --story is a usage error"
"$RASD" timeline --db "$DB" > /dev/null 2>&1
[ $? -eq 2 ]; check $?

t "ingesting in two batches gives the events of one batch (incremental assignment)"
mkdir -p "$WORK/b1" "$WORK/b2"
for f in "$SEEDS"/00[14]_*.txt; do cp "$f" "$WORK/b1/"; done
for f in "$SEEDS"/00[023]_*.txt; do cp "$f" "$WORK/b2/"; done
"$RASD" ingest -q --db "$WORK/two.db" --manifest "$SEEDS/manifest.jsonl" "$WORK/b1" > /dev/null 2>&1
"$RASD" ingest -q --db "$WORK/two.db" --manifest "$SEEDS/manifest.jsonl" "$WORK/b2" > "$WORK/out2" 2>&1
ev() { "$RASD" stories --db "$1" --json | jq -c -s '[.[].events[] | [.articles[].id] | sort] | sort'; }
[ "$(ev "$WORK/two.db")" = "$(ev "$DB")" ] && grep -q '^stories:' "$WORK/out2"
check $? "$(ev "$WORK/two.db") vs $(ev "$DB")"

t "ingesting the seeds one file at a time, in any order, gives the events and threads of one batch"
# files a year apart: earlier runs' events close for good, and their threads are preloaded
grp() { "$RASD" stories --db "$1" --json |
        jq -c -s '[.[] | [.events[] | [.articles[].title] | sort] | sort] | sort'; }
for order in "001 004 003 000 002" "002 000 003 004 001" "004 002 001 000 003"; do
  rm -f "$WORK/one.db"
  for n in $order; do
    rm -rf "$WORK/one" && mkdir -p "$WORK/one" && cp "$SEEDS"/${n}_*.txt "$WORK/one/"
    "$RASD" ingest -q --db "$WORK/one.db" --manifest "$SEEDS/manifest.jsonl" "$WORK/one" > /dev/null 2>&1
  done
  [ "$(grp "$WORK/one.db")" = "$(grp "$DB")" ] || break
done
[ "$(grp "$WORK/one.db")" = "$(grp "$DB")" ]; check $? "order $order: $(grp "$WORK/one.db") vs $(grp "$DB")"

t "stories --rebuild regroups the whole store and keeps every article in one event"
"$RASD" stories --db "$WORK/two.db" --rebuild > "$WORK/out3" 2>&1
n=$("$RASD" stories --db "$WORK/two.db" --json | jq -s '[.[].events[].articles[]] | length')
grep -q '^stories: 6 articles' "$WORK/out3" && [ "$n" -eq 6 ]; check $? "$(cat "$WORK/out3") n=$n"

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

t "similar --db counts the archive only up to the later day and lists its links"
a=$(jq -r -s '[.[].events[] | select(.first == "2022-09-06")][0].articles[0].id' "$WORK/st.jsonl")
b=$(jq -r -s '[.[].events[] | select(.first == "2022-09-06")][0].articles[1].id' "$WORK/st.jsonl")
"$RASD" similar --db "$DB" --json "$a" "$b" > "$WORK/arch.json"
jq -e '.archive.articles >= 2 and .archive.articles < 6 and (.archive.links | type) == "array"
       and .archive.soft_overlap >= .archive.shared_overlap' "$WORK/arch.json" > /dev/null
check $? "$a $b $(cat "$WORK/arch.json")"
"$RASD" similar --db "$DB" "$a" "$b" > "$WORK/arch.txt"
grep -q '^  archive ' "$WORK/arch.txt"; check $? "$(cat "$WORK/arch.txt")"

t "similar names a missing input and exits 1"
"$RASD" similar --db "$DB" "$f" /nonexistent/article.txt > /dev/null 2> "$WORK/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'nonexistent' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "similar names an input with no article in it"
: > "$WORK/empty.txt"
"$RASD" similar "$WORK/empty.txt" "$f" > /dev/null 2> "$WORK/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'empty.txt' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "brief and conflicts refuse a malformed event number with exit 2"
"$RASD" brief --db "$DB" --event abc > /dev/null 2>&1; r1=$?
"$RASD" conflicts --db "$DB" --event 0 > /dev/null 2>&1; r2=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ]; check $? "$r1 $r2"

t "brief of an event that does not exist says so and exits 1"
"$RASD" brief --db "$DB" --event 999 > /dev/null 2> "$WORK/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'no event 999' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "similar with one argument is a usage error"
"$RASD" similar "$f" > /dev/null 2>&1
[ $? -eq 2 ]; check $?

t "ingest --no-stories leaves the grouping for later"
"$RASD" ingest -q --no-stories --db "$WORK/n.db" "$SEEDS" > "$WORK/out" 2>&1
! grep -q '^stories:' "$WORK/out" && [ "$("$RASD" stories --db "$WORK/n.db" --json | wc -l)" -eq 0 ]
check $? "$(cat "$WORK/out")"

summary
