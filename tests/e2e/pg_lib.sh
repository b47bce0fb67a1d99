# pg_lib.sh — starts and stops a throw-away PostgreSQL 15 for tests/e2e/pg.sh
# and bench/pg.sh (sourced, not run). It listens only on a unix socket in
# its own directory (listen_addresses=''), never on TCP.
#   pg_have                 0 when postgresql-15's server binaries exist
#   pg_start DIR            initdb + start under DIR; sets PG_SOCK, PG_URL_BASE
#   pg_createdb NAME        (re)creates database NAME; prints its rasd URL
#   pg_stop                 stops the server started by pg_start (idempotent)
# initdb refuses root: as root the server runs as nobody, with a superuser
# named after the calling user so plain "postgresql:///db?host=…" connects.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=""
pg_have() { [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; }
pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
pg_start() {
  PG_DIR=$1
  mkdir -p "$PG_DIR/data" "$PG_DIR/sock"
  chmod 755 "$PG_DIR" "$(dirname "$PG_DIR")" 2>/dev/null
  [ "$(id -u)" = 0 ] && chown nobody "$PG_DIR/data" "$PG_DIR/sock" "$PG_DIR"
  chmod 700 "$PG_DIR/data"
  PG_SOCK=$PG_DIR/sock
  pg_as "$PG_BIN/initdb" -A trust -E UTF8 --locale=C -U "$(id -un)" -D "$PG_DIR/data" \
    > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $PG_SOCK -c max_connections=40 ${PG_EXTRA_OPTS:-}" \
    start > /dev/null 2>&1 || { cat "$PG_DIR/server.log"; return 1; }
  PG_URL_BASE="postgresql:///"
}
pg_createdb() {
  "$PG_BIN/psql" -q -h "$PG_SOCK" -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null 2>&1 \
    || return 1
  echo "postgresql:///$1?host=$PG_SOCK"
}
pg_stop() {
  [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ] &&
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1
  PG_DIR=""
}
# pg_kill_ingest RASD DB KILLS SEED LIST1 LIST2 — a two-worker ingest
# (`RASD ingest --quiet --no-refresh --db DB`, worker k over the files listed
# in LISTk) during which KILLS times, after a random pause (0.3-2.3 s, drawn
# from SEED), a random running worker gets kill -9 and is started again on
# its whole list; returns when both workers have finished. Prints how many
# kills hit a running worker.
pg_kill_ingest() {
  _rasd=$1; _db=$2; _kills=$3; _seed=$4; _l1=$5; _l2=$6
  # shellcheck disable=SC2046
  "$_rasd" ingest --quiet --no-refresh --db "$_db" $(cat "$_l1") >> "${KILL_LOG:-/dev/null}" 2>&1 & _p1=$!
  # shellcheck disable=SC2046
  "$_rasd" ingest --quiet --no-refresh --db "$_db" $(cat "$_l2") >> "${KILL_LOG:-/dev/null}" 2>&1 & _p2=$!
  _hit=0; _k=1
  while [ $_k -le "$_kills" ]; do
    set -- $(awk -v s="$_seed" -v k="$_k" 'BEGIN { srand(s * 7919 + k); printf "%.2f %d", 0.3 + rand() * 2, 1 + int(rand() * 2) }')
    sleep "$1"
    if [ "$2" = 1 ]; then _p=$_p1; _l=$_l1; else _p=$_p2; _l=$_l2; fi
    if kill -0 "$_p" 2> /dev/null; then
      kill -9 "$_p" 2> /dev/null && _hit=$((_hit + 1))
      wait "$_p" 2> /dev/null
      # shellcheck disable=SC2046
      "$_rasd" ingest --quiet --no-refresh --db "$_db" $(cat "$_l") >> "${KILL_LOG:-/dev/null}" 2>&1 &
      if [ "$2" = 1 ]; then _p1=$!; else _p2=$!; fi
    fi
    _k=$((_k + 1))
  done
  wait $_p1 2> /dev/null; wait $_p2 2> /dev/null
  echo "$_hit"
}
# pg_content PSQL_OR_SQLITE_CMD — the stored content, order-independent: one
# line per article hash, then one line per event: its articles' hashes
# sorted and joined (events are numbered differently by each run). The
# command gets the SQL as its last argument.
pg_content() {
  "$@" "SELECT 'a ' || hash FROM articles ORDER BY hash" | sort
  "$@" "SELECT ae.event || ' ' || a.hash FROM article_event ae JOIN articles a ON a.id = ae.article" |
    sort -k1,1n -k2 | awk '$1 != e { if (NR > 1) print line; e = $1; line = "e" } { line = line " " $2 } END { if (NR) print line }' | sort
}
# pg_copies DIR — adds to the corpus in DIR (gen_corpus.sh's files) three
# files of other copies of its articles: exact copies under other outlets,
# dates and titles, some dated before the original and some after (dups-a,
# dups-b), and near-copies (the closing words changed), dated either side
# (near). Which copy holds an article's metadata, and which article a
# near-copy is a copy of, must not depend on the order they arrive in.
pg_copies() {
  cat "$1"/part-*.jsonl | awk -v out="$1" '
  { n++; line = $0
    if (n % 6 == 0 || n % 6 == 3) {
      c = line
      sub(/"title":"[^"]*"/, "\"title\":\"نسخة " n "\"", c)
      sub(/"source":"[^"]*"/, "\"source\":\"ناقل " (n % 4) "\"", c)
      if (n % 6 == 0) { sub(/"date":"2023-09-/, "\"date\":\"2023-08-", c); print c > (out "/dups-a.jsonl") }
      else { sub(/"date":"2023-09-/, "\"date\":\"2023-10-", c); print c > (out "/dups-b.jsonl") }
    }
    if (n % 9 == 1) {
      c = line
      sub(/الرقم المرجعي/, "وفق ما أفادت المصادر المطلعة، الرقم المرجعي", c)
      sub(/"source":"[^"]*"/, "\"source\":\"ناقل " (n % 3) "\"", c)
      if (n % 2) sub(/"date":"2023-09-/, "\"date\":\"2023-07-", c)
      print c > (out "/near.jsonl")
    } }'
}
# pg_copy_content PSQL_OR_SQLITE_CMD — each article's metadata and near-copy
# original (by hash) and its sightings: what pg_copies must leave the same
# whatever the order.
pg_copy_content() {
  "$@" "SELECT a.hash || ' ' || coalesce(a.title, '-') || ' ' || coalesce(a.outlet, '-') || ' ' ||
        coalesce(a.published, '-') || ' copy_of ' || coalesce(o.hash, '-')
        FROM articles a LEFT JOIN articles o ON o.id = a.copy_of" | sort
  "$@" "SELECT 's ' || a.hash || ' ' || coalesce(s.outlet, '-') || ' ' || coalesce(s.published, '-')
        FROM sightings s JOIN articles a ON a.id = s.article" | sort
}
