#!/bin/sh
# pg_ingest_cpu.sh — where a PostgreSQL ingest's CPU goes (issue #17): each
# binary (A, then B, then A and B again: interleaved) ingests the same day
# file(s) (`rasd ingest --no-refresh`, PG_WORKERS workers) into a fresh database
# of one throw-away PostgreSQL 15 started with pg_stat_statements; per run it
# prints the rasd process's CPU (user+sys), the server's CPU over the run
# (the postmaster and every child of it, live or exited: the backend, the WAL
# writer, the checkpointer, autovacuum), both per article, the database's
# size, and (PG_TOP=N, default 12) the top statements by total_exec_time
# with calls and rows. A and B may be the same binary. CPU, not wall: the
# machine is shared.
#   A=/tmp/base B=build/rasd sh bench/pg_ingest_cpu.sh [DAY_JSON...]
#   PG_ROUNDS=2 (A,B pairs)  PG_TOP=12  PG_WORKERS=1 (concurrent workers,
#   the day files dealt round-robin; rasd's CPU is the workers' sum)
#   PG_SETUP_A / PG_SETUP_B: SQL run on that binary's database after its
#   schema is made (e.g. an index dropped, to measure what it costs)
set -u
. tests/e2e/pg_lib.sh
WORK=$(mktemp -d /tmp/rasd-pgicpu.XXXXXX)
trap 'pg_stop; rm -rf "$WORK"' EXIT INT TERM
PG_EXTRA_OPTS="${PG_EXTRA_OPTS:-} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
pg_start "$WORK/pg" || exit 1
A=${A:?A=path of a rasd}; B=${B:-$PWD/build/rasd}
ROUNDS=${PG_ROUNDS:-2}; TOP=${PG_TOP:-12}; W=${PG_WORKERS:-1}
[ $# -gt 0 ] || set -- build/bench/snn-days/2015-07-21.json
q() { $PG_BIN/psql -X -At -h "$PG_SOCK" -d "$1" -c "$2"; }
q postgres "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" > /dev/null
hz=$(getconf CLK_TCK)
PM=$(head -n1 "$PG_DIR/data/postmaster.pid")
# the server's CPU ticks: the postmaster's own and its reaped children's,
# plus every live child's
server_ticks() {
  { cat /proc/$PM/stat; for c in $(cat /proc/$PM/task/*/children); do cat /proc/$c/stat 2> /dev/null; done; } |
    awk -v pm="$PM" '{ sub(/^.*\) /, ""); s += $12 + $13; if (NR == 1) s += $14 + $15 } END { print s }'
}
# the ticks of database $1's client backends ("… [local] …" in the process
# title; autovacuum workers are counted by server_ticks only), polled every
# 0.2 s into $2 until $3 exists: a backend's last reading misses at most its
# final 0.2 s
poll_backends() {
  while [ ! -e "$3" ]; do
    for c in $(cat /proc/$PM/task/*/children 2> /dev/null); do
      if tr '\0' ' ' < /proc/$c/cmdline 2> /dev/null | grep -q " $1 \[local\]"; then
        echo "$c $(sed 's/^.*) //' /proc/$c/stat 2> /dev/null | cut -d' ' -f12,13)"
      fi
    done >> "$2"
    sleep 0.2
  done
}
n=$(for f in "$@"; do jq length "$f"; done | awk '{ s += $1 } END { print s }')
echo "pg_ingest_cpu: $* ($n items, $W worker(s)), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
r=0
while [ $r -lt "$ROUNDS" ]; do
  for who in A B; do
    if [ $who = A ]; then bin=$A; else bin=$B; fi
    db=ic_${who}_$r
    url=$(pg_createdb "$db")
    "$bin" ingest --quiet --no-refresh --db "$url" /dev/null > /dev/null 2>&1 # schema first
    eval "setup=\${PG_SETUP_$who:-}"
    [ -n "$setup" ] && q "$db" "$setup" > /dev/null
    q postgres "SELECT pg_stat_statements_reset()" > /dev/null
    t0=$(server_ticks)
    rm -f "$WORK/stop" "$WORK/polled" "$WORK"/time*; touch "$WORK/polled"
    poll_backends "$db" "$WORK/polled" "$WORK/stop" &
    poller=$!
    # PG_WORKERS workers, the day files dealt round-robin (their CPU summed)
    k=0; pids=""
    while [ $k -lt "$W" ]; do
      files=$(i=0; for f in "$@"; do [ $((i % W)) = $k ] && printf '%s ' "$f"; i=$((i + 1)); done)
      # shellcheck disable=SC2086
      /usr/bin/time -f '%U %S' -o "$WORK/time$k" "$bin" ingest --quiet --no-refresh --db "$url" $files > "$WORK/out$k" 2>&1 &
      pids="$pids $!"; k=$((k + 1))
    done
    for p in $pids; do wait "$p" || { echo "a worker failed:"; tail -n 5 "$WORK"/out*; }; done
    cat "$WORK"/time[0-9]* | awk '{ u += $1; s += $2 } END { print u, s }' > "$WORK/time"
    # the backend exits after rasd: wait until none is left on this database
    i=0; while [ "$(q postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'")" != 0 ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    sleep 1
    t1=$(server_ticks)
    touch "$WORK/stop"; wait $poller
    bk=$(awk 'NF == 3 { t = $2 + $3; if (t > m[$1]) m[$1] = t } END { for (p in m) s += m[p]; print s + 0 }' "$WORK/polled")
    [ -n "${PG_PS:-}" ] && for c in $(cat /proc/$PM/task/*/children); do echo "    child $c $(cut -d' ' -f2,14,15 /proc/$c/stat)"; done
    stored=$(q "$db" "SELECT count(*) FROM articles")
    size=$(q "$db" "SELECT pg_database_size(current_database())")
    read -r u s < "$WORK/time"
    awk -v w=$who -v r=$r -v u="$u" -v s="$s" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v bk="$bk" -v n="$stored" -v sz="$size" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      b = (t1 - t0) / hz; k = bk / hz
      printf "%s round %d: %d articles; rasd %.2f s, its backend %.2f s (server in all %.2f s); rasd+backend %.2f ms per article (rasd %.2f, backend %.2f; with the whole server %.2f); %.1f articles per CPU-second (rasd+backend); database %.1f MB; load %s\n",
        w, r, n, u + s, k, b, (u + s + k) / n * 1000, (u + s) / n * 1000, k / n * 1000, (u + s + b) / n * 1000, n / (u + s + k), sz / 1048576, l }'
    if [ "$TOP" -gt 0 ] && [ $r = 0 ]; then
      q postgres "SELECT round(total_exec_time::numeric, 0) || ' ms  ' || calls || ' calls  ' || rows || ' rows  ' ||
               regexp_replace(left(query, 110), '\s+', ' ', 'g')
               FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$db')
               ORDER BY total_exec_time DESC LIMIT $TOP" | sed 's/^/    /'
      q postgres "SELECT '    total ' || round(sum(total_exec_time)::numeric, 0) || ' ms in ' || sum(calls) || ' calls'
               FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$db')"
      q "$db" "SELECT '    ' || relname || ' ' || pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class
               WHERE relkind IN ('r') AND relnamespace = 'public'::regnamespace
               ORDER BY pg_total_relation_size(oid) DESC LIMIT 8"
    fi
  done
  r=$((r + 1))
done
