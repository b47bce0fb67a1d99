#!/bin/sh
# cli.sh — the rasd command end to end: ingest is idempotent, bad input is
# reported with its file name and never stops the batch, listing and show work.
. "$(dirname "$0")/lib.sh"
DB=$WORK/t.db

t "ingest stores the seed articles and exits 0"
"$RASD" ingest --db "$DB" examples/seeds > "$WORK/out" 2> "$WORK/err"
rc=$?
[ $rc -eq 0 ] && grep -q '5 files' "$WORK/out" && grep -qE '[5-9] new' "$WORK/out"; check $? "rc=$rc $(cat "$WORK/out")"

t "ingesting the same articles again stores nothing new and says so"
"$RASD" ingest --db "$DB" examples/seeds > "$WORK/out" 2> "$WORK/err"
rc=$?
[ $rc -eq 0 ] && grep -q ' 0 new' "$WORK/out" && grep -q 'already stored' "$WORK/err"; check $? "$(cat "$WORK/out")"

t "the folder's manifest supplies publication dates"
"$RASD" articles --db "$DB" --json > "$WORK/list"
[ "$(jq -r 'select(.origin|test("001_")) | .published' "$WORK/list")" = "2022-09-06" ]; check $?

t "articles --json prints one JSON object per stored article"
n=$(jq -s length "$WORK/list" 2>/dev/null)
[ -n "$n" ] && [ "$n" -ge 5 ]; check $? "n=$n"

t "entities groups the spellings of one person across outlets and keeps others apart"
"$RASD" entities --db "$DB" --json > "$WORK/ents.jsonl"
jq -e -s '[.[] | select(.type=="PER" and (.variants | index("سيرجي شويجو")) and (.variants | index("سيرغي شويغو")))] | length == 1' "$WORK/ents.jsonl" > /dev/null &&
jq -e -s '[.[] | select(.type=="PER" and (.variants | index("سيرغي لافروف")) and (.variants | index("سيرغي شويغو")))] | length == 0' "$WORK/ents.jsonl" > /dev/null
check $?

t "ingest --no-entities stores articles without names"
"$RASD" ingest --no-entities --db "$WORK/ne.db" examples/seeds > /dev/null 2>&1
[ "$(sqlite3 "$WORK/ne.db" 'SELECT count(*) FROM articles')" -ge 5 ] &&
  [ "$(sqlite3 "$WORK/ne.db" 'SELECT count(*) FROM mentions')" = "0" ]; check $?

t "a version 1 database is upgraded in place and keeps its articles"
cp "$DB" "$WORK/v1.db"
sqlite3 "$WORK/v1.db" 'DROP TABLE mentions; PRAGMA user_version=1;'
n1=$(sqlite3 "$WORK/v1.db" 'SELECT count(*) FROM articles')
"$RASD" ingest --db "$WORK/v1.db" examples/seeds > /dev/null 2>&1
[ "$(sqlite3 "$WORK/v1.db" 'PRAGMA user_version')" = "2" ] && [ "$(sqlite3 "$WORK/v1.db" 'SELECT count(*) FROM articles')" = "$n1" ] &&
  [ "$(sqlite3 "$WORK/v1.db" 'PRAGMA integrity_check')" = "ok" ]; check $?

t "show prints an article by its id prefix"
id=$(head -n 1 "$WORK/list" | jq -r .id | cut -c1-8)
"$RASD" show --db "$DB" "$id" > "$WORK/show" && grep -q "id: $(head -n 1 "$WORK/list" | jq -r .id)" "$WORK/show"; check $?

t "show of an unknown id fails with a message"
"$RASD" show --db "$DB" ffffffffffff0000 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'no article' "$WORK/err"; check $? "rc=$rc"

t "an empty file is reported by name and the other files are stored"
mkdir -p "$WORK/mixed"
: > "$WORK/mixed/empty.txt"
printf 'عنوان الخبر الأول\nقال المتحدث باسم الوزارة إن الاجتماع سيعقد غدا في العاصمة لبحث الملفات العالقة بين البلدين.\n' > "$WORK/mixed/good.txt"
"$RASD" ingest --db "$WORK/m.db" "$WORK/mixed" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'empty.txt' "$WORK/err" && grep -q ' 1 new' "$WORK/out"; check $? "rc=$rc $(cat "$WORK/err")"

