#!/bin/sh
# search.sh — `rasd search` and `rasd export` end to end on the seed articles:
# JSON fields, spellings of a name finding each other, diacritics and tatweel
# not mattering, filters, clear errors with exit 2, CSV that a CSV reader
# parses back, JSON Lines, and rebuilding the index.
. "$(dirname "$0")/lib.sh"
DB=$WORK/s.db
SEEDS=examples/seeds
"$RASD" ingest -q --db "$DB" --manifest "$SEEDS/manifest.jsonl" "$SEEDS" > /dev/null 2>&1

t "search --json gives one object per hit with id, url, outlet, published, title, snippet, story"
"$RASD" search --db "$DB" --json "بيونغ يانغ" > "$WORK/a.jsonl"
rc=$?
n=$(wc -l < "$WORK/a.jsonl")
[ $rc -eq 0 ] && [ "$n" -ge 2 ] &&
jq -e -s 'all(.[]; has("id") and has("url") and has("outlet") and has("published") and
                  has("title") and has("snippet") and has("story"))' "$WORK/a.jsonl" > /dev/null
check $? "rc=$rc n=$n $(head -c 400 "$WORK/a.jsonl")"

t "search names an article without an outlet by its site, else its title, and says when it has no date"
printf '%s\n' \
  '{"title":"زلزال قوي يضرب المنطقة الجبلية الشمالية صباح اليوم","text":"ضرب زلزال قوي المنطقة الجبلية صباح اليوم وفق مرصد الزلازل."}' \
  '{"url":"https://www.example.org/news/1","title":"زلزال ثان","published":"2024-01-02","text":"ضرب زلزال ثان المنطقة مساء اليوم وفق مرصد الزلازل."}' \
  > "$WORK/no-outlet.jsonl"
"$RASD" ingest -q --db "$WORK/no-outlet.db" --no-stories "$WORK/no-outlet.jsonl" > /dev/null 2>&1
"$RASD" search --db "$WORK/no-outlet.db" "زلزال" > "$WORK/no-outlet.txt"
grep -q '^[0-9]*\. [0-9a-f]\{16\}  example.org  2024-01-02' "$WORK/no-outlet.txt" &&
grep -q '^[0-9]*\. [0-9a-f]\{16\}  زلزال قوي يضرب المنطقة [^ ]* [^ ]* *…  (no date)' "$WORK/no-outlet.txt" &&
! grep -q ' ? \|  ?$' "$WORK/no-outlet.txt"
check $? "$(cat "$WORK/no-outlet.txt")"

t "the two spellings of a name find the same articles"
"$RASD" search --db "$DB" --json "بيونج يانج" > "$WORK/b.jsonl"
a=$(jq -r .id "$WORK/a.jsonl" | sort | tr '\n' ' ')
b=$(jq -r .id "$WORK/b.jsonl" | sort | tr '\n' ' ')
[ -n "$a" ] && [ "$a" = "$b" ]; check $? "a=$a b=$b"

t "a surname alone finds the article that writes it another way (شويغو: سيرجي شويجو), as the full name does"
# an article naming the full name files the surname's mentions under the
# full name's key (سرك شكو); the query's own key (شكو) has none
ids() { "$RASD" search --db "$1" --json "$2" | jq -r .id | sort | tr '\n' ' '; }
x=$(ids "$DB" شويغو); y=$(ids "$DB" شويجو); z=$(ids "$DB" "سيرجي شويجو")
[ "$(echo "$x" | wc -w)" -eq 2 ] && [ "$x" = "$y" ] && [ "$x" = "$z" ]; check $? "x=$x y=$y z=$z"

t "migration 12 indexes person keys by their last word on a schema-11 store"
cp "$DB" "$WORK/s11.db"
sqlite3 "$WORK/s11.db" "DROP INDEX entities_surname; PRAGMA user_version = 11;"
x11=$(ids "$WORK/s11.db" شويغو)
[ "$(sqlite3 "$WORK/s11.db" "PRAGMA user_version; SELECT count(*) FROM sqlite_master WHERE name = 'entities_surname'" | tr '\n' ' ')" = "13 1 " ] &&
  [ "$x11" = "$x" ]; check $? "x11=$x11"

t "matches are marked in the snippet"
jq -e -s 'any(.[]; .snippet | test("<mark>"))' "$WORK/a.jsonl" > /dev/null; check $?

t "diacritics and tatweel in a query do not matter"
x=$("$RASD" search --db "$DB" --json "الذخائر" | jq -r .id | sort | tr '\n' ' ')
y=$("$RASD" search --db "$DB" --json "الذَّخـائِـر" | jq -r .id | sort | tr '\n' ' ')
[ -n "$x" ] && [ "$x" = "$y" ]; check $? "x=$x y=$y"

t "--outlet keeps one outlet and --limit caps the hits"
"$RASD" search --db "$DB" --json --outlet "السومرية" "كوريا" > "$WORK/o.jsonl"
n=$(wc -l < "$WORK/o.jsonl")
m=$("$RASD" search --db "$DB" --json --limit 1 "كوريا" | wc -l)
[ "$n" -ge 1 ] && jq -e -s 'all(.[]; .outlet == "السومرية")' "$WORK/o.jsonl" > /dev/null &&
[ "$m" -eq 1 ]; check $? "n=$n m=$m"

