#!/bin/sh
# ckpt.sh — the grouping checkpoint (src/story/stories.c, cluster_state.c):
# a store grouped a day at a time restores the state saved at the start of
# its newest day and places only the days from there; a back-filled day
# replays from scratch; a batch inside the newest day restores. After all
# of it the events and threads (as sets of sets of article hashes) are
# exactly those of `rasd stories --rebuild` on a copy and of one ingest of
# everything. A damaged or old-version checkpoint is ignored without a
# word: the grouping replays from scratch, the result is the same, and the
# next grouping restores again. On SQLite, and on PostgreSQL when
# postgresql-15 is installed (a server the test starts on a unix socket).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
sh tests/e2e/gen_corpus.sh "$WORK/corpus" 16 10 > /dev/null 2>&1
# one file per day of the first two weeks; the day 2023-09-10 held back
# (back-filled later), the newest day (2023-09-14) in two halves, and two
# articles of a new day
/usr/bin/python3 - "$WORK" <<'PY'
import json, sys, glob, os, collections
w = sys.argv[1]
by = collections.defaultdict(list)
for f in sorted(glob.glob(w + "/corpus/*.jsonl")):
    for line in open(f, encoding="utf-8"):
        if json.loads(line)["date"] <= "2023-09-14":  # two weeks: enough windows to close
            by[json.loads(line)["date"]].append(line)
for d in ("days", "late", "top", "new", "all"):
    os.makedirs(w + "/" + d)
newest = max(by)
for d, lines in by.items():
    if d == "2023-09-10":
        open(w + "/late/" + d + ".jsonl", "w", encoding="utf-8").write("".join(lines))
    elif d == newest:
        h = len(lines) // 2
        open(w + "/days/" + d + ".jsonl", "w", encoding="utf-8").write("".join(lines[:h]))
        open(w + "/top/" + d + ".jsonl", "w", encoding="utf-8").write("".join(lines[h:]))
    else:
        open(w + "/days/" + d + ".jsonl", "w", encoding="utf-8").write("".join(lines))
extra = []
for k, line in enumerate(by[newest][:2]):
    a = json.loads(line)
    a["date"] = "2023-09-15"
    a["title"] += " تحديث %d" % k
    a["content"] = "تحديث رقم %d للخبر. " % k + a["content"]
    extra.append(json.dumps(a, ensure_ascii=False) + "\n")
open(w + "/new/2023-09-15.jsonl", "w", encoding="utf-8").write("".join(extra))
for k, name in enumerate(("garbage", "version", "again")):
    a = json.loads(by[newest][-1 - k])
    a["date"] = "2023-09-15"
    a["title"] += " إضافة %s" % name
    a["content"] = "خبر إضافي رقم %d. " % k + a["content"]
    open(w + "/extra-%s.jsonl" % name, "w", encoding="utf-8").write(json.dumps(a, ensure_ascii=False) + "\n")
open(w + "/all/all.jsonl", "w", encoding="utf-8").write("".join(l for v in by.values() for l in v))
open(w + "/all/new.jsonl", "w", encoding="utf-8").write("".join(extra))
PY

# groups SQL: one line per event (thread): its articles' hashes, sorted
GROUPS_SQL="SELECT %s, a.hash FROM article_event ae JOIN articles a ON a.id = ae.article
            JOIN events e ON e.id = ae.event ORDER BY a.hash"
canon() { awk -F'|' '{ g[$1] = g[$1] " " $2 } END { for (k in g) print g[k] }' | sort | md5sum; }

