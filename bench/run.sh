#!/bin/sh
# run.sh — text-core throughput of rasd against a Python peer (NLTK), for
# `make bench` and BENCHMARKS.md.
#   sh bench/run.sh [CORPUS_DIR]     (default ../shared/corpora/saudinewsnet)
# Environment: PEER_MB (default 0 = the whole corpus) — run the peer on only
#              the first PEER_MB MB of articles, if it is too slow;
#              RASD_REPS (default 5), PEER_REPS (default 3).
#
# 1. Extracts the "content" of every article from the daily zips (by date,
#    array order) into build/bench/corpus.txt, one article a line with
#    \ newline and CR escaped — once; delete the file to rebuild it.
# 2. rasd runs on the whole corpus (its headline figure).
# 3. The peer runs on the whole corpus too (about a minute here); with
#    PEER_MB set it gets a deterministic subset instead — the first whole
#    articles up to PEER_MB MB, in build/bench/corpus-peer.txt — and rasd is
#    run again on that subset, so the ratio always compares the same data.
set -eu
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
PEER_MB=${PEER_MB:-0}
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
PEER_CORPUS=$OUT/corpus.txt
if [ "$PEER_MB" != 0 ]; then
  # the first whole lines up to PEER_MB MB (escaped bytes; the programs
  # report the exact unescaped size)
  awk -v max="$PEER_MB" 'BEGIN { lim = max * 1000000 }
    { n += length($0) + 1; if (n > lim) exit; print }' "$OUT/corpus.txt" > "$OUT/corpus-peer.txt"
  PEER_CORPUS=$OUT/corpus-peer.txt
fi
echo "data:    $(wc -l < "$OUT/corpus.txt") articles, $(wc -c < "$OUT/corpus.txt") bytes (escaped) in $OUT/corpus.txt;" \
     "peer runs on $PEER_CORPUS ($(wc -l < "$PEER_CORPUS") articles)"
echo

echo "-- rasd:  $BIN -r $RASD_REPS $OUT/corpus.txt"
full=$("$BIN" -r "$RASD_REPS" -l rasd "$OUT/corpus.txt")
echo "$full"
sub=$full
if [ "$PEER_CORPUS" != "$OUT/corpus.txt" ]; then
  echo "-- rasd on the peer's subset:  $BIN -r $RASD_REPS $PEER_CORPUS"
  sub=$("$BIN" -r "$RASD_REPS" -l rasd-subset "$PEER_CORPUS")
  echo "$sub"
fi
echo "-- peer:  $PY bench/peer_text.py -r $PEER_REPS $PEER_CORPUS"
peer=$("$PY" bench/peer_text.py -r "$PEER_REPS" "$PEER_CORPUS")
echo "$peer"
echo

# ratio on the same data, from the JSON lines
printf '%s\n%s\n' "$sub" "$peer" | grep '^{' | "$PY" -c '
import json, sys
r, p = (json.loads(l) for l in sys.stdin)
assert r["bytes"] == p["bytes"] and r["articles"] == p["articles"], "runs saw different data"
ratio = r["mb_per_s"] / p["mb_per_s"]
print("ratio rasd/peer on the same %d articles (%.1f MB): %.1fx MB/s (%s the 50x goal), %.1fx tokens/s"
      % (r["articles"], r["bytes"] / 1e6, ratio, "meets" if ratio >= 50 else "BELOW",
         r["tokens_per_s"] / p["tokens_per_s"]))
print("first pass (cold caches): rasd %.1f MB/s, peer %.1f MB/s, ratio %.1fx"
      % (r["first_mb_per_s"], p["first_mb_per_s"], r["first_mb_per_s"] / p["first_mb_per_s"]))
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
