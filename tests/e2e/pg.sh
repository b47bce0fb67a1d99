#!/bin/sh
# pg.sh — the PostgreSQL store end to end, against a server the test starts
# itself (tests/e2e/pg_lib.sh: unix socket in the test's temp dir, stopped at
# exit even on failure). Skips with a message when postgresql-15 is missing.
#  - the store conformance suite (tests/unit/test_store.c), twice on one
#    database (each test empties it first)
#  - `rasd ingest` of the seeds + `rasd stories` + `rasd brief 1` print the
#    same as on SQLite; a re-run stores nothing new
#  - two processes creating the schema at once; two workers ingesting the
#    same files at once store each article exactly once
#  - two kill -9 of random workers during a two-worker ingest, each restarted
#    (2 rounds; bench/pg.sh does 20): nothing half-stored, the same article
#    hashes as one clean run and, once regrouped, the same events
#  - the corpus carries exact copies (other outlets, dates, titles) and
#    near-copies of its articles dated either side (pg_copies): SQLite in
#    reverse file order, two workers, the kill rounds and a clean run all
#    keep the same canonical copies, sightings and near-copy originals
#  - `rasd migrate` SQLite → PostgreSQL → SQLite keeps counts and hashes
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
B=$(dirname "$RASD")
if ! pg_have; then
  echo "skip: postgresql-15 is not installed ($PG_BIN/initdb missing)"
  summary; exit $?
fi
trap 'pg_stop; rm -rf "$WORK"' EXIT INT TERM
PG_EXTRA_OPTS="-c fsync=off" pg_start "$WORK/pg" || { t "server starts"; bad; summary; exit 1; }
PSQL="$PG_BIN/psql -X -q -At -h $PG_SOCK"
export ASAN_OPTIONS=detect_leaks=1

# ---- conformance ----
# the suite empties the database before each test, so it runs twice on one
url=$(pg_createdb conf)
for run in 1 2; do
  t "the store conformance suite passes on PostgreSQL (run $run on the same database)"
  RASD_TEST_PG=$url "$B/rasd-test" "store:" > "$WORK/conf.out" 2>&1 &&
    grep -q '^[1-9][0-9]* passed, 0 failed' "$WORK/conf.out"
  check $? "$(grep -v '^ok ' "$WORK/conf.out" | tail -n 8)"
done

# ---- seeds: same output as SQLite ----
PGURL=$(pg_createdb seeds)
SQ=$WORK/seeds.db
t "ingest of the seeds into PostgreSQL succeeds"
"$RASD" ingest --quiet --db "$PGURL" ../shared/seeds > "$WORK/pg.ingest" 2>&1; check $? "$(cat "$WORK/pg.ingest")"
"$RASD" ingest --quiet --db "$SQ" ../shared/seeds > "$WORK/sq.ingest" 2>&1
t "ingest summary is the same as SQLite's"
cmp -s "$WORK/pg.ingest" "$WORK/sq.ingest"; check $? "$(diff "$WORK/pg.ingest" "$WORK/sq.ingest")"
t "schema version is 17 on PostgreSQL (step 17: person keys by their last word; 7 is SQLite's, a no-op), 13 on SQLite (13: spellings stored as shown; PostgreSQL groups them when read)"
[ "$($PSQL -d seeds -c 'SELECT version FROM schema_version')" = "17" ] &&
  [ "$(sqlite3 "$SQ" 'PRAGMA user_version')" = "13" ]; check $?
t "a surname alone (شويغو) finds the article that writes it شويجو (سيرجي شويجو) on PostgreSQL as on SQLite"
pgs=$("$RASD" search --json --db "$PGURL" شويغو 2>&1 | jq -r .id | sort | tr '\n' ' ')
sqs=$("$RASD" search --json --db "$SQ" شويغو 2>&1 | jq -r .id | sort | tr '\n' ' ')
ful=$("$RASD" search --json --db "$SQ" 'سيرجي شويجو' 2>&1 | jq -r .id | sort | tr '\n' ' ')
[ "$pgs" = "$sqs" ] && [ "$sqs" = "$ful" ] && [ "$(echo "$sqs" | wc -w)" -eq 2 ]
check $? "pg=$pgs sqlite=$sqs full name=$ful"
for cmd in "articles" "stories" "brief 1" "brief --json 1" "entities"; do
  t "rasd $cmd prints the same on PostgreSQL as on SQLite"
  # shellcheck disable=SC2086
  "$RASD" $cmd --db "$PGURL" > "$WORK/pg.out" 2>&1
  # shellcheck disable=SC2086
  "$RASD" $cmd --db "$SQ" > "$WORK/sq.out" 2>&1
  [ -s "$WORK/sq.out" ] && cmp -s "$WORK/pg.out" "$WORK/sq.out"; check $? "$(diff "$WORK/pg.out" "$WORK/sq.out" | head -n 5)"
