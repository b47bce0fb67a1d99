#!/bin/sh
# demo.sh DB — what `make run` shows: the seed articles ingested into DB,
# the identities found across them, then what `rasd analyze` finds in each
# (names and dates, relative dates resolved against the manifest's date).
set -eu
DB=$1
rm -f "$DB" "$DB-wal" "$DB-shm"
build/rasd ingest --db "$DB" examples/seeds
echo
build/rasd articles --db "$DB"
echo
echo "== who is who: identities mentioned at least 3 times, their spellings and outlets"
build/rasd entities --db "$DB" --min 3 | head -n 15
echo
echo "== what rasd analyze finds in each seed (names, dates)"
for f in examples/seeds/*.txt; do
  d=$(jq -r --arg f "$(basename "$f")" 'select(.file == $f) | .published' examples/seeds/manifest.jsonl)
  echo "-- $f (published $d)"
  build/rasd analyze --date "$d" "$f" | jq -r '
    "   " + (.title // "(no title)"),
    "   names: " + ([.entities[] | .text + "/" + .type] | unique | join("، ")),
    "   dates: " + ([.dates[] | .text + " → " + .value] | join("؛ "))'
done