# scenario STORE_KIND DB_OF(NAME) QUERY_FN
scenario() {
  kind=$1
  inc=$(db_of inc); reb=$(db_of reb); one=$(db_of one)
  used=0; days=0
  for f in "$WORK"/days/*.jsonl; do
    days=$((days + 1))
    "$RASD" ingest --quiet --times --no-refresh --db "$inc" "$f" > "$WORK/out" 2>&1 || echo "ingest $f failed" >&2
    grep -q 'from the checkpoint' "$WORK/out" && used=$((used + 1))
  done
  t "$kind: grouped a day at a time, every grouping after the first restores the checkpoint"
  [ "$used" -eq $((days - 1)) ]; check $? "$used of $((days - 1))"
  t "$kind: a back-filled day replays from scratch"
  "$RASD" ingest --quiet --times --no-refresh --db "$inc" "$WORK/late" > "$WORK/out" 2>&1 &&
    grep -q '^time: group' "$WORK/out" && ! grep -q 'from the checkpoint' "$WORK/out"
  check $? "$(cat "$WORK/out")"
  t "$kind: a batch inside the newest day restores the checkpoint"
  "$RASD" ingest --quiet --times --no-refresh --db "$inc" "$WORK/top" > "$WORK/out" 2>&1 &&
    grep -q 'from the checkpoint' "$WORK/out"; check $? "$(cat "$WORK/out")"
  t "$kind: a new day restores the checkpoint"
  "$RASD" ingest --quiet --times --no-refresh --db "$inc" "$WORK/new" > "$WORK/out" 2>&1 &&
    grep -q 'from the checkpoint' "$WORK/out"; check $? "$(cat "$WORK/out")"
  copy_db inc reb
  "$RASD" stories --rebuild --db "$reb" > /dev/null 2>&1
  "$RASD" ingest --quiet --no-refresh --db "$one" "$WORK/all" > /dev/null 2>&1
  for g in event thread; do
    col=ae.event; [ $g = thread ] && col=e.thread
    a=$(groups "$inc" $col); b=$(groups "$reb" $col); c=$(groups "$one" $col)
    t "$kind: the ${g}s equal those of stories --rebuild on a copy and of one ingest of everything"
    [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$(rows "$inc")" -gt 60 ]; check $? "$a $b $c"
  done
  for damage in garbage version; do
    # a damaged checkpoint, then one more article: no message, same result
    set_ckpt "$inc" $damage
    "$RASD" ingest --quiet --times --no-refresh --db "$inc" "$WORK/extra-$damage.jsonl" > "$WORK/out" 2> "$WORK/err"
    rc=$?
    t "$kind: a checkpoint with $damage bytes is ignored silently: the grouping replays from scratch"
    [ $rc -eq 0 ] && [ ! -s "$WORK/err" ] && grep -q '^time: group' "$WORK/out" &&
      ! grep -q 'from the checkpoint' "$WORK/out"; check $? "rc $rc $(cat "$WORK/err" "$WORK/out")"
    "$RASD" ingest --quiet --no-refresh --db "$one" "$WORK/extra-$damage.jsonl" > /dev/null 2>&1
    t "$kind: after a checkpoint with $damage bytes the events are still those of one ingest of everything"
    [ "$(groups "$inc" ae.event)" = "$(groups "$one" ae.event)" ]; check $?
  done
  copy_db inc reb2
  t "$kind: the grouping after a refused checkpoint saved a good one"
  "$RASD" ingest --quiet --times --no-refresh --db "$inc" "$WORK/extra-again.jsonl" > "$WORK/out" 2>&1 &&
    grep -q 'from the checkpoint' "$WORK/out"; check $? "$(cat "$WORK/out")"
  t "$kind: stories --rebuild regroups from scratch and leaves a checkpoint the next grouping restores"
  "$RASD" stories --rebuild --db "$(db_of reb2)" > /dev/null 2>&1 &&
    [ "$(ckpt_rows "$(db_of reb2)")" = "1" ] && "$RASD" ingest --quiet --times --no-refresh \
    --db "$(db_of reb2)" "$WORK/extra-again.jsonl" > "$WORK/out" 2>&1 && grep -q 'from the checkpoint' "$WORK/out"
  check $? "$(cat "$WORK/out")"
}

# ---- SQLite ----
db_of() { echo "$WORK/$1.db"; }
copy_db() { cp "$WORK/$1.db" "$WORK/$2.db"; }
groups() { sqlite3 "$1" "$(printf "$GROUPS_SQL" "$2")" | canon; }
rows() { sqlite3 "$1" 'SELECT count(*) FROM article_event'; }
ckpt_rows() { sqlite3 "$1" 'SELECT count(*) FROM story_checkpoint'; }
set_ckpt() { # DB garbage|version
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
(d,) = c.execute("SELECT data FROM story_checkpoint").fetchone()
d = bytearray(d)
if sys.argv[2] == "garbage":
    for i in range(100, len(d), 997):
        d[i] ^= 0x5a
else:
    d[4] ^= 0x01  # the version
c.execute("UPDATE story_checkpoint SET data = ?", (bytes(d),))
c.commit()
PY
}
scenario SQLite

# ---- PostgreSQL ----
if pg_have; then
  trap 'pg_stop; rm -rf "$WORK"' EXIT INT TERM
  PG_EXTRA_OPTS="-c fsync=off" pg_start "$WORK/pg" > /dev/null 2>&1
  PSQL="$PG_BIN/psql -X -q -At -h $PG_SOCK"
  for n in inc reb one reb2; do pg_createdb $n > /dev/null; done
  db_of() { echo "postgresql:///$1?host=$PG_SOCK"; }
  copy_db() { $PSQL -d postgres -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2 TEMPLATE $1"; }
  groups() { $PSQL -d "$(echo "$1" | sed 's|postgresql:///\([a-z0-9]*\).*|\1|')" \
               -c "$(printf "$GROUPS_SQL" "$2")" | canon; }
  rows() { $PSQL -d inc -c 'SELECT count(*) FROM article_event'; }
  ckpt_rows() { $PSQL -d reb2 -c 'SELECT count(*) FROM story_checkpoint'; }
  set_ckpt() { # URL garbage|version
    if [ "$2" = garbage ]; then
      $PSQL -d inc -c "UPDATE story_checkpoint SET data = overlay(data placing '\\x5a5a5a5a'::bytea from 200)"
    else
      $PSQL -d inc -c "UPDATE story_checkpoint SET data = set_byte(data, 4, get_byte(data, 4) # 1)"
    fi
  }
  scenario PostgreSQL
else
  echo "skip: PostgreSQL part (postgresql-15 is not installed)"
fi
summary
