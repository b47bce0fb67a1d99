#!/bin/sh
# compare.sh — `rasd compare A B`: two articles side by side without a
# database: aligned sentences, discrepancies, quantity mismatches and the
# headline contradiction; bad input is reported by name with exit 1 or 2.
. "$(dirname "$0")/lib.sh"

cat > "$WORK/a.txt" <<'TXT'
ارتفاع أسعار النفط في الأسواق العالمية

قالت مصادر في السوق إن القوات الحكومية سيطرت على حقل النفط بعد معارك عنيفة استمرت يومين. وأضافت المصادر أن نحو 1000 عامل غادروا الحقل خلال الأسبوع الماضي. وقتل 5 حراس في الهجوم على المنشأة الرئيسية.
TXT
cat > "$WORK/b.json" <<'TXT'
{"title": "انخفاض أسعار النفط في الأسواق العالمية", "source": "outlet-b", "content": "أوضحت مصادر في السوق ان القوات المعارضة سيطرت على حقل النفط بعد معارك عنيفة استمرت يومين. وأضافت المصادر أن 987 عاملا غادروا الحقل خلال الأسبوع الماضي. وقتل 9 حراس في الهجوم على المنشأة الرئيسية."}
TXT

t "compare aligns the sentences of a text file and a JSON article"
"$RASD" compare "$WORK/a.txt" "$WORK/b.json" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 0 ] && grep -q '^3 aligned sentence pairs' "$WORK/out"; check $? "rc=$rc $(cat "$WORK/err")"

t "compare reports a replaced content word and a conflicting count, not a rounding"
grep -q 'wording: الحكومية | المعارضة' "$WORK/out" && grep -q 'number: 5 حراس | 9 حراس (incompatible)' "$WORK/out" &&
[ "$(grep -c '^  number:' "$WORK/out")" = "1" ]
check $? "$(cat "$WORK/out")"

t "compare says the headlines contradict and why"
grep -q '^headlines: contradiction score .* (contradict): antonyms: ارتفاع / انخفاض' "$WORK/out"; check $? "$(tail -n 1 "$WORK/out")"

t "compare --json gives pairs with offsets into each body, quantities and the contradiction"
"$RASD" compare --json "$WORK/a.txt" "$WORK/b.json" > "$WORK/out.json"; rc=$?
[ $rc -eq 0 ] && jq -e '(.pairs | length == 3) and (.quantities | length == 1) and .contradiction.contradicts
  and ([.pairs[].discrepancies[] | select(.kind == "wording")] | length == 1)
  and (.pairs[0].sim > 0.5 and .pairs[0].sim <= 1)' "$WORK/out.json" > /dev/null
check $? "rc=$rc $(head -c 400 "$WORK/out.json")"

t "compare --json offsets point at the phrases they name"
"$RASD" analyze "$WORK/a.txt" | jq -r .text > "$WORK/a.body"
jq -r '.pairs[].discrepancies[] | select(.kind=="wording") | "\(.a.start) \(.a.end) \(.a.text)"' "$WORK/out.json" > "$WORK/span"
read s e txt < "$WORK/span"
[ "$(head -c "$e" "$WORK/a.body" | tail -c $((e - s)))" = "$txt" ]; check $? "$(cat "$WORK/span")"

t "compare of a file with itself finds no discrepancy and no contradiction"
"$RASD" compare --json "$WORK/a.txt" "$WORK/a.txt" > "$WORK/self.json"
jq -e '([.pairs[].discrepancies[]] | length == 0) and (.quantities | length == 0) and (.contradiction.contradicts | not)' "$WORK/self.json" > /dev/null
check $?

t "compare names a missing file and exits 1"
"$RASD" compare "$WORK/a.txt" "$WORK/nope.txt" > /dev/null 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'nope.txt' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "compare of an empty file says so and exits 1"
: > "$WORK/empty.txt"
"$RASD" compare "$WORK/empty.txt" "$WORK/a.txt" > /dev/null 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'empty.txt' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "compare with one file, or a bad --threshold, is a usage error"
"$RASD" compare "$WORK/a.txt" > /dev/null 2>&1; r1=$?
"$RASD" compare --threshold 2 "$WORK/a.txt" "$WORK/a.txt" > /dev/null 2> "$WORK/err"; r2=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && grep -q 'threshold' "$WORK/err"; check $? "r1=$r1 r2=$r2"

t "compare of binary junk does not crash"
head -c 20000 /dev/urandom > "$WORK/junk.bin" 2>/dev/null || printf '\377\376\000\001' > "$WORK/junk.bin"
"$RASD" compare "$WORK/junk.bin" "$WORK/a.txt" > /dev/null 2>&1; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ]; check $? "rc=$rc"

summary
