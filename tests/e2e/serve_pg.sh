#!/bin/sh
# serve_pg.sh — `rasd serve --db postgresql://…`: the server's reads and the
# analyst's corrections through the PostgreSQL store (a throw-away server on
# a unix socket, tests/e2e/pg_lib.sh). Skips when postgresql-15 is missing.
# Views still written as SQL on the SQLite handle (the names ranking, one
# name's page, near-copy sightings) answer 501 with one sentence.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
if ! pg_have; then
  echo "skip: postgresql-15 is not installed ($PG_BIN/initdb missing)"
  summary; exit $?
fi
trap 'kill "$PID" 2> /dev/null; pg_stop; rm -rf "$WORK"' EXIT INT TERM
PG_EXTRA_OPTS="-c fsync=off" pg_start "$WORK/pg" || { t "server starts"; bad; summary; exit 1; }
DB=$(pg_createdb serve)
cat > "$WORK/more.jsonl" <<'EOF'
{"title":"الهلال يفوز على النصر في ديربي الرياض","source":"الرياضية","date":"2024-05-02","content":"حقق فريق الهلال فوزا كبيرا على غريمه النصر بثلاثة أهداف مقابل هدف في ديربي الرياض ضمن الدوري السعودي للمحترفين. وسجل ميتروفيتش هدفين للهلال بينما أحرز رونالدو هدف النصر الوحيد."}
{"title":"ميتروفيتش يقود الهلال لهزيمة النصر","source":"الرياض","date":"2024-05-02","content":"قاد المهاجم ميتروفيتش فريق الهلال للفوز على النصر بثلاثة أهداف مقابل هدف في ديربي الرياض. وسجل ميتروفيتش هدفين وأضاف زميله هدفا ثالثا بينما سجل رونالدو هدف النصر."}
EOF
"$RASD" ingest -q --db "$DB" --manifest examples/seeds/manifest.jsonl examples/seeds "$WORK/more.jsonl" > "$WORK/ing" 2>&1
TOKEN=test-token-0123456789abcdef
printf '%s\n' "$TOKEN" > "$WORK/token"
"$RASD" serve --db "$DB" --port 0 --timeout 5 --token-file "$WORK/token" > "$WORK/url" 2> "$WORK/serve.log" &
PID=$!
i=0
while [ ! -s "$WORK/url" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
U=$(head -n 1 "$WORK/url")
get() { curl -s --max-time 60 "$U$1"; }
code() { curl -s --max-time 60 -o /dev/null -w '%{http_code}' "$@"; }
post() { curl -s --max-time 60 -o "$WORK/post.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" --data-binary "$2" "$U$1"; }

t "serve starts on a PostgreSQL store"
case "$U" in http://127.0.0.1:*) true ;; *) false ;; esac; check $? "$(cat "$WORK/ing" "$WORK/serve.log")"

t "GET /api/status counts the articles and stories"
get api/status | jq -e '.articles == 8 and .stories >= 2 and (.last_ingested | test("^20"))' > /dev/null; check $?

t "GET /api/stories lists the stories with their outlets, newest and largest first"
get 'api/stories?limit=50' > "$WORK/stories.json"
jq -e '.total >= 2 and (.stories[0].outlets | length) >= 1' "$WORK/stories.json" > /dev/null &&
  get 'api/stories?sort=largest' | jq -e '[.stories[].articles] | . == (sort | reverse)' > /dev/null
check $? "$(head -c 300 "$WORK/stories.json")"
SEED=$(jq -r '[.stories[] | select(.articles >= 4)][0].id' "$WORK/stories.json")
DERBY=$(jq -r '[.stories[] | select(.headline | test("الهلال"))][0].id' "$WORK/stories.json")

t "GET /api/stories/{id}, its brief and conflicts answer from PostgreSQL"
get "api/stories/$SEED" | jq -e '(.events | length) >= 1 and (.outlets | length) >= 1' > /dev/null &&
  get "api/stories/$SEED/brief" | jq -e '(.summary | length) >= 1' > /dev/null &&
  get "api/stories/$SEED/conflicts" | jq -e '.conflicts | type == "array"' > /dev/null
check $?

t "GET /api/articles/{id} gives the article with its story"
A=$(get "api/stories/$SEED" | jq -r '.events[0].articles[0].id')
get "api/articles/$A" | jq -e --argjson s "$SEED" '.story.id == $s and (.story.headline | length) > 0' > /dev/null; check $?

t "GET /api/outlets lists the outlets; a display name is saved"
[ "$(code -X PUT -H "Authorization: Bearer $TOKEN" --data-binary '{"display":"السومرية نيوز"}' \
  "${U}api/outlets/%D8%A7%D9%84%D8%B3%D9%88%D9%85%D8%B1%D9%8A%D8%A9")" = 200 ] &&
  get api/outlets | jq -e 'any(.outlets[]; .display == "السومرية نيوز" and .articles >= 1)' > /dev/null
check $?

t "a merge through the API is stored and applied on PostgreSQL"
c=$(post api/overrides "{\"kind\":\"merge\",\"story\":$DERBY,\"into\":$SEED}")
[ "$c" = 201 ] && [ "$(code "${U}api/stories/$DERBY")" = 404 ] &&
  get "api/stories/$SEED" | jq -e 'any(.overrides[]; .kind == "merge") and any(.events[]; .headline | test("الهلال"))' > /dev/null
check $? "code=$c $(cat "$WORK/post.json")"

t "a dismissal is stored and marked; it can be removed"
CID=$(get "api/stories/$SEED/conflicts" | jq -r '.conflicts[0].id // empty')
if [ -n "$CID" ]; then
  post api/overrides "{\"kind\":\"dismiss\",\"story\":$SEED,\"conflict\":\"$CID\"}" > /dev/null
  OID=$(get "api/stories/$SEED/conflicts" | jq -r --arg c "$CID" '.conflicts[] | select(.id == $c) | .dismissal')
  [ -n "$OID" ] && [ "$(code -X DELETE -H "Authorization: Bearer $TOKEN" "${U}api/overrides/$OID")" = 200 ] &&
    get "api/stories/$SEED/conflicts" | jq -e --arg c "$CID" 'all(.conflicts[]; .id != $c or (.dismissed | not))' > /dev/null
  check $? "oid=$OID"
else
  ok
fi

t "GET /api/entities lists names on PostgreSQL too (the entity summary, read through the store)"
[ "$(code "${U}api/entities?limit=5")" = 200 ] &&
  get 'api/entities?limit=5' | jq -e '(.entities | length) >= 1 and all(.entities[]; .key and .name and .mentions >= 1)' > /dev/null &&
  [ "$(code "${U}api/status")" = 200 ]
check $? "$(get 'api/entities?limit=5' | head -c 300)"

summary
