#!/bin/sh
# watch.sh — `rasd watch` end to end against the loopback fixture server
# (tests/fixtures/feedserver/server.py), never the internet: summaries
# completed from article pages, 304/ETag, a source failing with 500 then
# recovering, hostile sources (stall, 50 MB body, redirect loop, gzip bomb,
# HTML served as RSS, wrong charset header) cut off by name while the rest
# are stored, robots.txt, wire copies stored once, continuous polling,
# alerts (JSON Lines and webhook), `rasd sources`, and valid Atom out.
. "$(dirname "$0")/lib.sh"
DB=$WORK/w.db
SRV_PID=""
trap '[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
python3 tests/fixtures/feedserver/server.py "$WORK/port" 2> "$WORK/server.err" &
SRV_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$WORK/port" 2>/dev/null)
U=http://127.0.0.1:$P
q() { sqlite3 "$DB" "$1"; }
src() { "$RASD" sources --db "$DB" --json | jq -r --arg u "$U$1" "select(.url == \$u) | $2"; }
hits() { curl -s "$U/hits" | jq -r --arg p "$1" '.[$p] // 0'; }
FAST="--timeout 5 --stall 2 --max-size 1M --interval 1 --per-host 8"

cat > "$WORK/sources.txt" <<EOF
# fixture sources: good, flaky and hostile
$U/feed/summary.xml الملخصات
$U/feed/flaky.xml المتقلبة
$U/feed/stall.xml
$U/feed/huge.xml
$U/feed/loop.xml
$U/feed/bomb.xml
$U/feed/gzip.xml المضغوطة
$U/feed/html-as-rss.xml
$U/section.html القسم
$U/feed/wire-a.xml صحيفة أ
$U/feed/wire-b.xml صحيفة ب
$U/feed/json.json جسون
$U/private/feed.xml
ftp://127.0.0.1/not-http
EOF

t "the fixture server is up on a loopback port"
[ -n "$P" ]; check $? "$(cat "$WORK/server.err")"

t "an alert rule added before watching is listed"
"$RASD" alert --db "$DB" add --query "مدرب" > "$WORK/rule" && "$RASD" alert --db "$DB" list | grep -q "query"
check $? "$(cat "$WORK/rule")"

t "watch --once reads every source in one round, stores the good ones and exits 0"
# the stalled source is given 6 s here, to tell "stored before it was cut off" apart
"$RASD" watch --db "$DB" --sources "$WORK/sources.txt" --once $FAST --timeout 8 --stall 6 --stats "$WORK/stats1.jsonl" > "$WORK/out1" 2> "$WORK/err1"
rc=$?
[ $rc -eq 0 ] && grep -q "13 sources polled" "$WORK/err1"; check $? "rc=$rc $(tail -5 "$WORK/err1")"

t "the sources list names a line that is not an http(s) URL, with its line number"
grep -q "sources.txt:15: 'ftp://" "$WORK/err1"; check $?

t "a feed of summaries is stored with the full text of each article page"
q "SELECT body FROM articles WHERE title LIKE '%مستشفيات%'" | grep -q "مليون نسمة"; check $?

t "the article page's boilerplate (navigation, footer) is not stored"
n=$(q "SELECT count(*) FROM articles WHERE body LIKE '%جميع الحقوق%' OR body LIKE '%قسم 3%'")
[ "$n" -eq 0 ]; check $? "n=$n"

t "an item whose page is missing keeps the feed's own text"
q "SELECT body FROM articles WHERE title = 'رابط معطل'" | grep -q "انقطاع الكهرباء"; check $?

t "a stalled source is cut off with a named error"
src /feed/stall.xml .last_error | grep -q "timed out"; check $? "$(src /feed/stall.xml .last_error)"

t "an endless (50 MB) body is cut at the size limit"
src /feed/huge.xml .last_error | grep -q "larger than 1048576 bytes"; check $?

t "a redirect loop ends after the redirect limit"
src /feed/loop.xml .last_error | grep -q "more than 5 redirects"; check $?

t "a gzip bomb is cut after decoding, not after the bytes on the wire"
src /feed/bomb.xml .last_error | grep -q "after decoding"; check $?

t "a gzip-encoded feed is decoded and stored"
[ "$(q "SELECT count(*) FROM articles WHERE outlet = 'المضغوطة'")" -eq 1 ]; check $?

t "HTML served as RSS is refused by name"
src /feed/html-as-rss.xml .last_error | grep -q "HTML page where a feed was expected"; check $?

t "robots.txt is respected: a disallowed feed is never requested"
[ "$(hits /private/feed.xml)" -eq 0 ] && src /private/feed.xml .last_error | grep -q "robots.txt"
check $?

t "a windows-1256 page with a wrong charset header is stored as correct Arabic"
q "SELECT body FROM articles WHERE title = 'معرض الكتاب يستقبل زواره'" | grep -q "دار نشر"; check $?

t "a section page's article links are followed; home, logo, mail and other hosts are not"
[ "$(hits /articles/oil.html)" -eq 1 ] && [ "$(hits /logo.png)" -eq 0 ] && [ "$(src /section.html .articles)" -eq 2 ]
check $? "oil=$(hits /articles/oil.html) section=$(src /section.html .articles)"

