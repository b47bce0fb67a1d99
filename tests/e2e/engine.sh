#!/bin/sh
# engine.sh — the engine seen from outside: a program using only
# include/rasd.h against librasd.so ingests the seeds and reads a brief; the
# shared library exports nothing but the public API; the stored result does
# not depend on the number of annotation threads; an interrupted ingest
# groups what it stored; a database made by the previous schema (v5) is
# upgraded in place and its articles can be re-annotated.
. "$(dirname "$0")/lib.sh"

t "an embedding program ingests the seeds and reads a brief through the public API"
out=$("$ROOT/build/embed-example" "$WORK/embed.db" "$ROOT/examples/seeds" 2>&1)
echo "$out" | grep -q '"summary":\[' && echo "$out" | grep -q '6 articles read, 6 new'; check $? "$out"

t "librasd.so exports only rasd_ symbols"
other=$(nm -D --defined-only "$ROOT/build/librasd.so" | awk '{print $3}' | grep -v '^rasd_' | grep -v '^_' | head -3)
[ -z "$other" ]; check $? "$other"

t "the stored articles, annotations, stories, briefs and names are the same with 1 and 2 threads"
"$RASD" ingest --quiet --jobs 1 --db "$WORK/j1.db" "$ROOT/examples/seeds" > /dev/null 2>&1
"$RASD" ingest --quiet --jobs 2 --db "$WORK/j2.db" "$ROOT/examples/seeds" > /dev/null 2>&1
q="SELECT a.hash, hex(n.blob), ae.event FROM articles a JOIN annotations n ON n.article = a.id
   JOIN article_event ae ON ae.article = a.id ORDER BY a.hash;
   SELECT kind, id, sig, body FROM story_cache ORDER BY kind, id;
   SELECT * FROM entities ORDER BY key, type"
[ "$(sqlite3 "$WORK/j1.db" "$q")" = "$(sqlite3 "$WORK/j2.db" "$q")" ] &&
  [ -n "$(sqlite3 "$WORK/j1.db" "$q")" ] &&
  [ "$(sqlite3 "$WORK/j2.db" 'SELECT count(*) FROM story_cache')" -ge 4 ]; check $?

