#!/bin/sh
# serve.sh — load on `rasd serve` over a big store: the 15 SaudiNewsNet days
# ingested (names and stories included), then wrk with 50 connections for
# 30 s on each endpoint the issue sets a goal for (/api/search p99 <= 10 ms,
# /api/stories/{id}/brief p99 <= 50 ms) and on the cheap list endpoints;
# errors (socket errors, timeouts, non-2xx answers) must be zero.
# The brief load cycles through 200 stories drawn at random (seed 7), then
# the largest story's and the largest event's briefs are loaded alone. A
# static file served by the same server at the same moment is the floor to
# read the others against (the machine is shared: compare ratios).
#   sh bench/serve.sh [CORPUS_DIR]   (default ../shared/corpora/saudinewsnet)
#   SERVE_SECONDS=30 SERVE_CONNECTIONS=50 SERVE_THREADS=8
#   SERVE_ONLY="static search-uncached"  (only these endpoints; default all)
#   RASD=path/to/rasd  (another build, e.g. a baseline, on the same store)
set -eu
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
SECS=${SERVE_SECONDS:-30}
CONNS=${SERVE_CONNECTIONS:-50}
THREADS=${SERVE_THREADS:-8}
RASD=${RASD:-build/rasd}
OUT=build/bench
DAYS=$OUT/snn-days
DB=$OUT/serve.db
command -v wrk > /dev/null || { echo "serve.sh: wrk is missing (sh scripts/deps.sh)"; exit 1; }
[ -x "$RASD" ] || make -s build/rasd
sh bench/extract_days.sh "$CORPUS_DIR" "$DAYS"
echo "== rasd serve load benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "command: sh bench/serve.sh $CORPUS_DIR  (wrk -c $CONNS -d ${SECS}s, server --threads $THREADS, $RASD)"
if [ ! -s "$DB" ] || [ "$(sqlite3 "$DB" 'select count(*) from threads' 2> /dev/null || echo 0)" = 0 ]; then
  rm -f "$DB" "$DB-wal" "$DB-shm"
  "$RASD" ingest --quiet --db "$DB" "$DAYS"/*.json > /dev/null 2>&1 || true
fi
# a store kept from an older rasd: bring its annotations and stored briefs up
# to this binary's versions (a no-op when current), or every brief's first
# request would rebuild it and the brief figures would measure that
"$RASD" ingest --quiet --db "$DB" --reannotate > /dev/null 2>&1 || true
echo "store:   $(sqlite3 "$DB" 'select count(*) from articles') articles, $(sqlite3 "$DB" 'select count(*) from threads') threads, $(sqlite3 "$DB" 'select count(*) from mentions') mentions"
start() {
  rm -f "$OUT/serve.url"
  "$RASD" serve --db "$DB" --port 0 --threads "$THREADS" --quiet > "$OUT/serve.url" 2> "$OUT/serve.log" &
  PID=$!
  i=0
  while [ ! -s "$OUT/serve.url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  U=$(head -n 1 "$OUT/serve.url")
}
start
trap 'kill $PID 2> /dev/null || true' EXIT
# briefs: random stories (any size, a fixed seed), and the brief of the
# largest story and of the largest event alone; briefs are stored at ingest
ids=$(sqlite3 "$DB" 'select id from threads order by id' | awk 'BEGIN { srand(7) } { a[NR] = $1 }
  END { for (i = 0; i < 200; i++) printf "%s%s", (i ? "," : ""), a[int(rand() * NR) + 1] }')
LARGEST=$(curl -s "${U}api/stories?sort=largest&limit=1" | jq -r '.stories[0].id')
BIGEVENT=$(sqlite3 "$DB" 'select id from events order by articles desc, id limit 1')
cat > "$OUT/serve-briefs.lua" <<EOF
local ids = { $ids }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/stories/" .. ids[(i % #ids) + 1] .. "/brief")
end
EOF
# searches that miss the answer cache: 1,000 distinct words of 4+ Arabic
# letters from titles (seeded draw); each request also carries a number of
# its own (n=, ignored by the search, part of the cache key), so every one
# is a real, uncached search
sqlite3 "$DB" 'select title from articles where title is not null order by id' | tr -s ' ' '\n' |
  grep -E '^[ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي]{4,}$' | awk '!seen[$0]++' | awk 'BEGIN { srand(11) } { print rand() "\t" $0 }' | sort |
  cut -f2 | head -n 1000 | jq -R -r '@uri' | awk '{ printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 }' > "$OUT/serve-words.txt"
{ printf 'local qs = { %s }\n' "$(cat "$OUT/serve-words.txt")"
  cat <<'EOF'
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. qs[(i % #qs) + 1] .. "&n=" .. i)
end
EOF
} > "$OUT/serve-search-distinct.lua"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; } # the server's user + system CPU
one() { # NAME PATH-or-script
  name=$1; shift
  [ -z "${SERVE_ONLY:-}" ] || case " $SERVE_ONLY " in *" $name "*) ;; *) return 0 ;; esac
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 600 "$U${1#/}" 2> /dev/null || true)
  c0=$(cpu_ticks)
  wrk -t 2 -c "$CONNS" -d "${SECS}s" --timeout 30s --latency ${2:+-s "$2"} "$U${1#/}" > "$OUT/wrk-$name.txt" 2>&1 || true
  c1=$(cpu_ticks)
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$name.txt")
  p50=$(awk '/^ +50%/ {print $2}' "$OUT/wrk-$name.txt")
  p99=$(awk '/^ +99%/ {print $2}' "$OUT/wrk-$name.txt")
  total=$(awk '/requests in/ {print $1}' "$OUT/wrk-$name.txt")
  sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$OUT/wrk-$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk-$name.txt")
  # server CPU per request (ms): the figure a loaded, shared machine does not inflate
  cpu=$(awk -v a="$c0" -v b="$c1" -v n="${total:-0}" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (n > 0) printf "%.3f", (b - a) * 1000 / hz / n; else print "-" }')
  printf '%-22s first=%s  requests=%s  req/s=%s  p50=%s  p99=%s  socket_errors=%s  non_2xx=%s  server_cpu_ms/req=%s\n' \
    "$name" "$code" "${total:-0}" "${rps:-0}" "${p50:--}" "${p99:--}" "${sock:-0}" "${non2xx:-0}" "$cpu"
}
echo "load:    $(uptime | sed 's/.*load average: //') (1, 5, 15 min) before the first wrk"
echo "endpoint               (wrk latency distribution; goal p99: search 10 ms, brief 50 ms; 0 errors)"
one static "favicon.svg"          # the floor: a file from memory, same server, same moment
one status "api/status"
one stories "api/stories?limit=20"
one story "api/stories/$LARGEST"
one entities "api/entities?limit=20"
one search "api/search?q=x" "$OUT/serve-search.lua"
one search-uncached "api/search?q=x" "$OUT/serve-search-distinct.lua"
one brief-random "api/stories/$(echo "$ids" | cut -d, -f1)/brief" "$OUT/serve-briefs.lua"
one brief-largest "api/stories/$LARGEST/brief"
one brief-bigevent "api/events/$BIGEVENT/brief"
echo "largest story $LARGEST: $(sqlite3 "$DB" "select articles from threads where id = $LARGEST") articles; largest event $BIGEVENT: $(sqlite3 "$DB" "select articles from events where id = $BIGEVENT") articles"
echo "load:    $(uptime | sed 's/.*load average: //') (1, 5, 15 min) after the last wrk"
kill $PID; wait $PID 2> /dev/null || true
