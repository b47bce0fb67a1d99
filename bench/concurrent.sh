#!/bin/sh
# concurrent.sh — issue 12's concurrency proof: 4 processes ingest 4
# different SaudiNewsNet days into one NEW store at the same moment, ROUNDS
# times (default 20). Each round must end with every process exiting 0, the
# database intact, and exactly the articles, events and threads of one
# sequential run over the same days in date order (events and threads
# compared as sets of sets of article identity hashes). When a round's
# grouping differs, the pairwise agreement of its events with the
# sequential run is printed (share of article pairs both put together or
# both apart).
#   sh bench/concurrent.sh CORPUS_DIR [ROUNDS] [PER_DAY]
# PER_DAY: the first N items of each day (default 400; 0 = whole days).
set -u
corpus=${1:?usage: concurrent.sh CORPUS_DIR [ROUNDS] [PER_DAY]}
rounds=${2:-20}; per=${3:-400}
RASD=${RASD:-build/rasd}
days=${CONC_DAYS:-2015-07-21 2015-07-22 2015-07-23 2015-07-24}
W=$(mktemp -d /tmp/rasd-conc.XXXXXX); trap 'rm -rf "$W"' EXIT
sh bench/extract_days.sh "$corpus" build/bench/snn-days > /dev/null
k=0
for d in $days; do
  k=$((k + 1)); mkdir -p "$W/p$k"
  /usr/bin/python3 -c '
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
n = int(sys.argv[3])
json.dump(items[:n] if n else items, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
' "build/bench/snn-days/$d.json" "$W/p$k/$d.json" "$per"
done
# canonical forms: one line per event (its articles' hashes, sorted), sorted
canon() { # DB KIND(event|thread)
  if [ "$2" = event ]; then
    sqlite3 "$1" "SELECT ae.event, a.hash FROM article_event ae JOIN articles a ON a.id = ae.article"
  else
    sqlite3 "$1" "SELECT e.thread, a.hash FROM article_event ae JOIN articles a ON a.id = ae.article
                  JOIN events e ON e.id = ae.event"
  fi | sort -t'|' -k1,1n -k2 | awk -F'|' '$1 != g { if (NR > 1) print line; g = $1; line = $2; next }
        { line = line " " $2 } END { if (NR) print line }' | sort
}
agree() { # DB_A DB_B: pairwise agreement of events over shared articles
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sqlite3, sys, itertools
def load(p):
    c = sqlite3.connect(p)
    return dict(c.execute("SELECT a.hash, ae.event FROM article_event ae JOIN articles a ON a.id = ae.article"))
a, b = load(sys.argv[1]), load(sys.argv[2])
ks = sorted(set(a) & set(b))
same = tot = 0
# pairs within either grouping's clusters plus a sample of the rest would be
# cheaper; the stores here are small enough for all pairs of co-grouped items
from collections import defaultdict
def pairs(m):
    g = defaultdict(list)
    for k in ks: g[m[k]].append(k)
    return {tuple(sorted(p)) for v in g.values() for p in itertools.combinations(v, 2)}
pa, pb = pairs(a), pairs(b)
n = len(ks) * (len(ks) - 1) // 2
print("%.4f" % (1 - len(pa ^ pb) / n if n else 1))
PY
}
t0=$(date +%s)
$RASD ingest --quiet --db "$W/seq.db" $(for k in 1 2 3 4; do ls "$W"/p$k/*.json; done) > /dev/null 2>&1 ||
  { echo "concurrent.sh: the sequential run failed"; exit 1; }
seq_t=$(( $(date +%s) - t0 ))
sqlite3 "$W/seq.db" 'SELECT hash FROM articles ORDER BY hash' > "$W/seq.art"
canon "$W/seq.db" event > "$W/seq.ev"; canon "$W/seq.db" thread > "$W/seq.th"
echo "sequential run: $(wc -l < "$W/seq.art") articles, $(wc -l < "$W/seq.ev") events, $(wc -l < "$W/seq.th") threads in ${seq_t} s"
ok=0; r=0
while [ $r -lt "$rounds" ]; do
  r=$((r + 1)); db="$W/r$r.db"
  for p in 1 2 3 4; do
    $RASD ingest --quiet --db "$db" "$W/p$p" > "$W/out$p" 2>&1 &
    eval "pid$p=\$!"
  done
  rcs=""; for p in 1 2 3 4; do eval "wait \$pid$p"; rcs="$rcs$?"; done
  integ=$(sqlite3 "$db" 'PRAGMA integrity_check')
  sqlite3 "$db" 'SELECT hash FROM articles ORDER BY hash' > "$W/r.art"
  canon "$db" event > "$W/r.ev"; canon "$db" thread > "$W/r.th"
  art=same; ev=same; th=same
  cmp -s "$W/r.art" "$W/seq.art" || art=DIFFERENT
  cmp -s "$W/r.ev" "$W/seq.ev" || ev="different (pair agreement $(agree "$db" "$W/seq.db"))"
  cmp -s "$W/r.th" "$W/seq.th" || th=different
  line="round $r: exits $rcs, integrity $integ, articles $art, events $ev, threads $th"
  echo "$line"
  [ "$rcs" = 0000 ] && [ "$integ" = ok ] && [ $art = same ] && [ "$ev" = same ] && [ $th = same ] && ok=$((ok + 1))
  [ "$rcs" = 0000 ] || cat "$W"/out* | grep -v '^[0-9]* files\|^stories\|^briefs' | head -3
  rm -f "$db" "$db-wal" "$db-shm"
done
echo "concurrent: $ok of $rounds rounds identical to the sequential run ($(echo $days | wc -w) days, $per items each; $(uptime | sed 's/.*load/load/'))"
[ $ok -eq "$rounds" ]