t "a story's names list gives a surname named alone to the story's one person of that name"
# one seed article names Putin by his surname only; the others give the full name
n=$("$RASD" brief --json --db "$WORK/j1.db" 1 2> /dev/null |
    /usr/bin/python3 -c 'import json,sys; b=json.load(sys.stdin)
print(sum(1 for e in b["entities"] if "بوتين" in e["variants"] or e["name"] == "بوتين"))' 2> /dev/null)
[ "$n" = 1 ]; check $? "entries naming بوتين: $n"

t "a second ingest of the same files stores nothing and reports duplicates"
out=$("$RASD" ingest --db "$WORK/j1.db" "$ROOT/examples/seeds" 2>&1)
echo "$out" | grep -q ' 0 new, 6 duplicates'; check $? "$out"

t "the brief is read from the store: building it again gives the same bytes"
a=$("$RASD" brief --json --db "$WORK/j1.db" 1); b=$("$RASD" brief --json --db "$WORK/j1.db" 1)
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$(sqlite3 "$WORK/j1.db" "SELECT count(*) FROM story_cache WHERE kind='brief'")" -ge 1 ]; check $?

t "the brief's citations name outlets or titles, never a bare hex id"
"$RASD" brief --db "$WORK/j1.db" 1 > "$WORK/brief.txt" 2>&1
! grep -Eq '\[[0-9a-f]{16}\]' "$WORK/brief.txt"; check $? "$(grep -E '\[[0-9a-f]{16}\]' "$WORK/brief.txt" | head -2)"

t "entities reads the summary kept at ingest, equal to the one a migration rebuilds from the mentions"
cp "$WORK/j1.db" "$WORK/s7.db"
# a store as schema 7 left it: without the entity summary (8) and the corrections table (9)
sqlite3 "$WORK/s7.db" 'DROP TABLE entities; DROP TABLE body_hash; DROP TABLE IF EXISTS overrides; PRAGMA user_version = 7;'
"$RASD" entities --json --adjectives --db "$WORK/j1.db" > "$WORK/e8.jl" 2>&1
"$RASD" entities --json --adjectives --db "$WORK/s7.db" > "$WORK/e7.jl" 2>&1
[ "$(jq -c 'del(.roles)' "$WORK/e8.jl")" = "$(jq -c 'del(.roles)' "$WORK/e7.jl")" ] &&
  [ "$(jq -s 'map(.mentions) | add' "$WORK/e8.jl")" = "$(sqlite3 "$WORK/j1.db" 'SELECT count(*) FROM mentions')" ] &&
  [ "$(sqlite3 "$WORK/s7.db" 'PRAGMA user_version')" -ge 8 ]
check $? "$(diff "$WORK/e8.jl" "$WORK/e7.jl" | head -4)"

t "migration 13 stores each name's spellings in their shown form, with their articles, as a fresh ingest does"
cp "$WORK/j1.db" "$WORK/s12.db"
# a store as schema 12 left it: spellings as written, "text TAB mentions";
# one mention of روسيا written with a shadda (one shown spelling, two stored)
sqlite3 "$WORK/s12.db" "UPDATE mentions SET text = 'روسيّا' WHERE rowid = (SELECT min(rowid) FROM mentions WHERE text = 'روسيا');
  UPDATE entities SET spellings = coalesce((SELECT group_concat(t || char(9) || n, char(10)) FROM
  (SELECT text AS t, count(*) AS n FROM mentions m WHERE m.key = entities.key AND m.type = entities.type
  GROUP BY t ORDER BY n DESC, t)), ''); PRAGMA user_version = 12;"
old=$(sqlite3 "$WORK/s12.db" "SELECT count(*) FROM entities WHERE spellings LIKE '%روسيّا%'")
"$RASD" entities --json --adjectives --db "$WORK/s12.db" > "$WORK/e12.jl" 2>&1
q="SELECT * FROM entities ORDER BY key, type"
[ "$old" = 1 ] && [ "$(sqlite3 "$WORK/s12.db" 'PRAGMA user_version')" -ge 13 ] &&
  [ "$(sqlite3 "$WORK/s12.db" "$q")" = "$(sqlite3 "$WORK/j1.db" "$q")" ] &&
  [ "$(cat "$WORK/e12.jl")" = "$(cat "$WORK/e8.jl")" ] &&
  sqlite3 "$WORK/j1.db" "SELECT spellings FROM entities" | grep -qP '^[^\t]+\t[0-9]+\t[0-9]+$'
check $? "old=$old $(diff "$WORK/e8.jl" "$WORK/e12.jl" | head -4)"

t "the entity summary names people by their fullest spelling and keeps the offices they are given"
jq -e -s '[.[] | select(.type == "PER" and .name == "فلاديمير بوتين" and (.roles | length) > 0)] | length == 1' \
  "$WORK/e8.jl" > /dev/null; check $? "$(grep -m1 بوتين "$WORK/e8.jl")"

t "entities --type FOO and --limit x are usage errors naming the option"
"$RASD" entities --type FOO --db "$WORK/j1.db" > /dev/null 2> "$WORK/err1"; r1=$?
"$RASD" entities --limit x --db "$WORK/j1.db" > /dev/null 2> "$WORK/err2"; r2=$?
[ $r1 -eq 2 ] && grep -q -- "--type" "$WORK/err1" && [ $r2 -eq 2 ] && grep -q -- "--limit" "$WORK/err2"
check $? "$r1 $r2 $(cat "$WORK/err1" "$WORK/err2")"

t "entities --type and --limit select from the summary"
n=$("$RASD" entities --json --type LOC --limit 3 --db "$WORK/j1.db" | jq -s 'length == 3 and all(.[]; .type == "LOC")')
[ "$n" = "true" ]; check $? "$n"

t "a missing input creates no database"
"$RASD" ingest --db "$WORK/none.db" "$WORK/no-such-file" > /dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && [ ! -e "$WORK/none.db" ]; check $? "rc=$rc"

t "--date yesterday is a usage error"
"$RASD" ingest --db "$WORK/d.db" --date yesterday "$ROOT/examples/seeds" > /dev/null 2>&1
[ $? -eq 2 ]; check $?

t "--jobs 0 and --jobs x are usage errors"
"$RASD" ingest --db "$WORK/d.db" --jobs 0 "$ROOT/examples/seeds" > /dev/null 2>&1; a=$?
"$RASD" ingest --db "$WORK/d.db" --jobs x "$ROOT/examples/seeds" > /dev/null 2>&1; b=$?
[ $a -eq 2 ] && [ $b -eq 2 ] && [ ! -e "$WORK/d.db" ]; check $? "exit $a $b"

t "an exact copy in the chunk after its original (annotated while the original is stored) is a duplicate with a sighting"
sh tests/e2e/gen_corpus.sh "$WORK/chunks" 1 300 > /dev/null 2>&1
# the engine stores 128 articles at a time and annotates the next 128 meanwhile:
# line 131 copies line 4 (the chunk being stored), line 291 copies line 270 (its own chunk)
awk 'NR == 4 { c4 = $0 } NR == 270 { c270 = $0 } { print } NR == 130 { sub(/مصدر [0-9]+/, "مصدر آخر", c4); print c4 }
     NR == 289 { print c270 }' "$WORK/chunks/part-0001.jsonl" > "$WORK/chunks.jsonl"
o1=$("$RASD" ingest --jobs 1 --no-stories --db "$WORK/ch1.db" "$WORK/chunks.jsonl" 2>&1)
o2=$("$RASD" ingest --jobs 2 --no-stories --db "$WORK/ch2.db" "$WORK/chunks.jsonl" 2>&1)
q="SELECT a.hash, hex(n.blob) FROM articles a JOIN annotations n ON n.article = a.id ORDER BY a.id;
   SELECT article, outlet FROM sightings ORDER BY 1, 2"
echo "$o1" | grep -q '302 articles read, 300 new, 2 duplicates' &&
  [ "$(sqlite3 "$WORK/ch1.db" "$q")" = "$(sqlite3 "$WORK/ch2.db" "$q")" ] &&
  [ "$(sqlite3 "$WORK/ch1.db" "SELECT count(*) FROM sightings WHERE outlet = 'مصدر آخر'")" = 1 ]
check $? "$o1 / $(sqlite3 "$WORK/ch1.db" 'SELECT count(*) FROM sightings' 2>&1)"

t "SIGTERM during an ingest stores whole files, groups them and exits 130"
sh tests/e2e/gen_corpus.sh "$WORK/corpus" 40 25 > /dev/null 2>&1
"$RASD" ingest --quiet --no-refresh --db "$WORK/int.db" "$WORK/corpus" > "$WORK/int.out" 2>&1 &
pid=$!
sleep 1.5
kill -TERM $pid 2> /dev/null
wait $pid; rc=$?
ungrouped=$(sqlite3 "$WORK/int.db" "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article FROM article_event)" 2>/dev/null)
if [ $rc -eq 130 ]; then
  [ "$ungrouped" = "0" ]; check $? "rc=$rc ungrouped=$ungrouped"
else  # finished before the signal: nothing to interrupt, still all grouped
  [ $rc -eq 0 ] && [ "$ungrouped" = "0" ]; check $? "rc=$rc ungrouped=$ungrouped"
fi

t "daily ingests refresh only the stories they changed and leave no stored brief stale"
ls "$WORK/corpus" | sort > "$WORK/files"
for part in 0 1 2 3; do  # the corpus in four runs, as daily jobs
  set --; for f in $(awk -v p=$part 'NR % 4 == p' "$WORK/files"); do set -- "$@" "$WORK/corpus/$f"; done
  "$RASD" ingest --quiet --db "$WORK/daily.db" "$@" > "$WORK/daily$part.out" 2>&1
done
marker=$(sqlite3 "$WORK/daily.db" "SELECT body FROM story_cache WHERE kind = 'refresh'")
# a full check of every story (one thread: the count is of briefs rebuilt) finds nothing left to do
out=$("$RASD" ingest --jobs 1 --reannotate --db "$WORK/daily.db" 2>&1)
[ "$marker" = "done" ] && echo "$out" | grep -q '^0 articles annotated, 0 stories refreshed' &&
  grep -q 'briefs: [0-9]* stories refreshed' "$WORK/daily3.out"
check $? "marker=$marker $out $(cat "$WORK/daily3.out")"

t "a store made by schema v5 is upgraded in place and keeps its articles"
sqlite3 "$WORK/v5.db" < tests/data/schema-v5.sql 2> "$WORK/v5.err"
"$RASD" articles --db "$WORK/v5.db" > "$WORK/v5.out" 2>&1; rc=$?
[ $rc -eq 0 ] && [ "$(sqlite3 "$WORK/v5.db" 'PRAGMA user_version')" -ge 6 ] &&
  grep -q 'عنوان قديم' "$WORK/v5.out"; check $? "rc=$rc $(cat "$WORK/v5.err" "$WORK/v5.out" | head -3)"

t "ingest --reannotate gives an upgraded store's articles their annotations"
out=$("$RASD" ingest --db "$WORK/v5.db" --reannotate 2>&1)
[ "$(sqlite3 "$WORK/v5.db" 'SELECT count(*) FROM annotations')" = "1" ]; check $? "$out"

t "ingest --reannotate redoes annotations stored in an older format, and only those"
cp "$WORK/j1.db" "$WORK/old.db"
sqlite3 "$WORK/old.db" "UPDATE annotations SET blob = X'52534101' || substr(blob, 5) WHERE article = (SELECT min(article) FROM annotations)"
out=$("$RASD" ingest --db "$WORK/old.db" --reannotate 2>&1)
echo "$out" | grep -q '^1 articles annotated' &&
  [ "$(sqlite3 "$WORK/old.db" 'SELECT hex(blob) FROM annotations ORDER BY article')" = "$(sqlite3 "$WORK/j1.db" 'SELECT hex(blob) FROM annotations ORDER BY article')" ]
check $? "$out"

t "ingest --reannotate rebuilds a story vector an older rasd wrote (RSV2), and only those"
cp "$WORK/j1.db" "$WORK/rsv2.db"
# the first article's vector rewritten as session 6's rasd wrote it: magic RSV2, a
# 20-byte header, no days, headline event words or places (story/vector.c)
/usr/bin/python3 - "$WORK/rsv2.db" <<'PY'
import sqlite3, struct, sys
con = sqlite3.connect(sys.argv[1])
art, v = con.execute("SELECT article, vec FROM story_vec ORDER BY article LIMIT 1").fetchone()
assert v[:4] == b"RSV3"
a, b, day, nnums, ww, places = struct.unpack("<6I", v[4:28])
lists = 12 * ((a & 0xffff) + (a >> 16) + (b & 0xffff) + nnums)
rest = 12 * ((ww & 0xffff) + (ww >> 16) + places)
old = b"RSV2" + v[4:20] + v[28:28 + lists] + v[28 + lists + rest:]
con.execute("UPDATE story_vec SET vec = ? WHERE article = ?", (old, art))
con.commit()
PY
out=$("$RASD" ingest --db "$WORK/rsv2.db" --reannotate 2>&1)
echo "$out" | grep -q '^1 articles annotated' &&
  [ "$(sqlite3 "$WORK/rsv2.db" 'SELECT hex(vec) FROM story_vec ORDER BY article')" = "$(sqlite3 "$WORK/j1.db" 'SELECT hex(vec) FROM story_vec ORDER BY article')" ] &&
  [ "$(sqlite3 "$WORK/rsv2.db" 'SELECT hex(blob) FROM annotations ORDER BY article')" = "$(sqlite3 "$WORK/j1.db" 'SELECT hex(blob) FROM annotations ORDER BY article')" ]
check $? "$out"
t "a second --reannotate finds no vector or annotation left to redo"
out=$("$RASD" ingest --db "$WORK/rsv2.db" --reannotate 2>&1)
echo "$out" | grep -q '^0 articles annotated'; check $? "$out"

t "a file read again is known by its bytes: nothing is annotated, every item is a duplicate"
out=$("$RASD" ingest --times --db "$WORK/j1.db" "$ROOT/examples/seeds" 2>&1)
echo "$out" | grep -q ' 0 new, 6 duplicates' && [ "$(sqlite3 "$WORK/j1.db" 'SELECT count(*) FROM body_hash')" -ge 6 ]
check $? "$out"
summary