t "a wire copy carried by two feeds is stored once, the second outlet as a sighting"
n=$(q "SELECT count(*) FROM articles WHERE title LIKE '%الاستثمار الأجنبي%'")
s=$(q "SELECT count(*) FROM sightings WHERE outlet IN ('صحيفة أ', 'صحيفة ب')")
[ "$n" -eq 1 ] && [ "$s" -eq 1 ]; check $? "articles=$n sightings=$s"

t "the outlet named in the sources list is the stored outlet"
n=$(q "SELECT count(*) FROM articles WHERE outlet = 'الملخصات'"); [ "$n" -eq 3 ]; check $? "n=$n"

t "a JSON Feed is read and its item without text is reported by position"
[ "$(q "SELECT count(*) FROM articles WHERE title = 'موسم شتوي جديد'")" -eq 1 ] && grep -q "json.json#item2" "$WORK/err1"
check $?

t "the hostile sources did not stop the others: 8 articles stored"
n=$(q "SELECT count(*) FROM articles"); [ "$n" -eq 8 ]; check $? "n=$n"

t "a stalled source does not hold back the others: stories are updated before it is cut off"
jq -e '.added == 8 and .assigned == 1 and .total_s >= 6 and .latency_s < .total_s - 0.5' "$WORK/stats1.jsonl" > /dev/null
check $? "$(cat "$WORK/stats1.jsonl")"

t "stories are updated in the same round"
n=$("$RASD" stories --db "$DB" --json | jq -s '[.[].events[].articles[]] | length')
[ "$n" -eq 8 ]; check $? "n=$n"

t "requests carry a clear User-Agent"
curl -s "$U/hits" | jq -e 'keys | any(startswith("ua:rasd/"))' > /dev/null; check $?

t "the server's validators are kept per source"
[ "$(src /feed/summary.xml .etag)" = '"summary-v1"' ]; check $?

t "a restarted watch sends the stored ETag and gets 304: nothing fetched or stored twice"
sleep 1
"$RASD" watch --db "$DB" --once --all $FAST > /dev/null 2> "$WORK/err2"
n=$(q "SELECT count(*) FROM articles")
grep -q "unchanged" "$WORK/err2" && [ "$(hits /articles/health.html)" -eq 1 ] && [ "$n" -eq 8 ]
check $? "n=$n health=$(hits /articles/health.html) $(tail -1 "$WORK/err2")"

t "a source that failed with 500 is backed off, then recovers and is stored"
sleep 1
"$RASD" watch --db "$DB" --once --all $FAST > /dev/null 2> "$WORK/err3"
[ "$(src /feed/flaky.xml .errors)" -eq 0 ] && [ "$(src /feed/flaky.xml .errors_total)" -eq 2 ] &&
  [ "$(src /feed/flaky.xml .articles)" -eq 1 ] && [ "$(src /feed/flaky.xml .last_success)" != null ]
check $? "$("$RASD" sources --db "$DB" --json | grep flaky)"

t "failing sources count their errors in a row and keep the last one"
[ "$(src /feed/stall.xml .errors)" -eq 3 ]; check $? "errors=$(src /feed/stall.xml .errors)"

t "rasd sources shows each source's errors and last success"
"$RASD" sources --db "$DB" > "$WORK/sources.out"
grep "summary.xml" "$WORK/sources.out" | grep -q "0 errors.*last success 20"; check $?

t "continuous watch stores an item within the round that sees it and updates its story"
"$RASD" sources --db "$DB" add "$U/feed/late.xml" "المتأخرة" > /dev/null
"$RASD" alert --db "$DB" add --entity "الإتحاد السعودي لكرة القدم" > /dev/null
"$RASD" watch --db "$DB" --interval 1 --duration 8 --stats "$WORK/stats.jsonl" \
  --alerts "$WORK/alerts.jsonl" --webhook "$U/hook" --base-url http://127.0.0.1:9/rasd \
  --no-pages --quiet --timeout 3 --stall 2 > /dev/null 2> "$WORK/err4" &
WP=$!
sleep 3
curl -s "$U/publish?feed=late" > /dev/null
wait $WP
rc=$?
jq -e -s '[.[] | select(.added >= 1 and .assigned == 1)] | length >= 1' "$WORK/stats.jsonl" > /dev/null &&
  [ "$(q "SELECT count(*) FROM articles WHERE title = 'مدرب جديد للمنتخب'")" -eq 1 ] && [ $rc -eq 0 ]
check $? "rc=$rc $(cat "$WORK/stats.jsonl" | tail -3)"

t "the round that stored it logged its timings (bench/watch_soak.sh measures them)"
jq -e -s '[.[] | select(.added >= 1)] | all(.latency_s > 0 and .store_s > 0 and .fetch_s > 0)' "$WORK/stats.jsonl" > /dev/null
check $? "$(jq -c -s '[.[] | select(.added >= 1)]' "$WORK/stats.jsonl")"

