#!/bin/sh
# stories_order.sh DAY.json... — order independence of story assignment through the store
# (issues #14 and #12): the same SaudiNewsNet days ingested (a) all in one `rasd ingest`,
# (b) one `rasd ingest` per day, (c) one per day with each day's articles shuffled (fixed
# seed), (d) one per day in reversed day order (every batch back-fills older days), (e) one
# per day in a shuffled day order with shuffled articles. Prints, for (b)-(e) against (a),
# whether events and threads are identical (as sets of sets of article hashes) and the
# pairwise F1 of events and of threads. `make bench-stories-order` runs it on three days;
# the days are arguments (ORDER_MODES picks modes, default "daily shuffled reversed mixed").
set -eu
OUT=${ORDER_OUT:-build/bench/order}
RASD=${RASD:-build/rasd}  # a fixed copy keeps a long run on one binary while the tree is rebuilt
MODES=${ORDER_MODES:-daily shuffled reversed mixed}
mkdir -p "$OUT"
rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm "$OUT"/*.json "$OUT"/*.tsv
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
reversed=""; for f in "$@"; do reversed="$f $reversed"; done
mixed=$(/usr/bin/python3 -c '
import random, sys
a = sys.argv[1:]; random.Random(7).shuffle(a); print(" ".join(a))' "$@")
secs() { echo $(( $(date +%s) - $1 )); }
t0=$(date +%s)
"$RASD" ingest --quiet --no-refresh --db "$OUT/all.db" "$@" >/dev/null 2>&1 || true
echo "all at once: $(secs "$t0") s ($(uptime | sed 's/.*load/load/'))"
for m in $MODES; do
  t0=$(date +%s)
  case $m in
    daily) files="$*" ;;
    reversed) files=$reversed ;;
    shuffled) files=""; for f in "$@"; do files="$files $OUT/shuffled-$(basename "$f")"; done ;;
    mixed) files=""; for f in $mixed; do files="$files $OUT/shuffled-$(basename "$f")"; done ;;
    *) echo "stories_order.sh: unknown mode $m"; exit 2 ;;
  esac
  for f in $files; do
    "$RASD" ingest --quiet --no-refresh --db "$OUT/$m.db" "$f" >/dev/null 2>&1 || true
  done
  echo "$m: $(secs "$t0") s ($(uptime | sed 's/.*load/load/'))"
done
for m in all $MODES; do
  sqlite3 -separator '	' "$OUT/$m.db" "SELECT a.hash, ae.event, e.thread FROM article_event ae
    JOIN articles a ON a.id = ae.article JOIN events e ON e.id = ae.event" > "$OUT/$m.tsv"
done
/usr/bin/python3 - "$OUT" $MODES <<'PY'
import sys
from collections import Counter, defaultdict
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
def parts(x):
    g = defaultdict(set)
    for k, v in x.items(): g[v].add(k)
    return {frozenset(s) for s in g.values()}
A = load("all")
print(f"all at once: {len(A[0])} articles, {len(set(A[0].values()))} events, {len(set(A[1].values()))} threads")
for m in sys.argv[2:]:
    B = load(m)
    fe, n = f1(A[0], B[0])
    ft, _ = f1(A[1], B[1])
    ie = "identical" if parts(A[0]) == parts(B[0]) and set(A[0]) == set(B[0]) else "different"
    it = "identical" if parts(A[1]) == parts(B[1]) and set(A[1]) == set(B[1]) else "different"
    print(f"{m:>8} vs all at once: {n} articles, events {ie} (pairwise F1 {fe:.3f}), threads {it} (F1 {ft:.3f})")
PY
