#!/bin/sh
# tsan.sh — the engine's threads under ThreadSanitizer (build/tsan/rasd):
# an ingest large enough that annotating one chunk overlaps storing the
# previous one, with exact copies across chunks (a copy taking over an
# article), the refresh workers, a regroup, and the server's thread pool
# answering reads while a POST ingests. Any data race report fails the
# suite. (ASan does not see races: session 6's race on a shared text context
# changed the events from run to run and no other test noticed.)
. "$(dirname "$0")/lib.sh"
T=$ROOT/build/tsan/rasd
if [ ! -x "$T" ]; then
  echo "build/tsan/rasd missing (make build/tsan/rasd)"; FAIL=1; summary; exit 1
fi
export TSAN_OPTIONS="halt_on_error=0 report_signal_unsafe=0 exitcode=0 log_path=$WORK/tsan"
races() { cat "$WORK"/tsan.* 2> /dev/null | grep -c 'WARNING: ThreadSanitizer'; }
first_race() { cat "$WORK"/tsan.* 2> /dev/null | grep -A12 -m1 'WARNING: ThreadSanitizer' | tr '\n' ' ' | head -c 900; }

# 600 articles in 6 files (more than one preparation chunk), and a file
# that repeats earlier articles under other outlets and earlier dates, so
# copies arrive in later chunks and take over
sh tests/e2e/gen_corpus.sh "$WORK/corpus" 6 100 > /dev/null 2>&1
head -n 40 "$WORK/corpus/part-0003.jsonl" |
  sed -e 's/"source":"مصدر [0-9]*"/"source":"نسخة"/' -e 's/"date":"2023-09-[0-9]*"/"date":"2023-08-01"/' \
  > "$WORK/corpus/part-0007.jsonl"

t "an ingest with overlapping chunks, copies taking over and refresh workers has no data race"
"$T" ingest --quiet --db "$WORK/t.db" examples/seeds "$WORK/corpus" > "$WORK/ingest.out" 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(races)" -eq 0 ]; check $? "rc=$rc $(first_race) $(tail -c 300 "$WORK/ingest.out")"

t "stories --rebuild (grouping, checkpoint, refresh) has no data race"
"$T" stories --rebuild --db "$WORK/t.db" > "$WORK/rebuild.out" 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(races)" -eq 0 ]; check $? "rc=$rc $(first_race) $(tail -c 300 "$WORK/rebuild.out")"

TOKEN=tsan-token-0123456789abcdef
printf '%s\n' "$TOKEN" > "$WORK/token"
"$T" serve --db "$WORK/t.db" --port 0 --threads 4 --web web --token-file "$WORK/token" \
  > "$WORK/url" 2> "$WORK/serve.log" &
PID=$!
i=0
while [ ! -s "$WORK/url" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
U=$(head -n 1 "$WORK/url")
t "serve starts under ThreadSanitizer"
[ -n "$U" ]; check $? "$(tail -c 300 "$WORK/serve.log")"

t "the server's pool answering reads in parallel while a POST ingests has no data race"
SID=$(curl -s --max-time 60 "${U}api/stories?limit=1" | jq -r '.stories[0].id')
for k in 1 2 3 4; do
  ( for p in "api/stories" "api/stories/$SID" "api/stories/$SID/brief" "api/stories/$SID/conflicts" \
             "api/search?q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86" "api/entities" "api/articles/$k" "api/status"; do
      curl -s --max-time 60 -o /dev/null "$U$p"
    done ) &
done
sed -n '1,20p' "$WORK/corpus/part-0001.jsonl" |
  sed 's/"source":"مصدر [0-9]*"/"source":"وكالة"/; s/الرقم المرجعي/رقم جديد/' |
  jq -s '.' > "$WORK/post.json"
code=$(curl -s --max-time 120 -o "$WORK/post.out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' --data-binary @"$WORK/post.json" "${U}api/articles")
wait_reads() { for j in $(jobs -p); do [ "$j" = "$PID" ] || wait "$j"; done; }
wait_reads
kill -TERM $PID 2> /dev/null; wait $PID 2> /dev/null
[ "$(races)" -eq 0 ] && [ "${code%?}" = "20" ]; check $? "post=$code $(first_race) $(head -c 200 "$WORK/post.out")"
summary
