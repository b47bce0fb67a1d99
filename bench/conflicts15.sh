#!/bin/sh
# conflicts15.sh DB OUT — every conflict `rasd conflicts --db DB --json` reports,
# listed by two workers (build/conflicts-ids, one process each), into OUT, and
# the stories listing next to it (OUT.stories) for tools/conflicts_list.py.
# The stories with 2+ articles are dealt largest first, alternately, so the
# two workers get about the same work. Used for "Conflicts precision" in
# BENCHMARKS.md on a store of the 15 SaudiNewsNet days.
set -eu
DB=$1; OUT=$2
build/rasd stories --db "$DB" --json > "$OUT.stories"
python3 - "$OUT.stories" "$OUT" <<'PY'
import json, sys
st = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
big = sorted([(s['articles'], s['id']) for s in st if s['articles'] >= 2], reverse=True)
for k in range(2):
    with open('%s.ids%d' % (sys.argv[2], k), 'w') as f:
        f.write(''.join('%d\n' % i for j, (a, i) in enumerate(big) if j % 2 == k))
PY
build/conflicts-ids "$DB" < "$OUT.ids0" > "$OUT.0" &
build/conflicts-ids "$DB" < "$OUT.ids1" > "$OUT.1" &
wait
sort -t: -k2 -n "$OUT.0" "$OUT.1" > "$OUT"
rm -f "$OUT.0" "$OUT.1" "$OUT.ids0" "$OUT.ids1"
