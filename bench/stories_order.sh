#!/bin/sh
# stories_order.sh DAY.json... — order independence of story assignment through the store
# (issue #14): the same SaudiNewsNet days ingested (a) all in one `rasd ingest`, (b) one
# `rasd ingest` per day, (c) one per day with each day's articles shuffled (fixed seed);
# prints the pairwise F1 of (b) and (c) against (a), for events and for threads.
# `make bench-stories-order` runs it on three days; the days are arguments.
set -eu
OUT=${ORDER_OUT:-build/bench/order}
RASD=${RASD:-build/rasd}  # a fixed copy keeps a long run on one binary while the tree is rebuilt
mkdir -p "$OUT"
rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm "$OUT"/*.json
i=0
for f in "$@"; do
  i=$((i + 1))
  /usr/bin/python3 -c '
import json, random, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
random.Random(int(sys.argv[3])).shuffle(a)
json.dump(a, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
' "$f" "$OUT/shuffled-$(basename "$f")" "$i"
done
t0=$(date +%s)
"$RASD" ingest --quiet --db "$OUT/all.db" "$@" >/dev/null 2>&1 || true
t1=$(date +%s)
for f in "$@"; do
  "$RASD" ingest --quiet --db "$OUT/daily.db" "$f" >/dev/null 2>&1 || true
done
t2=$(date +%s)
for f in "$@"; do
  "$RASD" ingest --quiet --db "$OUT/shuffled.db" "$OUT/shuffled-$(basename "$f")" >/dev/null 2>&1 || true
done
echo "ingest: all at once $((t1 - t0)) s, a day at a time $((t2 - t1)) s"
for m in all daily shuffled; do
  "$RASD" stories --db "$OUT/$m.db" --json |
    jq -r '.id as $t | .events[] | .id as $e | .articles[] | [.id, $e, $t] | @tsv' > "$OUT/$m.tsv"
done
/usr/bin/python3 - "$OUT" <<'PY'
import sys
from collections import Counter
d = sys.argv[1]
def load(m):
    ev, th = {}, {}
    for line in open(f"{d}/{m}.tsv"):
        a, e, t = line.rstrip("\n").split("\t")
        ev[a], th[a] = e, t
    return ev, th
def f1(x, y):
    keys = sorted(set(x) & set(y))
    pairs = lambda lab: sum(c * (c - 1) // 2 for c in Counter(lab).values())
    both = pairs([(x[k], y[k]) for k in keys])
    px, py = pairs([x[k] for k in keys]), pairs([y[k] for k in keys])
    return (2 * both / (px + py) if px + py else 1.0), len(keys)
A = load("all")
for m in ("daily", "shuffled"):
    B = load(m)
    fe, n = f1(A[0], B[0])
    ft, _ = f1(A[1], B[1])
    print(f"{m:>8} vs all at once: {n} articles, pairwise F1 events {fe:.3f}, threads {ft:.3f}")
PY
