#!/bin/sh
# replay.sh — per-article ingest time against archive size: the 15
# SaudiNewsNet days ingested one day file per `rasd ingest` (as a daily job
# would), then the same days again as new articles — dates shifted by 21
# days a round, a line added to each body so nothing is an exact duplicate
# (they are near-copies of round 0, as reprints are) — until the store holds
# REPLAY_ARTICLES articles or REPLAY_SECONDS have passed. Every ingest's
# wall time, peak RSS and stage split (read, annotate, store, group,
# refresh; and CPU seconds, user + sys, since on a shared machine the wall
# time mostly measures waiting for a core) go to build/bench/replay.tsv and the plot to
# build/bench/replay.png (gnuplot).
#   sh bench/replay.sh [CORPUS_DIR]
#   REPLAY_ARTICLES=260000 (default)  REPLAY_SECONDS=3600 (default)
#   REPLAY_JOBS=N: rasd ingest --jobs N (default: every core)
#   RASD=PATH: the binary (default build/rasd; a copy lets the tree change meanwhile)
set -eu
RASD=${RASD:-build/rasd}
CORPUS_DIR=${1:-../shared/corpora/saudinewsnet}
OUT=build/bench
DAYS=$OUT/snn-days
WORK=$OUT/replay
DB=$OUT/replay.db
TSV=$OUT/replay.tsv
TARGET=${REPLAY_ARTICLES:-260000}
BUDGET=${REPLAY_SECONDS:-3600}
[ "$RASD" != build/rasd ] || [ -x build/rasd ] || make -s build/rasd
command -v gnuplot > /dev/null || { echo "replay.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 1; }
sh bench/extract_days.sh "$CORPUS_DIR" "$DAYS"
mkdir -p "$WORK"
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "== rasd replay: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $RASD, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '# round\tday\tstored\tnew\twall_s\trss_mb\tread_s\tannotate_s\tstore_s\tgroup_s\trefresh_s\tms_per_article\tload1\tcpu_s\tread_cpu\tannotate_cpu\tstore_cpu\tgroup_cpu\trefresh_cpu\trefreshed\n' > "$TSV"
start=$(date +%s)
round=0
stored=0
while [ "$stored" -lt "$TARGET" ]; do
  # round r: the day files with dates shifted by 21*r days and one line added
  /usr/bin/python3 - "$DAYS" "$WORK" "$round" <<'EOF'
import datetime, json, os, sys
src, dst, r = sys.argv[1], sys.argv[2], int(sys.argv[3])
for f in os.listdir(dst):
    os.remove(os.path.join(dst, f))
for name in sorted(os.listdir(src)):
    if not name.endswith(".json"):
        continue
    items = json.load(open(os.path.join(src, name), encoding="utf-8"))
    day = datetime.date.fromisoformat(name[:10]) + datetime.timedelta(days=21 * r)
    for a in items:
        if r and isinstance(a, dict):
            d = a.get("date_extracted") or ""
            try:
                t = datetime.datetime.fromisoformat(d) + datetime.timedelta(days=21 * r)
                a["date_extracted"] = t.isoformat(sep=" ")
            except ValueError:
                pass
            a["url"] = (a.get("url") or "") + "#replay%d" % r
            if a.get("content"):
                a["content"] += "\n\nنشر هذا الخبر مجددا في الجولة %d من إعادة التشغيل." % r
    with open(os.path.join(dst, "%s.json" % day.isoformat()), "w", encoding="utf-8") as o:
        json.dump(items, o, ensure_ascii=False)
EOF
  for f in $(ls "$WORK"/*.json); do
    day=$(basename "$f" .json)
    /usr/bin/time -f '%e %M %U %S' -o "$OUT/replay-time.txt" nice -n 10 "$RASD" ingest --quiet --times \
      ${REPLAY_JOBS:+--jobs $REPLAY_JOBS} --db "$DB" "$f" > "$OUT/replay-ingest.out" 2> /dev/null || true
    read -r secs rss usr sys < "$OUT/replay-time.txt"
    before=$stored
    stored=$(sqlite3 "$DB" 'SELECT count(*) FROM articles')
    awk -v r="$round" -v day="$day" -v stored="$stored" -v new=$((stored - before)) \
        -v secs="$secs" -v rss="$rss" -v cpu="$(awk -v u="$usr" -v s="$sys" 'BEGIN{print u + s}')" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
      /^time: read/ { rd = $3; an = $6; for (i = 1; i < NF; i++) if ($i == "store") st = $(i + 1) }
      /^cpu: read/ { crd = $3; can = $6; cst = $9 }
      /^time: group/ { gr = $3; cgr = $6 }
      /^time: refresh/ { rf = $3; crf = $6 }
      /^briefs:/ { nref = $2 }
      END { printf "%d\t%s\t%d\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", r, day, stored, new,
                   secs, rss / 1024, rd + 0, an + 0, st + 0, gr + 0, rf + 0,
                   new ? 1000 * secs / new : 0, load, cpu, crd + 0, can + 0, cst + 0, cgr + 0, crf + 0,
                   nref + 0 }' "$OUT/replay-ingest.out" >> "$TSV"
    tail -n 1 "$TSV"
    [ "$stored" -ge "$TARGET" ] && break
    [ $(( $(date +%s) - start )) -ge "$BUDGET" ] && break
  done
  [ $(( $(date +%s) - start )) -ge "$BUDGET" ] && { echo "time budget of ${BUDGET} s reached"; break; }
  round=$((round + 1))
done
echo "reached $stored articles in $(( $(date +%s) - start )) s; peak RSS $(awk '!/^#/ && $6 > m {m = $6} END {print m}' "$TSV") MB; store $(du -m "$DB" | cut -f1) MB"
gnuplot <<EOF
set terminal png size 1000,600
set output "$OUT/replay.png"
set title "rasd ingest: milliseconds per new article against archive size (one day file per run)"
set xlabel "articles stored after the run"
set ylabel "ms per new article (stages: CPU)"
set key top left
set datafile separator "\t"
set grid
plot "$TSV" using 3:(\$5 * 1000 / \$4) with linespoints title "total (wall)", \
     "$TSV" using 3:(\$14 * 1000 / \$4) with linespoints title "total (CPU)", \
     "$TSV" using 3:(\$16 * 1000 / \$4) with lines title "annotate (CPU)", \
     "$TSV" using 3:(\$17 * 1000 / \$4) with lines title "store (CPU)", \
     "$TSV" using 3:(\$18 * 1000 / \$4) with lines title "group (CPU)", \
     "$TSV" using 3:(\$19 * 1000 / \$4) with lines title "refresh (CPU)"
EOF
echo "plot: $OUT/replay.png; figures: $TSV"