t "--since after every article finds nothing and says so"
out=$("$RASD" search --db "$DB" --since 2030-01-01 "كوريا")
[ "$out" = "no articles match" ]; check $? "$out"

t "a malformed date and an unclosed quote are usage errors (exit 2) naming the problem"
"$RASD" search --db "$DB" --until yesterday "كوريا" > /dev/null 2> "$WORK/e1"; r1=$?
"$RASD" search --db "$DB" '"كوريا الشمالية' > /dev/null 2> "$WORK/e2"; r2=$?
[ $r1 -eq 2 ] && grep -q -- '--until' "$WORK/e1" && [ $r2 -eq 2 ] && grep -q 'quote' "$WORK/e2"
check $? "r1=$r1 r2=$r2 $(cat "$WORK/e1" "$WORK/e2")"

t "--group lists every hit once"
g=$("$RASD" search --db "$DB" --json --group "كوريا" | jq -r .id | sort | tr '\n' ' ')
p=$("$RASD" search --db "$DB" --json "كوريا" | jq -r .id | sort | tr '\n' ' ')
[ -n "$g" ] && [ "$g" = "$p" ]; check $? "g=$g p=$p"

t "export --story --csv is CSV a reader parses back, one record per article of the story"
"$RASD" export --db "$DB" --story 1 --csv > "$WORK/s.csv"
rc=$?
n=$("$RASD" stories --db "$DB" --json | jq -s '[.[] | select(.id == 1) | .articles] | .[0]')
python3 - "$WORK/s.csv" "$n" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert rows[0] == ["id", "url", "outlet", "published", "title", "story", "text"], rows[0]
assert len(rows) - 1 == int(sys.argv[2]), (len(rows), sys.argv[2])
assert all(len(r) == 7 and r[5] == "1" and len(r[6]) > 100 for r in rows[1:])
EOF
check $? "rc=$rc n=$n"

t "export --query --jsonl writes one JSON object with its text per line"
"$RASD" export --db "$DB" --query "كوريا" > "$WORK/q.jsonl"
n=$(wc -l < "$WORK/q.jsonl")
[ "$n" -ge 1 ] && jq -e -s 'all(.[]; (.text | length) > 100 and has("story"))' "$WORK/q.jsonl" > /dev/null
check $? "n=$n"

t "export without --story or --query is a usage error"
"$RASD" export --db "$DB" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; check $? "rc=$rc"

t "search --reindex rebuilds the index and searches still work"
out=$("$RASD" search --db "$DB" --reindex)
c=$("$RASD" search --db "$DB" --json "بيونغ يانغ" | jq -r .id | sort | tr '\n' ' ')
echo "$out" | grep -q 'rebuilt' && [ "$c" = "$a" ]; check $? "$out c=$c"

t "migration 11 sets the index's automerge to 16 on a schema-10 store; a rebuild keeps it"
cp "$DB" "$WORK/s10.db"
sqlite3 "$WORK/s10.db" "DELETE FROM article_fts_config WHERE k = 'automerge'; PRAGMA user_version = 10;"
c10=$("$RASD" search --db "$WORK/s10.db" --json "بيونغ يانغ" | jq -r .id | sort | tr '\n' ' ')
am=$(sqlite3 "$DB" "SELECT v FROM article_fts_config WHERE k = 'automerge'")
am10=$(sqlite3 "$WORK/s10.db" "SELECT v FROM article_fts_config WHERE k = 'automerge'")
uv=$(sqlite3 "$WORK/s10.db" 'PRAGMA user_version')
[ "$am" = 16 ] && [ "$am10" = 16 ] && [ "$uv" -ge 11 ] && [ "$c10" = "$a" ]
check $? "am=$am am10=$am10 uv=$uv c10=$c10"

t "an earlier copy later in the same batch takes over the article and the index stays sound"
# the two copies are stored in one chunk, which is indexed only after it is
# stored: taking over must not ask FTS5 to delete a row it never indexed
D2=$WORK/swap.db
printf '%s\n' \
  '{"title":"وزير الخارجية يزور القاهرة","outlet":"zeta","published":"2015-08-02","url":"http://z.example/1","text":"أعلن وزير الخارجية اليوم أنه سيزور القاهرة الأسبوع المقبل لبحث العلاقات الثنائية بين البلدين والتعاون في مجالات الطاقة والتجارة."}' \
  '{"title":"وزير الخارجية يزور القاهرة","outlet":"alpha","published":"2015-08-01","url":"http://a.example/1","text":"أعلن وزير الخارجية اليوم أنه سيزور القاهرة الأسبوع المقبل لبحث العلاقات الثنائية بين البلدين والتعاون في مجالات الطاقة والتجارة."}' \
  > "$WORK/swap.jsonl"
"$RASD" ingest -q --db "$D2" "$WORK/swap.jsonl" > "$WORK/swap.out" 2>&1; rc=$?
o=$("$RASD" search --db "$D2" --json "القاهرة" | jq -r .outlet | tr '\n' ' ')
r=$("$RASD" search --db "$D2" --reindex)
p=$("$RASD" search --db "$D2" --json "الطاقة" | jq -r .outlet | tr '\n' ' ')
[ $rc -eq 0 ] && [ "$o" = "alpha " ] && [ "$p" = "alpha " ] && echo "$r" | grep -q '1 article'
check $? "rc=$rc o=$o p=$p r=$r $(head -c 300 "$WORK/swap.out")"

summary
