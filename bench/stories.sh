#!/bin/sh
# stories.sh CORPUS_DIR — story assignment: rasd (bench/bench_stories.c) and
# the Python peer (bench/peer_stories.py) on the same SaudiNewsNet days, then
# both on the seeds and the SemEval pairs. Prints articles/s and the ratio.
set -eu
CORPUS=${1:-../shared/corpora/saudinewsnet}
DAYS=build/bench/snn-days
sh bench/extract_days.sh "$CORPUS" "$DAYS"
echo "== rasd: assignment over all days, 10 replays with dates shifted a month each"
build/bench-stories --dump build/bench/events.txt --pairs tests/data/event-pairs.held.tsv --pairs tests/data/event-pairs.held2.tsv "$DAYS"/*.json | tee build/bench/stories-rasd.txt
echo "== Python peer (sklearn TF-IDF + ISRI, nearest-neighbour threshold in time order)"
/usr/bin/python3 bench/peer_stories.py snn "$DAYS"/*.json | tee build/bench/stories-peer.txt
r=$(sed -n 's/^one pass: .* s, \([0-9]*\) articles\/s$/\1/p' build/bench/stories-rasd.txt)
p=$(sed -n 's/.*grouping .* = \([0-9]*\) articles\/s.*/\1/p' build/bench/stories-peer.txt)
[ -n "$r" ] && [ -n "$p" ] && echo "assignment: rasd $r articles/s, peer $p articles/s: $(awk "BEGIN{printf \"%.0f\", $r/$p}")x"
/usr/bin/python3 bench/peer_stories.py seeds examples/seeds
/usr/bin/python3 bench/peer_stories.py semeval ../shared/data/similarity/semeval2022-task8-ar.train.csv