t "a missing file is reported and does not stop the batch"
"$RASD" ingest --db "$WORK/m2.db" "$WORK/nope.txt" "$WORK/mixed/good.txt" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'nope.txt' "$WORK/err" && grep -q ' 1 new' "$WORK/out"; check $? "rc=$rc"

t "a file that vanishes between listing and reading is reported (dangling link)"
mkdir -p "$WORK/vanish"; cp "$WORK/mixed/good.txt" "$WORK/vanish/a.txt"
ln -s "$WORK/vanish/gone.txt" "$WORK/vanish/b.txt"
"$RASD" ingest --db "$WORK/v.db" "$WORK/vanish" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'b.txt' "$WORK/err" && grep -q ' 1 new' "$WORK/out"; check $? "rc=$rc"

t "a file over --max-size is refused with a message naming the limit"
head -c 300000 /dev/zero | tr '\0' 'x' > "$WORK/big.txt"
"$RASD" ingest --db "$WORK/b.db" --max-size 100k "$WORK/big.txt" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'big.txt.*limit' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "a 100 MB file is refused under the default limit without being read"
truncate -s 100M "$WORK/huge.txt"
"$RASD" ingest --db "$WORK/b.db" --max-size 64M "$WORK/huge.txt" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'huge.txt.*over the limit' "$WORK/err"; check $? "rc=$rc"

t "a binary file is rejected with a message and nothing is stored"
head -c 4096 /dev/urandom > "$WORK/bin.dat"
"$RASD" ingest --db "$WORK/bin.db" "$WORK/bin.dat" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'bin.dat' "$WORK/err" && grep -q ' 0 new' "$WORK/out"; check $? "rc=$rc $(cat "$WORK/err")"

t "a database path that cannot be written fails with one clear message"
"$RASD" ingest --db /sys/rasd-test.db "$WORK/mixed/good.txt" > "$WORK/out" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'cannot open database /sys/rasd-test.db' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "stdin is ingested with --date and --outlet"
printf 'خبر من المدخل القياسي\nأعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية خلال العام المقبل.\n' |
  "$RASD" ingest --db "$WORK/s.db" --date 2024-01-02 --outlet "وكالة الاختبار" - > "$WORK/out" 2>&1; rc=$?
[ $rc -eq 0 ] && "$RASD" articles --db "$WORK/s.db" --json | jq -e 'select(.published=="2024-01-02" and .outlet=="وكالة الاختبار")' > /dev/null; check $? "rc=$rc"

t "an unknown command and a bad flag exit 2"
"$RASD" frobnicate > /dev/null 2>&1; a=$?
"$RASD" ingest --bogus x > /dev/null 2>&1; b=$?
[ $a -eq 2 ] && [ $b -eq 2 ]; check $? "$a $b"

t "every command answers --help with exit 0"
r=0; for c in ingest articles show tokens; do "$RASD" $c --help > /dev/null || r=1; done; check $r

t "tokens --json is valid JSON with offsets into the text"
printf 'قال الوزير: «سنعود».' | "$RASD" tokens --json - | jq -e '.tokens[0].start == 0 and (.sentences|length) == 1' > /dev/null; check $?

