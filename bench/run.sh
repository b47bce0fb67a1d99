#!/bin/sh
# run.sh — text-core throughput of rasd against a Python peer (NLTK), for
# `make bench` and BENCHMARKS.md.
#   sh bench/run.sh [CORPUS_DIR]     (default ../shared/corpora/saudinewsnet)
# Environment: PEER_MB (default 8) — size of the subset the peer runs on;
#              RASD_REPS (default 5), PEER_REPS (default 3).
#
# 1. Extracts the "content" of every article from the daily zips (sorted by
#    name, array order) into build/bench/corpus.txt, one article a line with
#    \ newline and CR escaped — once; delete the file to rebuild it.
# 2. The Python peer is ~100x slower, so to keep the run to a few minutes it
#    gets a deterministic subset: the first articles (whole lines) of
#    corpus.txt up to PEER_MB MB, in build/bench/corpus-peer.txt.
# 3. rasd runs on the full corpus (its headline figure) AND on the peer's
#    subset; the ratio compares only the same data (the subset).
set -eu
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
PEER_MB=${PEER_MB:-8}
RASD_REPS=${RASD_REPS:-5}
PEER_REPS=${PEER_REPS:-3}
PY=/usr/bin/python3
OUT=build/bench
BIN=build/bench-text
mkdir -p "$OUT"
[ -x "$BIN" ] || make -s "$BIN"

echo "== rasd text-core benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "command: sh bench/run.sh $CORPUS_DIR   (PEER_MB=$PEER_MB RASD_REPS=$RASD_REPS PEER_REPS=$PEER_REPS)"
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"

if [ ! -s "$OUT/corpus.txt" ]; then
  ls "$CORPUS_DIR"/*.zip >/dev/null 2>&1 || { echo "run.sh: no zips in $CORPUS_DIR" >&2; exit 1; }
  echo "extracting articles from $CORPUS_DIR/*.zip ..."
  # One JSON array per zip; the Python json module is used rather than jq so
  # the escaping rule lives next to the reader's (bench_text.c, peer_text.py).
  for z in "$CORPUS_DIR"/*.zip; do  # the shell sorts the glob: by date
    unzip -p "$z" | "$PY" -c '
import json, sys
out = sys.stdout
for a in json.load(sys.stdin):
    c = a.get("content") or ""
    if not c.strip():
        continue
    out.write(c.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "\n")
'
  done > "$OUT/corpus.txt.tmp"
  mv "$OUT/corpus.txt.tmp" "$OUT/corpus.txt"
fi
# the first whole lines up to PEER_MB MB (escaped bytes; the programs report
# the exact unescaped size)
awk -v max="$PEER_MB" 'BEGIN { lim = max * 1000000 }
  { n += length($0) + 1; if (n > lim) exit; print }' "$OUT/corpus.txt" > "$OUT/corpus-peer.txt"
echo "data:    $(wc -l < "$OUT/corpus.txt") articles, $(wc -c < "$OUT/corpus.txt") bytes (escaped) in $OUT/corpus.txt;" \
     "peer subset $(wc -l < "$OUT/corpus-peer.txt") articles in $OUT/corpus-peer.txt"
echo

echo "-- rasd, full corpus:   $BIN -r $RASD_REPS $OUT/corpus.txt"
full=$("$BIN" -r "$RASD_REPS" -l rasd-full "$OUT/corpus.txt")
echo "$full"
echo "-- rasd, peer subset:   $BIN -r $RASD_REPS $OUT/corpus-peer.txt"
sub=$("$BIN" -r "$RASD_REPS" -l rasd-subset "$OUT/corpus-peer.txt")
echo "$sub"
echo "-- peer, peer subset:   $PY bench/peer_text.py -r $PEER_REPS $OUT/corpus-peer.txt"
peer=$("$PY" bench/peer_text.py -r "$PEER_REPS" "$OUT/corpus-peer.txt")
echo "$peer"
echo

# ratio on the same data, from the JSON lines
printf '%s\n%s\n' "$sub" "$peer" | grep '^{' | "$PY" -c '
import json, sys
r, p = (json.loads(l) for l in sys.stdin)
assert r["bytes"] == p["bytes"] and r["articles"] == p["articles"], "runs saw different data"
print("ratio rasd/peer on the same %d articles (%.1f MB): %.1fx MB/s, %.1fx tokens/s"
      % (r["articles"], r["bytes"] / 1e6, r["mb_per_s"] / p["mb_per_s"],
         r["tokens_per_s"] / p["tokens_per_s"]))
print("note: token counts differ (%d rasd, %d peer): each counts its own tokeniser\x27s tokens"
      % (r["tokens"], p["tokens"]))
'
echo "$full" | grep '^{' | "$PY" -c '
import json, sys
r = json.loads(sys.stdin.read())
goal = "meets" if r["mb_per_s"] >= 100 else "BELOW"
print("rasd full corpus: %.1f MB/s per core (%s the 100 MB/s goal), %.2f M tokens/s"
      % (r["mb_per_s"], goal, r["tokens_per_s"] / 1e6))
'
