#!/bin/sh
# serve_overrides.sh — the analyst's corrections are applied, not only
# stored: merge two stories and move an article out of its event through
# the API and the CLI, then ingest more (POST and `rasd ingest`) and
# `rasd stories --rebuild`, and check after each step that the corrections
# still hold and that the briefs of the changed stories follow them.
. "$(dirname "$0")/lib.sh"
DB=$WORK/ovr.db
SEEDS=examples/seeds
# two small stories of their own besides the seeds' (rain in Jeddah, a derby)
cat > "$WORK/more.jsonl" <<'EOF'
{"title":"أمطار غزيرة تغمر شوارع جدة وتعليق الدراسة","source":"عكاظ","date":"2024-03-10","content":"شهدت مدينة جدة أمطارا غزيرة صباح اليوم أدت إلى غمر عدد من الشوارع الرئيسية بالمياه. وأعلنت إدارة التعليم في محافظة جدة تعليق الدراسة الحضورية في جميع المدارس. وقال المتحدث باسم الدفاع المدني إن الفرق الميدانية باشرت سحب المياه من الأنفاق. ودعا المركز الوطني للأرصاد السكان إلى الابتعاد عن مجاري السيول."}
{"title":"تعليق الدراسة في جدة بسبب الأمطار الغزيرة","source":"الوطن","date":"2024-03-10","content":"علقت إدارة التعليم في محافظة جدة الدراسة الحضورية اليوم بسبب الأمطار الغزيرة التي غمرت الشوارع الرئيسية. وباشرت فرق الدفاع المدني سحب المياه من الأنفاق في جدة. وحذر المركز الوطني للأرصاد من استمرار هطول الأمطار الغزيرة على جدة ومكة حتى مساء الغد."}
{"title":"الهلال يفوز على النصر في ديربي الرياض","source":"الرياضية","date":"2024-05-02","content":"حقق فريق الهلال فوزا كبيرا على غريمه النصر بثلاثة أهداف مقابل هدف في ديربي الرياض ضمن الدوري السعودي للمحترفين. وسجل ميتروفيتش هدفين للهلال بينما أحرز رونالدو هدف النصر الوحيد. وعزز الهلال صدارته لجدول ترتيب الدوري بفارق عشر نقاط."}
{"title":"ميتروفيتش يقود الهلال لهزيمة النصر","source":"الرياض","date":"2024-05-02","content":"قاد المهاجم ميتروفيتش فريق الهلال للفوز على النصر بثلاثة أهداف مقابل هدف في ديربي الرياض. وسجل ميتروفيتش هدفين وأضاف زميله هدفا ثالثا بينما سجل رونالدو هدف النصر. وبهذا الفوز عزز الهلال صدارته للدوري السعودي للمحترفين."}
EOF
cat > "$WORK/later.jsonl" <<'EOF'
{"title":"استمرار تعليق الدراسة في جدة لليوم الثاني","source":"المدينة","date":"2024-03-11","content":"أعلنت إدارة التعليم في محافظة جدة استمرار تعليق الدراسة الحضورية لليوم الثاني بسبب الأمطار الغزيرة. وواصلت فرق الدفاع المدني سحب المياه من الأنفاق والشوارع الرئيسية في جدة. وحذر المركز الوطني للأرصاد من هطول أمطار غزيرة على جدة."}
EOF
cat > "$WORK/later2.jsonl" <<'EOF'
{"title":"رونالدو يعتذر لجماهير النصر بعد خسارة الديربي","source":"الرياضية","date":"2024-05-03","content":"اعتذر رونالدو لجماهير النصر بعد الخسارة أمام الهلال بثلاثة أهداف مقابل هدف في ديربي الرياض. وقال رونالدو إن الفريق سيعود أقوى في المباريات المقبلة من الدوري السعودي للمحترفين. وكان ميتروفيتش قد سجل هدفين للهلال."}
EOF
"$RASD" ingest -q --db "$DB" --manifest "$SEEDS/manifest.jsonl" "$SEEDS" "$WORK/more.jsonl" > /dev/null 2>&1
TOKEN=test-token-0123456789abcdef
printf '%s\n' "$TOKEN" > "$WORK/token"
start() {
  : > "$WORK/url"
  "$RASD" serve --db "$DB" --port 0 --timeout 5 --token-file "$WORK/token" > "$WORK/url" 2>> "$WORK/serve.log" &
  PID=$!
  i=0
  while [ ! -s "$WORK/url" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
  U=$(head -n 1 "$WORK/url")
}
stop() { kill "$PID" 2> /dev/null; wait "$PID" 2> /dev/null; }
get() { curl -s --max-time 120 "$U$1"; }
post() { curl -s --max-time 120 -o "$WORK/post.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" --data-binary "$2" "$U$1"; }
# the story (thread) an article stands in now, from its article page
story_of() { get "api/articles/$1" | jq -r '.story.id // 0'; }
event_of() { get "api/articles/$1" | jq -r '.story.event // 0'; }
start
get 'api/stories?limit=50' > "$WORK/stories.json"
RAIN=$(jq -r '[.stories[] | select(.headline | test("جدة"))][0].id' "$WORK/stories.json")
DERBY=$(jq -r '[.stories[] | select(.headline | test("الهلال"))][0].id' "$WORK/stories.json")
SEED=$(jq -r '[.stories[] | select(.articles >= 4)][0].id' "$WORK/stories.json")
get "api/stories/$RAIN" | jq -r '.events[0].articles[0].id' > "$WORK/rain_a"
get "api/stories/$DERBY" | jq -r '.events[0].articles[0].id' > "$WORK/derby_a"
RAIN_A=$(cat "$WORK/rain_a"); DERBY_A=$(cat "$WORK/derby_a")
# the article to move: one of an event of 3+ articles of the seed story
get "api/stories/$SEED" > "$WORK/seed.json"
EV=$(jq -r '[.events[] | select(.article_count >= 3)][0].id' "$WORK/seed.json")
MOVED=$(jq -r --argjson e "$EV" '[.events[] | select(.id == $e)][0].articles[0].id' "$WORK/seed.json")
STAY=$(jq -r --argjson e "$EV" '[.events[] | select(.id == $e)][0].articles[1].id' "$WORK/seed.json")

t "the fixture has two separate small stories and a seed event of 3+ articles"
[ "$RAIN" -gt 0 ] && [ "$DERBY" -gt 0 ] && [ "$RAIN" != "$DERBY" ] && [ "$EV" -gt 0 ] 2> /dev/null
check $? "rain=$RAIN derby=$DERBY seed=$SEED ev=$EV"

t "POST merge joins the derby story into the rain story at once"
c=$(post api/overrides "{\"kind\":\"merge\",\"story\":$DERBY,\"into\":$RAIN,\"note\":\"نفس الملف\"}")
[ "$c" = 201 ] && [ "$(story_of "$DERBY_A")" = "$RAIN" ] && [ "$(story_of "$RAIN_A")" = "$RAIN" ] &&
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${U}api/stories/$DERBY")" = 404 ] &&
  get "api/stories/$RAIN" | jq -e '.articles == 4 and (.events | length) == 2
    and any(.overrides[]; .kind == "merge")' > /dev/null
