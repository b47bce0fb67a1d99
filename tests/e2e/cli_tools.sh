#!/bin/sh
# cli_tools.sh — the CLI's inspection tools that no other suite ran (found
# by `make coverage`: similar, dates, tag and tokens were at 0 %): each on
# the seeds, in text and JSON, and each with a bad argument giving one clear
# error and a non-zero exit.
. "$(dirname "$0")/lib.sh"
S=examples/seeds
A=$(ls $S/001_*.txt); B=$(ls $S/004_*.txt); K=$(ls $S/002_*.txt)
"$RASD" ingest -q --db "$WORK/s.db" --manifest "$S/manifest.jsonl" "$S" > /dev/null 2>&1

t "similar on two files prints the probability and every part of it"
"$RASD" similar "$A" "$B" > "$WORK/sim.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^similarity 0\.[0-9]' "$WORK/sim.txt" &&
  for p in terms title ents cross near nums; do grep -q "^  $p " "$WORK/sim.txt" || exit 1; done
check $? "rc=$rc $(head -c 300 "$WORK/sim.txt")"

t "similar --json with --db: the same score, components and the archive's links"
ida=$("$RASD" articles --db "$WORK/s.db" --json | jq -r 'select((.title // "") | test("ملايين القذائف")) | .id')
idb=$("$RASD" articles --db "$WORK/s.db" --json | jq -r 'select((.title // "") | test("البيت الأبيض")) | .id')
"$RASD" similar --json --db "$WORK/s.db" "$ida" "$idb" > "$WORK/sim.json" 2>&1
jq -e '(.score > 0 and .score <= 1) and (.components | has("terms") and has("ents"))
       and (.same_event | type == "boolean") and (.archive.articles >= 2)' "$WORK/sim.json" > /dev/null
check $? "a=$ida b=$idb $(head -c 300 "$WORK/sim.json")"

t "similar of an article with itself is a same-event pair"
"$RASD" similar --json "$A" "$A" | jq -e '.same_event == true and .score >= 0.9' > /dev/null; check $?

t "similar with a missing file or an unknown id names it and fails"
"$RASD" similar "$A" "$WORK/none.txt" > /dev/null 2> "$WORK/e1"
rc1=$?
"$RASD" similar --db "$WORK/s.db" "$ida" ffffffffffffffff > /dev/null 2> "$WORK/e2"
rc2=$?
[ $rc1 -ne 0 ] && grep -q 'none.txt' "$WORK/e1" && [ $rc2 -ne 0 ] && [ -s "$WORK/e2" ]
check $? "rc=$rc1/$rc2 $(cat "$WORK/e1" "$WORK/e2" | head -c 300)"

t "dates resolves weekdays and relative months against --date"
"$RASD" dates --date 2023-09-05 "$K" > "$WORK/dates.txt" 2>&1
grep -q '^الثلثاء => 2023-09-05$' "$WORK/dates.txt" && grep -q '=> 2023-09-04$' "$WORK/dates.txt"
check $? "$(head -c 300 "$WORK/dates.txt")"

t "dates with a malformed --date names the option and fails"
"$RASD" dates --date 2023-13-45 "$K" > /dev/null 2> "$WORK/e3"
[ $? -ne 0 ] && grep -q -- '--date' "$WORK/e3"; check $? "$(head -c 200 "$WORK/e3")"

t "tag --conll prints one tag per word and keeps sentence breaks"
printf 'قال\nالرئيس\nالروسي\nفلاديمير\nبوتين\n\nفي\nموسكو\n' > "$WORK/in.conll"
"$RASD" tag --conll "$WORK/in.conll" > "$WORK/tags.txt" 2>&1
[ "$(grep -c . "$WORK/tags.txt")" -eq 7 ] && [ "$(grep -c '^$' "$WORK/tags.txt")" -ge 1 ] &&
  grep -q '^بوتين I-PERS$' "$WORK/tags.txt" && grep -q '^موسكو B-LOC$' "$WORK/tags.txt"
check $? "$(tr '\n' '|' < "$WORK/tags.txt")"

t "tag without --conll prints its usage and fails"
"$RASD" tag "$K" > /dev/null 2> "$WORK/e4"
[ $? -ne 0 ] && grep -q 'usage' "$WORK/e4"; check $?

t "tokens --json gives byte offsets that cut the text at each token"
"$RASD" tokens --json "$K" > "$WORK/tok.json" 2>&1
jq -e '.invalid == 0 and (.tokens | length > 100) and all(.tokens[]; .end > .start)' "$WORK/tok.json" > /dev/null
check $? "$(head -c 200 "$WORK/tok.json")"
summary
