#!/bin/sh
# api.sh — the public API from outside (issue #11): the CLI includes no
# internal header beyond the documented list (tests/cli-internal-includes.txt);
# `make install PREFIX=…` installs librasd.so, rasd.h and a pkg-config file
# that a program builds and links with; the shared library exports the
# result structs' API; `rasd brief --json` is the stored brief byte for byte
# (tests/unit/test_views.c checks the struct's round trip).
. "$(dirname "$0")/lib.sh"

t "no file of src/cli includes an internal header that tests/cli-internal-includes.txt does not list"
allowed=$(grep -v '^#' "$ROOT/tests/cli-internal-includes.txt" | grep . | sort)
found=$(cd "$ROOT/src/cli" && grep -H '#include "' *.c *.h | grep -v '"cli.h"\|"rasd.h"' |
  sed -E 's|^([^:]*):#include "(\.\./)?([^"]*)".*|\1 \3|' | sort -u)
extra=$(printf '%s\n' "$found" | grep . | while read -r f h; do
  printf '%s\n' "$allowed" | grep -qx "$f $h" || echo "$f includes $h"; done)
[ -z "$extra" ]; check $? "$extra"

t "every line of the allowed list is still needed (a file moved onto the API leaves it)"
stale=$(printf '%s\n' "$allowed" | while read -r f h; do
  printf '%s\n' "$found" | grep -qx "$f $h" || echo "$f $h"; done)
[ -z "$stale" ]; check $? "$stale"

t "rasd brief, timeline and conflicts include only rasd.h and the CLI's helpers"
n=$(grep -c '#include "' "$ROOT/src/cli/cmd_brief.c" "$ROOT/src/cli/cmd_timeline.c" \
  "$ROOT/src/cli/cmd_conflicts.c" | awk -F: '{s += $2} END {print s}')
[ "$n" -eq 3 ]; check $? "$n includes"

t "make install PREFIX installs the library, the header and a pkg-config file naming PREFIX"
make -s -C "$ROOT" install PREFIX="$WORK/prefix" > "$WORK/install.log" 2>&1 &&
  [ -f "$WORK/prefix/lib/librasd.so.0" ] && [ -f "$WORK/prefix/include/rasd.h" ] &&
  grep -qx "prefix=$WORK/prefix" "$WORK/prefix/lib/pkgconfig/rasd.pc"
check $? "$(tail -5 "$WORK/install.log")"

t "a program built with pkg-config's flags links the installed librasd.so and reads a brief as a struct"
export PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig"
cc -std=c11 -Wall -Werror -o "$WORK/embed" "$ROOT/examples/embed.c" \
  $(pkg-config --cflags --libs rasd) > "$WORK/cc.log" 2>&1 &&
  out=$(LD_LIBRARY_PATH="$WORK/prefix/lib" "$WORK/embed" "$WORK/embed.db" "$ROOT/examples/seeds" 2>&1) &&
  echo "$out" | grep -q '^brief of story 1: [0-9]* summary sentences, [0-9]* conflicts' &&
  echo "$out" | grep -q '(article [0-9a-f]\{16\}, bytes [0-9]*-[0-9]*,' &&
  echo "$out" | grep -q '^## الخلاصة'
check $? "$(cat "$WORK/cc.log") $out"

t "the program ran on the installed library, not the build tree's"
LD_LIBRARY_PATH="$WORK/prefix/lib" ldd "$WORK/embed" 2>/dev/null | grep -q "$WORK/prefix/lib/librasd.so"
check $?

t "librasd.so exports the result structs' API"
syms=$(nm -D --defined-only "$ROOT/build/librasd.so" | awk '{print $3}')
miss=""
for s in rasd_engine_brief rasd_engine_conflicts rasd_brief_parse rasd_brief_free \
  rasd_conflict_set_free rasd_brief_render rasd_conflicts_render rasd_timeline_render \
  rasd_engine_entities rasd_engine_feed rasd_buf_append rasd_buf_printf rasd_buf_free \
  rasd_buf_read_file; do
  echo "$syms" | grep -qx "$s" || miss="$miss $s"
done
[ -z "$miss" ]; check $? "missing:$miss"

t "internal names (views_, brief_, store_, buf_) are hidden in librasd.so"
echo "$syms" | grep -q '^views_\|^brief_\|^store_\|^buf_'; [ $? -ne 0 ]; check $?

t "rasd brief --json is the stored brief byte for byte, and the timeline its timeline"
"$RASD" ingest --quiet --db "$WORK/s.db" "$ROOT/examples/seeds" > /dev/null 2>&1
stored=$(sqlite3 "$WORK/s.db" "SELECT body FROM story_cache WHERE kind = 'brief' AND id = 1")
shown=$("$RASD" brief --db "$WORK/s.db" --json 1)
tl=$("$RASD" timeline --db "$WORK/s.db" --story 1 --json)
[ -n "$stored" ] && [ "$stored" = "$shown" ] &&
  [ "$(echo "$tl" | jq -c .)" = "$(echo "$shown" | jq -c .timeline)" ]; check $?

t "the stored conflicts are the brief's conflicts, written by the same writer"
cf=$(sqlite3 "$WORK/s.db" "SELECT body FROM story_cache WHERE kind = 'conflicts' AND id = 1")
n=$(echo "$shown" | jq '.conflicts | length')
[ "${cf%% *}" = "$n" ] && [ "$(echo "${cf#* }" | jq -c .)" = "$(echo "$shown" | jq -c .conflicts)" ]
check $? "$cf"

t "rasd conflicts --event N names the event, not a story"
ev=$("$RASD" stories --db "$WORK/s.db" --json | jq -r '.events[] | select(.article_count >= 2) | .id' | head -1)
out=$("$RASD" conflicts --db "$WORK/s.db" --event "$ev" 2>/dev/null | head -1)
[ -z "$out" ] || echo "$out" | grep -q "^حدث $ev "; check $? "$out"

summary
