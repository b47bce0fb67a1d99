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
