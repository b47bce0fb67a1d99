#!/bin/sh
# demo.sh DB — what `make run` shows: the seed articles ingested into DB and
# grouped into stories, the identities found across them, and the cited
# brief of each story (an HTML copy of each brief goes to build/brief-N.html).
set -eu
DB=$1
rm -f "$DB" "$DB-wal" "$DB-shm"
build/rasd ingest --db "$DB" examples/seeds
echo
echo "== stories: threads and their events"
build/rasd stories --db "$DB"
echo
echo "== who is who: identities mentioned at least 3 times, their spellings and outlets"
build/rasd entities --db "$DB" --min 3 | head -n 15
for t in $(build/rasd stories --db "$DB" --json | jq -r '.id'); do
  echo
  echo "== brief of story $t"
  build/rasd brief --db "$DB" "$t"
  build/rasd brief --db "$DB" --html -o "build/brief-$t.html" "$t"
done
echo
echo "(HTML briefs: build/brief-*.html)"
echo "(web UI and JSON API on this store: build/rasd serve --db $DB, then open http://127.0.0.1:8080/)"