t "analyze prints one JSON object per article, without a database"
"$RASD" analyze examples/seeds/*.txt > "$WORK/an.jsonl" 2> "$WORK/err"; rc=$?
[ $rc -eq 0 ] && [ "$(jq -s length "$WORK/an.jsonl")" -eq 6 ] && [ ! -e rasd.db ]; check $? "rc=$rc $(cat "$WORK/err")"

t "analyze reports a missing and a binary file by name and still analyses the others"
"$RASD" analyze "$WORK/nope.txt" "$WORK/bin.dat" examples/seeds/001_af954e7e27d2101d.txt > "$WORK/an2.jsonl" 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'nope.txt' "$WORK/err" && grep -q 'bin.dat' "$WORK/err" && [ "$(jq -s length "$WORK/an2.jsonl")" -eq 1 ]
check $? "rc=$rc $(cat "$WORK/err")"

t "entities on a database that does not exist fails with one message"
"$RASD" entities --db "$WORK/none/x.db" > /dev/null 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l < "$WORK/err")" -eq 1 ] && grep -q 'x.db' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

t "key answers every line, empty and binary ones included"
printf 'سيرغي شويغو\n\n\001\377x\nCNN\n' | "$RASD" key > "$WORK/keys.txt"; rc=$?
[ $rc -eq 0 ] && [ "$(wc -l < "$WORK/keys.txt")" -eq 4 ]; check $? "rc=$rc $(cat "$WORK/keys.txt")"

t "key --same tells one name spelled two ways from two names, and wants two names"
a=$("$RASD" key --same 'فاغنر' 'واجنر'); b=$("$RASD" key --same 'جورج بوش' 'جيب بوش')
"$RASD" key --same 'فاغنر' 2> "$WORK/err"; rc=$?
case "$a" in same*) ;; *) false ;; esac && case "$b" in different*) ;; *) false ;; esac &&
  [ $rc -eq 2 ] && grep -q 'two names' "$WORK/err"; check $? "a=$a b=$b rc=$rc"

t "analyze's entity and date offsets point at their text"
/usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    a = json.loads(line); b = a["text"].encode()
    for x in a["entities"] + a["dates"]:
        assert b[x["start"]:x["end"]].decode() == x["text"], (x, b[x["start"]:x["end"]])
' "$WORK/an.jsonl"; check $?

t "analyze resolves relative dates against --date and finds names"
printf 'قال الرئيس الفرنسي إيمانويل ماكرون أمس في باريس إن المحادثات ستستمر.\n' |
  "$RASD" analyze --date 2024-03-15 - > "$WORK/one.json"
jq -e '(.dates[] | select(.text=="أمس") | .value) == "2024-03-14" and
       ([.entities[] | select(.type=="LOC") | .text] | index("باريس") != null)' "$WORK/one.json" > /dev/null
check $? "$(cat "$WORK/one.json" | head -c 800)"

t "analyze gives a surname alone the key of the article's full name"
printf 'قال وزير الخارجية البريطاني ديفيد كاميرون في لندن إن المحادثات مستمرة. وأضاف كاميرون أن بلاده تدعم الحل.\n' |
  "$RASD" analyze --date 2024-03-15 - > "$WORK/short.json"
jq -e '[.entities[] | select(.type=="PER") | .key] | unique | length == 1' "$WORK/short.json" > /dev/null
check $? "$(jq -c '[.entities[] | [.text,.type,.key]]' "$WORK/short.json")"

t "analyze's quote offsets point at their text"
/usr/bin/python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    a = json.loads(line); b = a["text"].encode()
    for q in a["quotes"]:
        assert b[q["start"]:q["end"]].decode() == q["text"], q
        n += 1
assert n > 0
' "$WORK/an.jsonl"; check $?

t "quotes prints who said what; --json gives one JSON object a quote"
printf 'وقال وزير الخارجية الأمريكي جون كيري في مؤتمر صحفي: «لن نقبل باتفاق سيئ». وأضاف أن المفاوضات مستمرة.\n' > "$WORK/q.txt"
"$RASD" quotes "$WORK/q.txt" > "$WORK/q.out" 2> "$WORK/err"; rc=$?
"$RASD" quotes --json "$WORK/q.txt" > "$WORK/q.jsonl"
[ $rc -eq 0 ] && [ "$(wc -l < "$WORK/q.out")" -eq 2 ] && grep -q 'جون كيري — وقال — «لن نقبل باتفاق سيئ» \[في مؤتمر صحفي\]' "$WORK/q.out" &&
  jq -e -s 'length == 2 and .[0].direct == true and .[1].direct == false and .[1].kind == "implicit" and .[0].speaker_key == .[1].speaker_key' "$WORK/q.jsonl" > /dev/null
check $? "rc=$rc $(cat "$WORK/q.out" "$WORK/err")"

t "quotes --speaker matches any spelling of the name"
printf 'قال وزير الدفاع الروسي سيرغي شويغو إن الجيش جاهز. وقال مسؤول أمريكي إن واشنطن تراقب.\n' > "$WORK/q2.txt"
n=$("$RASD" quotes --json --speaker 'سيرجي شويجو' "$WORK/q2.txt" | jq -s length)
[ "$n" = "1" ]; check $? "n=$n"

t "quotes reports a missing file by name and exits 1"
"$RASD" quotes "$WORK/nope.txt" > /dev/null 2> "$WORK/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'nope.txt' "$WORK/err"; check $? "rc=$rc $(cat "$WORK/err")"

summary
