#!/bin/sh
# hostile.sh — the hostile-input corpus (tests/fixtures/hostile/cases.tsv):
# each input is ingested into a fresh database with a time limit, and the
# exit code, the message, the number of articles stored (the good items
# beside the bad ones) and the case's extra check are asserted. On every
# case, stderr holds only rasd's own lines ("rasd: ..."): no libxml2 or
# other library text, no sanitizer report. Big and special inputs (FIFOs,
# link loops, 12 MB feeds, archives) are made at test time by gen.sh.
. "$(dirname "$0")/lib.sh"
FIX=$ROOT/tests/fixtures/hostile
GEN=$WORK/gen
sh "$FIX/gen.sh" "$GEN" || { t "gen.sh makes the generated inputs"; bad; summary; exit 1; }
TAB=$(printf '\t')
n=0
while IFS="$TAB" read -r file want_rc want_msg want_n extra; do
  case "$file" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  case "$file" in
    /*) path=$file ;;
    *) if [ -e "$GEN/$file" ] || [ -p "$GEN/$file" ]; then path=$GEN/$file; else path=$FIX/$file; fi ;;
  esac
  db=$WORK/h$n.db
  args=""
  case "$extra" in args=*) args=${extra#args=} ;; esac
  t "hostile $n $file${extra:+ ($extra)}: exit $want_rc, message, $want_n stored"
  # relative names in messages, as a user would type them
  if [ "$extra" = stdin ]; then
    (cd "$(dirname "$path")" && timeout 120 "$RASD" ingest --no-stories --no-entities --db "$db" - \
       < "$(basename "$path")") > "$WORK/out" 2> "$WORK/err"
  else
    dir=$(dirname "$path"); base=$(basename "$path")
    case "$file" in /*) dir=/; base=$path ;; esac
    # shellcheck disable=SC2086
    (cd "$dir" && timeout 120 "$RASD" ingest --no-stories --no-entities $args --db "$db" "$base") \
      > "$WORK/out" 2> "$WORK/err"
  fi
  rc=$?
  got_n=$(sqlite3 "$db" 'SELECT count(*) FROM articles' 2> /dev/null || echo 0)
  why=""
  [ "$rc" = "$want_rc" ] || why="exit $rc (want $want_rc)"
  if [ "$want_msg" != "-" ] && ! grep -qF -- "$want_msg" "$WORK/err"; then
    why="$why; no message '$want_msg'"
  fi
  [ "$got_n" = "$want_n" ] || why="$why; $got_n stored (want $want_n)"
  if grep -qv '^rasd: ' "$WORK/err"; then
    why="$why; stderr has lines that are not rasd's: $(grep -v '^rasd: ' "$WORK/err" | head -n 2)"
  fi
  case "$extra" in
    body=*)
      txt=${extra#body=}
      sqlite3 "$db" "SELECT body FROM articles" 2> /dev/null | grep -qF -- "$txt" ||
        why="$why; no stored body holds '$txt'" ;;
    noraw)
      "$RASD" articles --db "$db" > "$WORK/list" 2>&1
      "$RASD" stories --db "$db" >> "$WORK/list" 2>&1
      cat "$WORK/err" >> "$WORK/list"
      if LC_ALL=C grep -q "$(printf '\033')" "$WORK/list"; then
        why="$why; a raw ESC reached the terminal"
      fi ;;
  esac
  if [ -z "$why" ]; then ok; else bad "${why#; } :: $(head -c 300 "$WORK/err")"; fi
done < "$FIX/cases.tsv"
t "the corpus has at least 40 cases"
[ "$n" -ge 40 ]; check $? "$n cases"
summary
