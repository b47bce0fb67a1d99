#!/bin/sh
# valgrind.sh — the release build under valgrind (ASan builds cannot run
# there): no invalid reads or writes and no definite leaks on the main
# commands, good and bad input alike.
. "$(dirname "$0")/lib.sh"
BIN=$ROOT/build/rasd
VG="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite -q"
if ! command -v valgrind > /dev/null || [ ! -x "$BIN" ]; then
  echo "valgrind or build/rasd missing"; FAIL=1; summary; exit 1
fi
run() { # run NAME ARGS...: passes unless valgrind reports (exit 99)
  t "valgrind is clean on: $1"; shift
  $VG "$BIN" "$@" > /dev/null 2> "$WORK/vg.err"
  rc=$?
  [ $rc -ne 99 ]; check $? "$(head -c 600 "$WORK/vg.err")"
}
run "ingest of the seeds" ingest --db "$WORK/v.db" examples/seeds
run "listing and showing" articles --db "$WORK/v.db" --json
run "entities" entities --db "$WORK/v.db"
run "show" show --db "$WORK/v.db" 1
run "ingest of pages, feeds, JSON with bad files among them" ingest --db "$WORK/v.db" tests/data/html tests/data/feeds tests/data/json
run "tokens --json" tokens --json examples/seeds/002_a284983e4bd276d4.txt
run "analyze" analyze --date 2023-09-05 examples/seeds/003_512641a6fdf04b61.txt
run "dates" dates --date 2023-09-05 examples/seeds/002_a284983e4bd276d4.txt
run "quotes" quotes examples/seeds/000_28de61d1b7358e70.txt
run "compare --json" compare --json examples/seeds/000_28de61d1b7358e70.txt examples/seeds/003_512641a6fdf04b61.txt
printf 'قال الرئيس\nالفرنسي\n\nفي باريس\n' > "$WORK/c.conll"
run "tag --conll" tag --conll "$WORK/c.conll"
summary