done
t "RASD_DB=postgresql://… works like --db"
RASD_DB=$PGURL "$RASD" stories > "$WORK/pg.env" 2>&1
"$RASD" stories --db "$SQ" > "$WORK/sq.out" 2>&1
cmp -s "$WORK/pg.env" "$WORK/sq.out"; check $?
t "a re-run stores nothing new"
"$RASD" ingest --quiet --db "$PGURL" ../shared/seeds > "$WORK/out" 2>&1
grep -q ' 0 new' "$WORK/out"; check $? "$(cat "$WORK/out")"

t "every article is in PostgreSQL's search index, made with this tokenizer version"
[ "$($PSQL -d seeds -c 'SELECT count(*) FROM article_terms')" = "$($PSQL -d seeds -c 'SELECT count(*) FROM articles')" ] &&
  [ "$($PSQL -d seeds -c 'SELECT tokens FROM search_meta')" = "$(sed -n 's/^#define FTS_TOKENS_VERSION \([0-9]*\).*/\1/p' "$ROOT/src/store/fts.h")" ]
check $?

# ---- concurrency ----
# the heavy concurrency runs use the release build (`make test` builds it too)
FAST=$ROOT/build/rasd; [ -x "$FAST" ] || FAST=$RASD
t "two processes creating the schema at once both succeed"
url=$(pg_createdb race)
"$FAST" ingest --quiet --no-refresh --db "$url" ../shared/seeds > "$WORK/r1" 2>&1 & p1=$!
"$FAST" ingest --quiet --no-refresh --db "$url" ../shared/seeds > "$WORK/r2" 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ "$($PSQL -d race -c 'SELECT version FROM schema_version')" = 17 ] &&
  [ "$($PSQL -d race -c 'SELECT count(*) FROM articles')" = "$(sqlite3 "$SQ" 'SELECT count(*) FROM articles')" ]
check $? "$(cat "$WORK/r1" "$WORK/r2")"