check $? "code=$c $(cat "$WORK/post.json")"

t "the merged story's brief is refreshed to cover all four articles"
get "api/stories/$RAIN/brief" | jq -e '.articles == 4' > /dev/null; check $?

t "POST move takes the article out of its event into a story of its own"
c=$(post api/overrides "{\"kind\":\"move\",\"article\":\"$MOVED\",\"event\":$EV}")
S=$(story_of "$MOVED")
[ "$c" = 201 ] && [ "$S" != "$SEED" ] && [ "$S" != 0 ] && [ "$(event_of "$STAY")" = "$EV" ] &&
  get "api/stories/$S" | jq -e '.articles == 1' > /dev/null &&
  get "api/stories/$SEED" | jq -e --arg m "$MOVED" '[.events[].articles[].id] | index($m) == null' > /dev/null
check $? "code=$c story=$S $(cat "$WORK/post.json")"

t "a move of an article that is not in that event is refused with 404"
[ "$(post api/overrides "{\"kind\":\"move\",\"article\":\"$RAIN_A\",\"event\":$EV}")" = 404 ]; check $?

t "after more articles are POSTed both corrections still hold"
c=$(post api/articles "@$WORK/later.jsonl")
[ "$c" = 201 ] && [ "$(story_of "$DERBY_A")" = "$(story_of "$RAIN_A")" ] &&
  [ "$(story_of "$MOVED")" != "$(story_of "$STAY")" ]
check $? "code=$c derby=$(story_of "$DERBY_A") rain=$(story_of "$RAIN_A")"
stop

t "rasd ingest of more articles keeps both corrections"
"$RASD" ingest -q --db "$DB" "$WORK/later2.jsonl" > "$WORK/ing.out" 2>&1
start
[ "$(story_of "$DERBY_A")" = "$(story_of "$RAIN_A")" ] && [ "$(story_of "$MOVED")" != "$(story_of "$STAY")" ] &&
  [ "$(event_of "$MOVED")" != "$(event_of "$STAY")" ]
check $? "$(cat "$WORK/ing.out")"
stop

t "rasd stories --rebuild regroups everything and the corrections still hold"
"$RASD" stories --db "$DB" --rebuild > "$WORK/rb.out" 2>&1
start
R2=$(story_of "$RAIN_A")
[ "$(story_of "$DERBY_A")" = "$R2" ] && [ "$(story_of "$MOVED")" != "$(story_of "$STAY")" ] &&
  get "api/stories/$R2" | jq -e '.articles >= 5' > /dev/null &&
  get "api/stories/$(story_of "$MOVED")" | jq -e '.articles == 1' > /dev/null
check $? "$(cat "$WORK/rb.out")"

t "after the rebuild the merged story's brief covers every article of it"
n=$(get "api/stories/$R2" | jq '.articles')
get "api/stories/$R2/brief" | jq -e --argjson n "$n" '.articles == $n' > /dev/null; check $? "n=$n"

t "a dismissed conflict stays dismissed after a rebuild renumbers the stories"
SEED2=$(story_of "$STAY")
CID=$(get "api/stories/$SEED2/conflicts" | jq -r '.conflicts[0].id // empty')
if [ -n "$CID" ]; then
  post api/overrides "{\"kind\":\"dismiss\",\"story\":$SEED2,\"conflict\":\"$CID\"}" > /dev/null
  stop; "$RASD" stories --db "$DB" --rebuild > /dev/null 2>&1; start
  get "api/stories/$(story_of "$STAY")/conflicts" | jq -e --arg c "$CID" 'any(.conflicts[]; .id == $c and .dismissed)' > /dev/null
  check $?
else
  ok # the seeds gave this story no conflict to dismiss
fi
stop

t "deleting the move puts the article back into the event it was taken from"
start
MID=$(get api/overrides | jq -r '[.overrides[] | select(.kind == "move")][0].id')
c=$(curl -s --max-time 120 -o "$WORK/del.json" -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" "${U}api/overrides/$MID")
[ "$c" = 200 ] && jq -e '.undone == true' "$WORK/del.json" > /dev/null &&
  [ "$(event_of "$MOVED")" = "$(event_of "$STAY")" ] && [ "$(story_of "$MOVED")" = "$(story_of "$STAY")" ]
check $? "code=$c $(cat "$WORK/del.json") moved=$(event_of "$MOVED") stay=$(event_of "$STAY")"
stop

t "rasd overrides merge and move work from the command line and are applied at once"
"$RASD" stories --db "$DB" > "$WORK/st.txt"
A=$(awk '/^thread /{print $2}' "$WORK/st.txt" | head -n 1)
B=$(awk '/^thread /{print $2}' "$WORK/st.txt" | sed -n 2p)
"$RASD" overrides --db "$DB" merge "$B" "$A" --note cli > "$WORK/o1" 2>&1 &&
  [ "$("$RASD" stories --db "$DB" | grep -c '^thread ')" -lt "$(grep -c '^thread ' "$WORK/st.txt")" ] &&
  "$RASD" overrides --db "$DB" --json | jq -e '[.overrides[] | select(.kind == "merge")] | length == 2' > /dev/null
check $? "$(cat "$WORK/o1")"

t "a cached answer is not served after another process changes the store"
start
get 'api/stories?limit=50' > "$WORK/s1.json"; get 'api/stories?limit=50' > "$WORK/s2.json"
printf '%s\n' '{"title":"افتتاح معرض الكتاب في الرياض","source":"واس","date":"2025-10-01","content":"افتتح معرض الرياض الدولي للكتاب أبوابه اليوم بمشاركة أكثر من ألف دار نشر من ثلاثين دولة. ويستمر المعرض عشرة أيام."}' > "$WORK/book.jsonl"
"$RASD" ingest -q --db "$DB" "$WORK/book.jsonl" > /dev/null 2>&1
get 'api/stories?limit=50' > "$WORK/s3.json"
cmp -s "$WORK/s1.json" "$WORK/s2.json" && jq -e 'any(.stories[]; .headline | test("معرض"))' "$WORK/s3.json" > /dev/null &&
  [ "$(jq .total "$WORK/s3.json")" -gt "$(jq .total "$WORK/s1.json")" ]
check $?
stop

summary
