#!/bin/sh
# ingest.sh — ingest throughput and memory over SaudiNewsNet, day by day
# into one fresh database, so the time per article can be read against the
# size of the archive; then the same job by the Python peer.
#   sh bench/ingest.sh [CORPUS_DIR]   (default ../shared/corpora/saudinewsnet)
set -eu
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
PY=/usr/bin/python3
OUT=build/bench
DAYS=$OUT/snn-days
[ -x build/rasd ] || make -s build/rasd
sh bench/extract_days.sh "$CORPUS_DIR" "$DAYS"
echo "== rasd ingest benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "command: sh bench/ingest.sh $CORPUS_DIR"
DB=$OUT/ingest.db
rm -f "$DB" "$DB-wal" "$DB-shm"
total=0; t_all=0; maxrss=0
echo "day          articles  new_total  seconds  us/article  peak_RSS_MB"
for f in "$DAYS"/*.json; do
  /usr/bin/time -f '%e %M' -o "$OUT/time.txt" build/rasd ingest --quiet --db "$DB" "$f" > "$OUT/ingest.out" 2> /dev/null || true
  read -r secs rss <<EOF
$(tail -n 1 "$OUT/time.txt")
EOF
  n=$(sed -n 's/^.* \([0-9]*\) articles read.*/\1/p' "$OUT/ingest.out")
  total=$((total + n))
  t_all=$(awk -v a="$t_all" -v b="$secs" 'BEGIN{print a+b}')
  [ "$rss" -gt "$maxrss" ] && maxrss=$rss
  printf '%s  %8d  %9d  %7.2f  %10.1f  %11.1f\n' "$(basename "$f" .json)" "$n" "$total" "$secs" \
    "$(awk -v s="$secs" -v n="$n" 'BEGIN{print n ? s*1e6/n : 0}')" "$(awk -v r="$rss" 'BEGIN{print r/1024}')"
done
summary=$(tail -n 1 "$OUT/ingest.out")
rate=$(awk -v n="$total" -v t="$t_all" 'BEGIN{printf "%.0f", n/t}')
stored=$(sqlite3 "$DB" 'select count(*) from articles')
copies=$(sqlite3 "$DB" 'select count(*) from articles where copy_of is not null')
mentions=$(sqlite3 "$DB" 'select count(*) from mentions')
echo "rasd: $total articles in ${t_all}s = $rate articles/s (one core), peak RSS $((maxrss / 1024)) MB; stored $stored, near-copies $copies, entity mentions $mentions"

echo "== rasd ingest --no-entities (the same job as the peer: no name tagging), all days in one run"
rm -f "$DB" "$DB-wal" "$DB-shm"
/usr/bin/time -f '%e %M' -o "$OUT/time.txt" build/rasd ingest --quiet --no-entities --db "$DB" "$DAYS"/*.json > /dev/null 2>&1 || true
nsecs=$(tail -n 1 "$OUT/time.txt" | cut -d' ' -f1)
nrss=$(tail -n 1 "$OUT/time.txt" | cut -d' ' -f2)
nrate=$(awk -v n="$total" -v t="$nsecs" 'BEGIN{printf "%.0f", n/t}')
echo "rasd --no-entities: $total articles in ${nsecs}s = $nrate articles/s, peak RSS $((nrss / 1024)) MB"

echo "== Python peer (json + re + hashlib + numpy MinHash + sqlite3), same files"
rm -f "$OUT/peer.db"
/usr/bin/time -f '%e %M' -o "$OUT/time.txt" $PY bench/peer_ingest.py "$OUT/peer.db" "$DAYS"/*.json
read -r psecs prss <<EOF
$(tail -n 1 "$OUT/time.txt")
EOF
prate=$(awk -v n="$total" -v t="$psecs" 'BEGIN{printf "%.0f", n/t}')
echo "peer: $total articles in ${psecs}s = $prate articles/s, peak RSS $((prss / 1024)) MB"
echo "ratio rasd --no-entities / peer (same work): $(awk -v a="$nrate" -v b="$prate" 'BEGIN{printf "%.1f", a/b}')x"
echo "ratio rasd with entities / peer: $(awk -v a="$rate" -v b="$prate" 'BEGIN{printf "%.1f", a/b}')x"