sh tests/e2e/gen_corpus.sh "$WORK/corpus" 12 15
pg_copies "$WORK/corpus"   # exact copies and near-copies of its articles, dated either side
# a clean single run on SQLite: the reference set of hashes
"$FAST" ingest --quiet --no-stories --db "$WORK/ref.db" "$WORK/corpus" > /dev/null 2>&1
sqlite3 "$WORK/ref.db" 'SELECT hash FROM articles ORDER BY hash' > "$WORK/ref.hashes"
expected=$(wc -l < "$WORK/ref.hashes")
t "SQLite: the files in reverse order keep the same canonical copies, sightings and near-copy originals"
# shellcheck disable=SC2046
"$FAST" ingest --quiet --no-stories --db "$WORK/rev.db" $(ls "$WORK/corpus"/*.jsonl | sort -r) > /dev/null 2>&1
pg_copy_content sqlite3 "$WORK/ref.db" > "$WORK/ref.copies"
pg_copy_content sqlite3 "$WORK/rev.db" > "$WORK/rev.copies"
cmp -s "$WORK/ref.copies" "$WORK/rev.copies"; check $? "$(diff "$WORK/ref.copies" "$WORK/rev.copies" | head -n 4)"
t "two workers ingesting the same files at once store each article exactly once"
url=$(pg_createdb dup)
"$FAST" ingest --quiet --no-refresh --db "$url" "$WORK/corpus" > "$WORK/w1" 2>&1 & p1=$!
"$FAST" ingest --quiet --no-refresh --db "$url" "$WORK/corpus" > "$WORK/w2" 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
$PSQL -d dup -c 'SELECT hash FROM articles ORDER BY hash' > "$WORK/dup.hashes"
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && cmp -s "$WORK/dup.hashes" "$WORK/ref.hashes"
check $? "rc=$r1,$r2 stored=$(wc -l < "$WORK/dup.hashes") $(tail -n 3 "$WORK/w1" "$WORK/w2")"
t "the two workers' new counts add up to the corpus"
n1=$(sed -n 's/.* \([0-9]*\) new.*/\1/p' "$WORK/w1"); n2=$(sed -n 's/.* \([0-9]*\) new.*/\1/p' "$WORK/w2")
[ $((n1 + n2)) -eq $expected ]; check $? "n1=$n1 n2=$n2"
t "the stories of a two-worker ingest are each article's exactly once"
[ "$($PSQL -d dup -c 'SELECT count(*) FROM article_event')" = $expected ]; check $?
t "two workers keep the canonical copies, sightings and near-copy originals of one SQLite run"
pg_copy_content $PSQL -d dup -c > "$WORK/dup.copies"
cmp -s "$WORK/dup.copies" "$WORK/ref.copies"; check $? "$(diff "$WORK/dup.copies" "$WORK/ref.copies" | head -n 4)"

export ASAN_OPTIONS=detect_leaks=0   # a killed process cannot free
ls "$WORK/corpus"/*.jsonl | awk 'NR % 2 == 1' > "$WORK/half1"
ls "$WORK/corpus"/*.jsonl | awk 'NR % 2 == 0' > "$WORK/half2"
# a clean single run on PostgreSQL, regrouped: the reference content
url=$(pg_createdb clean)
# shellcheck disable=SC2046
"$FAST" ingest --quiet --no-refresh --db "$url" $(cat "$WORK/half1" "$WORK/half2") > /dev/null 2>&1
"$FAST" stories --rebuild --db "$url" > /dev/null 2>&1
pg_content $PSQL -d clean -c > "$WORK/clean.content"
t "a clean PostgreSQL run keeps SQLite's canonical copies, sightings and near-copy originals"
pg_copy_content $PSQL -d clean -c > "$WORK/clean.copies"
cmp -s "$WORK/clean.copies" "$WORK/ref.copies"; check $? "$(diff "$WORK/clean.copies" "$WORK/ref.copies" | head -n 4)"
for round in 1 2; do
  url=$(pg_createdb kill$round)
  hit=$(KILL_LOG="$WORK/kill$round.log" pg_kill_ingest "$FAST" "$url" 2 "$round" "$WORK/half1" "$WORK/half2")
  echo "# kill round $round: $hit of 2 kill -9 hit a running worker"
  t "kill round $round: no article is half-stored"
  half=$($PSQL -d kill$round -c "SELECT count(*) FROM articles a WHERE
         (minhash IS NOT NULL AND (SELECT count(*) FROM lsh WHERE lsh.article = a.id) != 32) OR
         NOT EXISTS (SELECT 1 FROM annotations n WHERE n.article = a.id) OR
         NOT EXISTS (SELECT 1 FROM story_vec v WHERE v.article = a.id) OR
         NOT EXISTS (SELECT 1 FROM article_terms t WHERE t.article = a.id)")
  [ "$half" = 0 ]; check $? "half=$half"
  t "kill round $round: the same articles as one clean run"
  $PSQL -d kill$round -c 'SELECT hash FROM articles ORDER BY hash' > "$WORK/k.hashes"
  cmp -s "$WORK/k.hashes" "$WORK/ref.hashes"
  check $? "hit=$hit stored=$(wc -l < "$WORK/k.hashes") of $(wc -l < "$WORK/ref.hashes"); the workers said: $(grep -v '^[0-9]* files:' "$WORK/kill$round.log" | head -3)"
  t "kill round $round: once regrouped, the same events as one clean run"
  "$FAST" stories --rebuild --db "$url" > /dev/null 2>&1
  pg_content $PSQL -d kill$round -c > "$WORK/k.content"
  cmp -s "$WORK/k.content" "$WORK/clean.content"; check $? "$(diff "$WORK/k.content" "$WORK/clean.content" | head -n 3)"
  t "kill round $round: the same canonical copies, sightings and near-copy originals as one clean run"
  pg_copy_content $PSQL -d kill$round -c > "$WORK/k.copies"
  cmp -s "$WORK/k.copies" "$WORK/ref.copies"; check $? "$(diff "$WORK/k.copies" "$WORK/ref.copies" | head -n 3)"
done
export ASAN_OPTIONS=detect_leaks=1

# ---- search: the same hits in the same order as SQLite ----
# the synthetic corpus (180 articles and their copies) with stories, in both
# stores; names in variant spellings go through the one name lookup
# (fts_names.c: spellings, neighbouring keys, spacing over store ops); each
# query's hits compared as (score, ids): ids of one score may come in any
# order (FTS5 leaves exact ties unordered), nothing else may differ
SQS=$WORK/search.db
url=$(pg_createdb search)
"$FAST" ingest --quiet --db "$SQS" "$WORK/corpus" > /dev/null 2>&1
"$FAST" ingest --quiet --db "$url" "$WORK/corpus" > /dev/null 2>&1
hits() { # DB QUERY-ARGS… → "score id" lines, best first, ids of one score sorted
  _db=$1; shift
  "$RASD" search --json --limit 40 --db "$_db" "$@" 2>&1 | jq -r '"\(.score) \(.id)"' |
    sort -s -k1,1gr -k2,2
}
while IFS='|' read -r what q opt; do
  t "rasd search on PostgreSQL: $what — the same hits, order and scores as SQLite"
  eval "hits \"\$url\" \"\$q\" $opt" > "$WORK/s.pg"
  eval "hits \"\$SQS\" \"\$q\" $opt" > "$WORK/s.sq"
  [ -s "$WORK/s.sq" ] && cmp -s "$WORK/s.pg" "$WORK/s.sq"; check $? "$(diff "$WORK/s.pg" "$WORK/s.sq" | head -n 6)"
done <<'QUERIES'
a word|روسيا|
two words, some articles with one|كوريا صفقة|
a phrase|"البيت الأبيض"|
a phrase in titles|"خبر رقم 17"|
OR|بوتين OR كيم|
an excluded word|أسلحة -أوكرانيا|
exact forms|=لروسيا|
a name with other spellings|كيم جونغ اون|
a name in a variant spelling (ج for غ)|كيم جونج أون|
a rare spelling of a name, searched in the usual one|شويجو|
a surname alone (its full names' spellings)|شويغو|
a spelling no article uses|بوتن|
a name misspelt by a letter|فلاديمر بوتين|
a name written together that articles write apart|بيونغيانغ|
only every word|روسيا ذخائر|--all
an outlet|روسيا|--outlet 'مصدر 3'
a date range|روسيا|--since 2023-09-10 --until 2023-09-20
a story|روسيا|--story 1
an entity|الأسلحة|--entity بوتين
a limit|الرقم المرجعي|--limit 7
a word, the first 3 (postings read in impact order, stopped early)|روسيا|--limit 3
a word, the first 12|كوريا|--limit 12
two words, the first 3 (postings of both read by the threshold algorithm)|روسيا أسلحة|--limit 3
two words, the first 8|كوريا روسيا|--limit 8
a phrase, the first 3|"البيت الأبيض"|--limit 3
OR, the first 4|بوتين OR كيم|--limit 4
an excluded word, the first 3|روسيا -أوكرانيا|--limit 3
a name with other spellings, the first 3|كيم جونغ اون|--limit 3
QUERIES
t "the search index has postings for some of each row's terms, each a term of its row"
[ "$($PSQL -d search -c 'SELECT (SELECT count(*) FROM search_postings) BETWEEN 1 AND (SELECT sum(cardinality(terms)) FROM article_terms) AND NOT EXISTS (SELECT 1 FROM search_postings p JOIN article_terms t ON t.article = p.article WHERE NOT p.term = ANY(t.terms))')" = t ]; check $?
# rows indexed before schema 15 have no term frequencies: ranked from their
# positions, beside rows that have them, with the same scores; postings whose
# counts did not fit (tf -1) send a query back to that path
$PSQL -d search -c 'UPDATE article_terms SET tf = NULL WHERE article % 2 = 0' > /dev/null
$PSQL -d search -c 'UPDATE search_postings SET tf = -1 WHERE article % 2 = 0' > /dev/null
while IFS='|' read -r what q opt; do
  t "rasd search on PostgreSQL, half the rows without term frequencies: $what — as SQLite"
  eval "hits \"\$url\" \"\$q\" $opt" > "$WORK/s.pg"
  eval "hits \"\$SQS\" \"\$q\" $opt" > "$WORK/s.sq"
  [ -s "$WORK/s.sq" ] && cmp -s "$WORK/s.pg" "$WORK/s.sq"; check $? "$(diff "$WORK/s.pg" "$WORK/s.sq" | head -n 6)"
done <<'QUERIES'
a word|روسيا|
OR|بوتين OR كيم|
an entity|الأسلحة|--entity بوتين
two words, the first 3|روسيا أسلحة|--limit 3
QUERIES
t "rasd search --json on PostgreSQL marks its snippets like SQLite's"
"$RASD" search --json --db "$url" '"البيت الأبيض"' 2>&1 | head -n 1 | jq -e '.snippet | test("<mark>")' > /dev/null
check $?

# ---- a name's page: the same on PostgreSQL as on SQLite ----
# /api/entities/{key} on the search corpus (stories grouped in both stores):
# stories, offices, quotes, mentions, spellings and outlets, for the ten
# names the SQLite server lists first. The corpus has copies that take an
# article over (its outlet changes: SQLite's summary moves the counts) and
# a surname alone that joins its full name (PostgreSQL decides the join over
# every name, as SQLite does, not over the page's key alone)
serve_db() { # DB FILE → the server's URL in FILE; prints its pid
  "$RASD" serve --db "$1" --port 0 --timeout 5 > "$2" 2> "$2.log" &
  _p=$!
  _i=0
  while [ ! -s "$2" ] && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
  echo $_p
}
NP1=$(serve_db "$url" "$WORK/nurl1"); NP2=$(serve_db "$SQS" "$WORK/nurl2")
trap 'kill "$NP1" "$NP2" 2> /dev/null; pg_stop; rm -rf "$WORK"' EXIT INT TERM
NU1=$(head -n 1 "$WORK/nurl1"); NU2=$(head -n 1 "$WORK/nurl2")
curl -s --max-time 60 "${NU2}api/entities?limit=10" | jq -r '.entities[].key' > "$WORK/nkeys"
t "the SQLite server lists ten names"
[ "$(wc -l < "$WORK/nkeys")" -eq 10 ]; check $? "$(curl -s "${NU2}api/entities?limit=10" | head -c 300)"
t "a name's page on PostgreSQL has stories, offices and quotes"
NPAGE='{key, name, mentions, types, variants, outlets, stories, roles, quotes}'
: > "$WORK/npg"; : > "$WORK/nsq"
while read -r key; do
  k=$(printf '%s' "$key" | jq -s -R -r '@uri')
  curl -s --max-time 60 "${NU1}api/entities/$k" | jq -S "$NPAGE" >> "$WORK/npg"
  curl -s --max-time 60 "${NU2}api/entities/$k" | jq -S "$NPAGE" >> "$WORK/nsq"
done < "$WORK/nkeys"
jq -s -e 'any(.[]; (.stories | length) > 0) and any(.[]; (.quotes | length) > 0) and any(.[]; (.roles | length) > 0)' "$WORK/npg" > /dev/null
check $? "$(jq -c '[.key, (.stories | length), (.roles | length), (.quotes | length)]' "$WORK/npg" | head -n 10)"
t "the ten names' pages (counts, spellings, outlets, stories, offices, quotes) are the same on PostgreSQL as on SQLite"
[ -s "$WORK/nsq" ] && cmp -s "$WORK/npg" "$WORK/nsq"; check $? "$(diff "$WORK/npg" "$WORK/nsq" | head -n 8)"
# (the list gives a name's mentions under its type; the page gives every
# mention of the key and, per type, how many the tagger typed otherwise)
t "a name's mentions of its type on its page are its mentions in the names list, on both stores"
for u in "$NU1" "$NU2"; do
  curl -s --max-time 60 "${u}api/entities?limit=10" | jq -c '[.entities[] | [.key, .type, .mentions]]'
  curl -s --max-time 60 "${u}api/entities?limit=10" | jq -r '.entities[] | "\(.key)\t\(.type)"' |
  while IFS="$(printf '\t')" read -r key type; do
    k=$(printf '%s' "$key" | jq -s -R -r '@uri')
    curl -s --max-time 60 "${u}api/entities/$k" |
      jq -c --arg t "$type" '[.key, $t, ([.types[] | select(.type == $t) | .mentions] | add)]'
  done | jq -s -c '.'
done > "$WORK/nlist"
[ "$(sed -n 1p "$WORK/nlist")" = "$(sed -n 2p "$WORK/nlist")" ] && [ "$(sed -n 3p "$WORK/nlist")" = "$(sed -n 4p "$WORK/nlist")" ]; check $? "$(head -c 600 "$WORK/nlist")"
t "search hits through rasd serve carry their story's headline on PostgreSQL, as on SQLite"
curl -s --max-time 60 "${NU1}api/search?q=%D8%B1%D9%88%D8%B3%D9%8A%D8%A7&limit=10" | jq -c '[.hits[] | [.id, .story_headline]]' > "$WORK/hpg"
curl -s --max-time 60 "${NU2}api/search?q=%D8%B1%D9%88%D8%B3%D9%8A%D8%A7&limit=10" | jq -c '[.hits[] | [.id, .story_headline]]' > "$WORK/hsq"
jq -e 'length > 0 and all(.[]; .[1] != null)' "$WORK/hpg" > /dev/null && cmp -s "$WORK/hpg" "$WORK/hsq"; check $? "$(head -c 300 "$WORK/hpg"; head -c 300 "$WORK/hsq")"
kill "$NP1" "$NP2" 2> /dev/null; wait "$NP1" "$NP2" 2> /dev/null
trap 'pg_stop; rm -rf "$WORK"' EXIT INT TERM

# ---- two servers on one database ----
# an article POSTed to one `rasd serve` shows in the other's story list and
# search at once (both keep an answer cache: a commit by either changes the
# store generation each reads before it answers from it)
url=$(pg_createdb twoserve)
"$FAST" ingest --quiet --db "$url" ../shared/seeds > /dev/null 2>&1
TOKEN=test-token-0123456789abcdef
printf '%s\n' "$TOKEN" > "$WORK/token"
serve_one() { # N → U<N>, SPID<N>
  "$RASD" serve --db "$url" --port 0 --timeout 5 --token-file "$WORK/token" > "$WORK/url$1" 2> "$WORK/serve$1.log" &
  eval "SPID$1=\$!"
  _i=0
  while [ ! -s "$WORK/url$1" ] && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
  eval "U$1=\$(head -n 1 \"\$WORK/url\$1\")"
}
serve_one 1; serve_one 2
trap 'kill "$SPID1" "$SPID2" 2> /dev/null; pg_stop; rm -rf "$WORK"' EXIT INT TERM
t "two rasd serve instances start on one PostgreSQL database"
case "$U1$U2" in http://127.0.0.1:*http://127.0.0.1:*) [ "$U1" != "$U2" ] ;; *) false ;; esac
check $? "$(cat "$WORK/serve1.log" "$WORK/serve2.log")"
before=$(curl -s --max-time 60 "${U2}api/status" | jq -r '.articles')
t "an article POSTed to the first server is stored"
c=$(curl -s --max-time 120 -o "$WORK/post.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  --data-binary '{"title":"افتتاح جسر الملك فهد الجديد بين البلدين","outlet":"واس","published":"2023-09-14","body":"افتتح اليوم جسر الملك فهد الجديد الذي يربط بين البلدين بطول خمسة وعشرين كيلومترا، وحضر الافتتاح عدد من المسؤولين من الجانبين."}' \
  "${U1}api/articles")
[ "$c" = 201 ]; check $? "code=$c $(cat "$WORK/post.json")"
t "the second server's status, story list and search see it"
curl -s --max-time 60 "${U2}api/status" | jq -e --argjson b "$before" '.articles == $b + 1' > /dev/null &&
  curl -s --max-time 60 "${U2}api/stories?limit=50" | jq -e 'any(.stories[]; .headline | test("جسر الملك فهد"))' > /dev/null &&
  curl -s --max-time 60 "${U2}api/search?q=%D8%AC%D8%B3%D8%B1" | jq -e '.hits | length == 1' > /dev/null
check $? "$(curl -s "${U2}api/stories?limit=3" | head -c 300)"
t "an article's sightings on PostgreSQL list its original and its near-copies"
body='افتتح اليوم جسر الملك فهد الجديد الذي يربط بين البلدين بطول خمسة وعشرين كيلومترا، وحضر الافتتاح عدد من المسؤولين من الجانبين. وقال وزير النقل إن الجسر سيخفف الزحام على المعبر القديم ويختصر زمن الرحلة إلى النصف، وإن العمل فيه استمر ثلاث سنوات بتكلفة بلغت مليار ريال. وأضاف أن الجسر مزود بأنظمة مراقبة حديثة وممرات للشاحنات وأخرى للمسافرين، وأن حركة العبور ستبدأ صباح الغد بعد اكتمال الاختبارات.'
c1=$(curl -s --max-time 120 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  --data-binary "{\"title\":\"جسر جديد بين البلدين\",\"outlet\":\"الأولى\",\"published\":\"2023-09-15\",\"body\":\"$body\"}" "${U1}api/articles")
c2=$(curl -s --max-time 120 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  --data-binary "{\"title\":\"جسر جديد بين البلدين\",\"outlet\":\"الثانية\",\"published\":\"2023-09-15\",\"body\":\"$body وقال مسؤول آخر إن الجسر مهم.\"}" "${U1}api/articles")
copy=$($PSQL -d twoserve -c 'SELECT hash FROM articles WHERE copy_of IS NOT NULL ORDER BY id DESC LIMIT 1')
orig=$($PSQL -d twoserve -c 'SELECT o.hash FROM articles a JOIN articles o ON o.id = a.copy_of ORDER BY a.id DESC LIMIT 1')
[ -n "$copy" ] && curl -s --max-time 60 "${U2}api/articles/$copy" |
  jq -e --arg o "$orig" 'any(.sightings[]; .relation == "original" and .id == $o) and any(.sightings[]; .relation == "self")' > /dev/null &&
  curl -s --max-time 60 "${U2}api/articles/$orig" | jq -e --arg c "$copy" 'any(.sightings[]; .relation == "copy" and .id == $c)' > /dev/null
check $? "codes=$c1,$c2 copy=$copy orig=$orig"
kill "$SPID1" "$SPID2" 2> /dev/null; wait "$SPID1" "$SPID2" 2> /dev/null
trap 'pg_stop; rm -rf "$WORK"' EXIT INT TERM

# ---- migrate ----
if "$RASD" migrate --help > /dev/null 2>&1; then
  url=$(pg_createdb mig)
  t "rasd migrate SQLite → PostgreSQL verifies counts and the hash checksum"
  "$RASD" migrate --from "$WORK/ref.db" --to "$url" > "$WORK/mig.out" 2>&1; check $? "$(cat "$WORK/mig.out")"
  t "the migrated archive holds the same hashes"
  $PSQL -d mig -c 'SELECT hash FROM articles ORDER BY hash' > "$WORK/m.hashes"
  cmp -s "$WORK/m.hashes" "$WORK/ref.hashes"; check $?
  t "rasd migrate PostgreSQL → SQLite, then stories print the same as the source"
  "$RASD" migrate --from "$PGURL" --to "$WORK/back.db" > "$WORK/mig2.out" 2>&1 &&
    "$RASD" stories --db "$WORK/back.db" > "$WORK/back.out" 2>&1 &&
    "$RASD" stories --db "$SQ" > "$WORK/sq.out" 2>&1 &&
    cmp -s "$WORK/back.out" "$WORK/sq.out"
  check $? "$(cat "$WORK/mig2.out"; diff "$WORK/back.out" "$WORK/sq.out" | head -n 5)"
  t "rasd migrate refuses a target that already holds articles"
  "$RASD" migrate --from "$WORK/ref.db" --to "$url" > "$WORK/mig3.out" 2>&1
  [ $? -ne 0 ]; check $?
fi
summary
