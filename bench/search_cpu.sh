#!/bin/sh
# search_cpu.sh — instructions per uncached search, a figure a loaded machine
# does not move: valgrind's callgrind counts the instructions run inside
# fts_search (names, passes, kept rows, snippets; limit 20) for N title words
# drawn as bench/serve.sh draws its uncached searches (4+ Arabic letters,
# seed 11), once per eval-search binary given (e.g. main's and this branch's,
# both built from tools/eval_search.c). Kernel time (page reads) and cache
# misses are not in it: read it next to the server CPU of bench/serve.sh.
#   sh bench/search_cpu.sh STORE N EVAL_SEARCH [EVAL_SEARCH ...]
set -eu
[ $# -ge 3 ] || { echo "usage: sh bench/search_cpu.sh STORE N EVAL_SEARCH [EVAL_SEARCH ...]"; exit 2; }
DB=$1; N=$2; shift 2
command -v valgrind > /dev/null || { echo "search_cpu.sh: valgrind is missing"; exit 1; }
W=$(mktemp); OUT=$(mktemp)
trap 'rm -f "$W" "$OUT"' EXIT
sqlite3 "$DB" 'select title from articles where title is not null order by id' | tr -s ' ' '\n' |
  grep -E '^[ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي]{4,}$' | awk '!seen[$0]++' |
  awk 'BEGIN { srand(11) } { print rand() "\t" $0 }' | sort | cut -f2 | head -n "$N" |
  awk '{ printf "w%04d\tword\ttune\t%s\n", NR, $0 }' > "$W"
echo "store $DB, $(wc -l < "$W") title words, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(uptime | sed 's/.*average: //')"
for b in "$@"; do
  EVAL_SEARCH_NO_PEER=1 valgrind --tool=callgrind --toggle-collect=fts_search \
    --callgrind-out-file="$OUT" "$b" --db "$DB" --queries "$W" --latency 1 > /dev/null 2>&1
  ir=$(awk '/^summary:/ { print $2 }' "$OUT")
  awk -v b="$b" -v ir="$ir" -v n="$(wc -l < "$W")" \
    'BEGIN { printf "%-40s %.2f M instructions per search (%s in all)\n", b, ir / n / 1e6, ir }'
done