t "a query alert names the story and links its brief, once"
jq -e -s 'map(select(.kind == "query")) | length == 1 and (.[0].story | type) == "number" and
          (.[0].brief | test("^http://127.0.0.1:9/rasd/stories/[0-9]+/brief$")) and
          .[0].title == "مدرب جديد للمنتخب"' "$WORK/alerts.jsonl" > /dev/null
check $? "$(cat "$WORK/alerts.jsonl")"

t "an entity alert fires for an article naming it, whatever the spelling of the rule"
jq -e -s 'map(select(.kind == "entity")) | length == 1 and .[0].title == "مدرب جديد للمنتخب"' "$WORK/alerts.jsonl" > /dev/null
check $? "$(cat "$WORK/alerts.jsonl")"

t "the alerts are also POSTed to the webhook"
curl -s "$U/hooks" | jq -e 'length == 2 and (map(.kind) | sort) == ["entity", "query"]' > /dev/null; check $?

t "a sources alert fires when a story reaches N outlets"
"$RASD" alert --db "$DB" add --sources 2 > /dev/null
cat > "$WORK/s2.txt" <<EOF
$U/feed/late2.xml جريدة ثانية
EOF
"$RASD" watch --db "$DB" --sources "$WORK/s2.txt" --once --all --no-pages $FAST > "$WORK/out5" 2> "$WORK/err5"
jq -e -s 'map(select(.kind == "sources")) | length == 1 and .[0].outlets >= 2' "$WORK/out5" > /dev/null
check $? "$(cat "$WORK/out5") $(tail -3 "$WORK/err5")"

t "alert rm removes a rule and a missing one is an error"
"$RASD" alert --db "$DB" rm 1 > /dev/null && ! "$RASD" alert --db "$DB" rm 99 2> /dev/null &&
  [ "$("$RASD" alert --db "$DB" list --json | wc -l)" -eq 2 ]
check $?

t "alert add refuses a malformed rule with exit 2"
"$RASD" alert --db "$DB" add --sources x 2> "$WORK/e"; rc=$?
[ $rc -eq 2 ] && grep -q "sources" "$WORK/e"; check $? "rc=$rc"

t "feed --stories is valid Atom (RFC 4287 RELAX NG schema)"
"$RASD" feed --db "$DB" --stories --base-url http://127.0.0.1:9/rasd > "$WORK/feed.xml" &&
  xmllint --noout --relaxng tests/data/atom.rng "$WORK/feed.xml" 2> "$WORK/xmllint.err"
check $? "$(cat "$WORK/xmllint.err")"

t "the Atom feed has one entry per story with its outlets"
n=$(xmllint --xpath 'count(//*[local-name()="entry"])' "$WORK/feed.xml")
s=$("$RASD" stories --db "$DB" --json | wc -l)
[ "$n" -eq "$s" ] && grep -q 'term="القسم"' "$WORK/feed.xml"; check $? "entries=$n stories=$s"

t "feed --story N is valid Atom with one entry; a missing story is an error"
"$RASD" feed --db "$DB" --story 1 > "$WORK/one.xml" &&
  xmllint --noout --relaxng tests/data/atom.rng "$WORK/one.xml" 2> /dev/null &&
  [ "$(xmllint --xpath 'count(//*[local-name()="entry"])' "$WORK/one.xml")" -eq 1 ] &&
  ! "$RASD" feed --db "$DB" --story 999 2> /dev/null
check $?

t "feed --entity is valid Atom"
"$RASD" feed --db "$DB" --entity "جدة" > "$WORK/ent.xml" &&
  xmllint --noout --relaxng tests/data/atom.rng "$WORK/ent.xml" 2> /dev/null; check $?

t "--per-host 1 --host-delay spaces the requests to one host"
printf '%s\n' "$U/feed/json.json" "$U/feed/wire-a.xml" "$U/feed/wire-b.xml" > "$WORK/s3.txt"
"$RASD" watch --db "$WORK/delay.db" --sources "$WORK/s3.txt" --once --no-pages --per-host 1 \
  --host-delay 700 --stats "$WORK/delay.jsonl" 2> /dev/null
jq -e '.sources == 3 and .fetch_s >= 1.4' "$WORK/delay.jsonl" > /dev/null; check $? "$(cat "$WORK/delay.jsonl")"

t "watch --once on a database without sources says so and exits 0"
"$RASD" watch --db "$WORK/empty.db" --once 2> "$WORK/e"; rc=$?
[ $rc -eq 0 ] && grep -q "no sources" "$WORK/e"; check $? "rc=$rc $(cat "$WORK/e")"

t "watch refuses a bad option value with exit 2"
"$RASD" watch --db "$DB" --interval 0 2> "$WORK/e"; rc=$?
[ $rc -eq 2 ] && grep -q "interval" "$WORK/e"; check $? "rc=$rc"

t "SIGTERM stops a continuous watch cleanly"
"$RASD" watch --db "$DB" --interval 60 --quiet --no-pages $FAST > /dev/null 2>&1 &
WP=$!
sleep 1.5
kill -TERM $WP
wait $WP; rc=$?
[ $rc -eq 0 ]; check $? "rc=$rc"

summary
