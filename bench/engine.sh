#!/bin/sh
# engine.sh — the engine's budgets on the 15 SaudiNewsNet days, against the
# Python peer in the same run, and BENCHMARKS.md's summary table rewritten
# from the figures (between the "engine-summary" markers).
#   sh bench/engine.sh [CORPUS_DIR]   (default ../shared/corpora/saudinewsnet)
#   BENCH_DAYS="2015-07-21 2015-07-22" sh bench/engine.sh   only those days
#   BENCH_NO_WRITE=1: print the table, leave BENCHMARKS.md alone
# Budgets (issue "The engine"): brief of the largest event and thread <= 50 ms,
# a story's conflicts <= 50 ms, conflicts over the store <= 10 s, entities
# <= 200 ms, ingest >= 10x the peer with peak RSS <= 300 MB.
set -eu
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
OUT=build/bench
DAYS=$OUT/snn-days
DB=$OUT/engine.db
[ -x build/rasd ] || make -s build/rasd
sh bench/extract_days.sh "$CORPUS_DIR" "$DAYS"
if [ -n "${BENCH_DAYS:-}" ]; then
  FILES=$(for d in $BENCH_DAYS; do printf '%s ' "$DAYS/$d.json"; done)
else
  FILES=$(ls "$DAYS"/*.json | tr '\n' ' ')
fi
NDAYS=$(echo $FILES | wc -w)
ms() { # ms CMD...: median wall milliseconds of 5 runs
  for k in 1 2 3 4 5; do
    s=$(date +%s%N); "$@" > /dev/null 2>&1; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | sort -n | sed -n 3p
}
echo "== rasd engine benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "commit:  $(git rev-parse --short HEAD)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$DB" "$DB-wal" "$DB-shm"
/usr/bin/time -f '%e %M %U %S' -o "$OUT/engine-time.txt" \
  build/rasd ingest --quiet --times --db "$DB" $FILES > "$OUT/engine-ingest.out" 2>/dev/null || true
read -r secs rss usr sys < "$OUT/engine-time.txt"
cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN{printf "%.1f", u + s}')
grep -E '^(time|stories|briefs|[0-9]+ files)' "$OUT/engine-ingest.out"
# the stage split (wall seconds) from `rasd ingest --times`
split=$(awk '/^time: read/ { for (i = 1; i < NF; i++) if ($i ~ /^(read|annotate|store)$/) printf "%s %s s, ", $i, $(i + 1) }
             /^time: (group|refresh)/ { printf "%s %s s, ", $2, $3 }' "$OUT/engine-ingest.out" | sed 's/, $//')
# the same in CPU seconds (every thread): on a loaded machine the wall split measures waiting
cpusplit=$(awk '/^cpu: read/ { printf "read %s s, annotate %s s, store %s s, ", $3, $6, $9 }
             /^time: (group|refresh)/ { printf "%s %s s, ", $2, $6 }' "$OUT/engine-ingest.out" | sed 's/, $//')
n=$(sqlite3 "$DB" 'SELECT count(*) FROM articles')
rate=$(awk -v n="$n" -v t="$secs" 'BEGIN{printf "%.0f", n/t}')
echo "rasd: $n articles stored, annotated, grouped and briefed in ${secs} s ($cpu s CPU) = $rate articles/s, peak RSS $((rss / 1024)) MB, store $(du -m "$DB" | cut -f1) MB"
ev=$(sqlite3 "$DB" 'SELECT id FROM events ORDER BY articles DESC LIMIT 1')
evn=$(sqlite3 "$DB" "SELECT articles FROM events WHERE id = $ev")
th=$(sqlite3 "$DB" 'SELECT id FROM threads ORDER BY articles DESC LIMIT 1')
thn=$(sqlite3 "$DB" "SELECT articles FROM threads WHERE id = $th")
b_ev=$(ms build/rasd brief --json --db "$DB" --event "$ev")
b_th=$(ms build/rasd brief --json --db "$DB" "$th")
c_ev=$(ms build/rasd conflicts --json --db "$DB" --event "$ev")
c_all=$(ms build/rasd conflicts --json --db "$DB")
ent=$(ms build/rasd entities --json --db "$DB")
# CPU time too: on a shared machine the wall time of a short view is mostly waiting for a core
/usr/bin/time -f '%U %S' -o "$OUT/entities-cpu.txt" build/rasd entities --json --db "$DB" > /dev/null 2>&1
ent_cpu=$(awk '{printf "%.0f", ($1 + $2) * 1000}' "$OUT/entities-cpu.txt")
nent=$(sqlite3 "$DB" 'SELECT count(*) FROM entities' 2>/dev/null || echo '?')
echo "brief, largest event ($evn articles): $b_ev ms; largest thread ($thn articles): $b_th ms"
echo "conflicts, largest event: $c_ev ms; whole store: $c_all ms; entities: $ent ms"
echo "== Python peer (bench/peer_pipeline.py: regex tokens, ISRI stems, TF-IDF, threshold clustering, regex quotes and dates, SQLite)"
/usr/bin/time -f '%e %M %U %S' -o "$OUT/peer-time.txt" /usr/bin/python3 bench/peer_pipeline.py "$OUT/peer.db" $FILES
read -r psecs prss pusr psys < "$OUT/peer-time.txt"
pcpu=$(awk -v u="$pusr" -v s="$psys" 'BEGIN{printf "%.1f", u + s}')
pn=$(sqlite3 "$OUT/peer.db" 'SELECT count(*) FROM articles')
prate=$(awk -v n="$pn" -v t="$psecs" 'BEGIN{printf "%.1f", n/t}')
ratio=$(awk -v a="$rate" -v b="$prate" 'BEGIN{printf "%.1f", a/b}')
# per CPU second too: what the ratio would be on a machine that gives each process its cores
cratio=$(awk -v n="$n" -v c="$cpu" -v pn="$pn" -v pc="$pcpu" 'BEGIN{printf "%.1f", (n/c)/(pn/pc)}')
echo "peer: $pn articles in ${psecs} s ($pcpu s CPU) = $prate articles/s, peak RSS $((prss / 1024)) MB; rasd/peer = ${ratio}x wall, ${cratio}x per CPU second"
# the summary table of BENCHMARKS.md
tab=$(mktemp)
{
  echo "<!-- engine-summary: written by \`sh bench/engine.sh\` ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)) -->"
  echo "| figure ($NDAYS SaudiNewsNet days, $n articles) | value | budget |"
  echo "|---|---|---|"
  echo "| ingest: read, annotate, store, group, refresh briefs | $rate articles/s (${secs} s) | >= 10x peer |"
  echo "| Python peer, same run | $prate articles/s (${psecs} s; $pcpu s CPU) | |"
  echo "| ratio rasd / peer | ${ratio}x wall; ${cratio}x per CPU second (rasd $cpu s CPU on 2 threads) | >= 10x |"
  echo "| stage split (wall) | $split | |"
  echo "| stage split (CPU, every thread) | $cpusplit | |"
  echo "| peak RSS | $((rss / 1024)) MB | <= 300 MB |"
  echo "| brief, largest event ($evn articles) | $b_ev ms | <= 50 ms |"
  echo "| brief, largest thread ($thn articles) | $b_th ms | <= 50 ms |"
  echo "| conflicts, largest event | $c_ev ms | <= 50 ms |"
  echo "| conflicts, whole store | $c_all ms | <= 10,000 ms |"
  echo "| entities, all $nent names (JSON Lines) | $ent ms wall, $ent_cpu ms CPU | <= 200 ms |"
  if [ -s "$OUT/replay.tsv" ]; then  # from the last make bench-replay
    awk -F'\t' '!/^#/ { n++; c = $4 ? 1000 * $14 / $4 : 0; if (n == 1) { first = c } last = c; size = $3; if ($6 > rss) rss = $6 }
      END { if (n) printf "| replay (make bench-replay, %d runs): ms of CPU per new article at the first / last run | %.1f / %.1f ms at %d articles, peak RSS %d MB | flat; <= 300 MB |\n", n, first, last, size, rss }' "$OUT/replay.tsv"
  fi
  echo "<!-- /engine-summary -->"
} > "$tab"
if [ -z "${BENCH_NO_WRITE:-}" ] && grep -q '<!-- engine-summary' BENCHMARKS.md; then
  awk -v f="$tab" 'BEGIN{while((getline l < f) > 0) t = t l "\n"}
       /<!-- engine-summary/{skip=1; printf "%s", t} /<!-- \/engine-summary -->/{skip=0; next} !skip' \
    BENCHMARKS.md > "$tab.md" && mv "$tab.md" BENCHMARKS.md
fi
cat "$tab"; rm -f "$tab"
