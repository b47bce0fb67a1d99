#!/bin/sh
# ingest_archive.sh CORPUS_DIR [DAYS] — the same SaudiNewsNet days ingested
# twice into fresh databases (--no-entities --no-stories): straight from the
# .zip files (libarchive, src/ingest/archive.c) and from the extracted
# .json, so the cost of reading archives shows; then the item counts of
# both runs, which must match (0 items failed: empty items are skipped).
#   make bench-archive            (default: the first 3 days)
set -eu
CORPUS=${1:-../shared/corpora/saudinewsnet}
N=${2:-3}
OUT=build/bench/archive
rm -rf "$OUT"; mkdir -p "$OUT/zips"
sh bench/extract_days.sh "$CORPUS" build/bench/snn-days
days=$(ls "$CORPUS"/*.zip | head -n "$N")
json=""
for z in $days; do
  cp "$z" "$OUT/zips/"
  json="$json build/bench/snn-days/$(basename "$z" .zip).json"
done
run() {
  label=$1; shift
  start=$(date +%s.%N)
  build/rasd ingest --quiet --no-entities --no-stories --db "$OUT/$label.db" "$@" \
    > "$OUT/$label.out" 2> "$OUT/$label.err" || true
  end=$(date +%s.%N)
  n=$(sqlite3 "$OUT/$label.db" 'SELECT count(*) FROM articles')
  secs=$(echo "$end - $start" | bc)
  echo "$label: $(cat "$OUT/$label.out")"
  echo "$label: $n stored in ${secs}s = $(echo "$n / $secs" | bc) articles/s"
}
# shellcheck disable=SC2086
run json $json
run zip "$OUT"/zips/*.zip
