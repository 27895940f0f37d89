#!/usr/bin/env bash
# pg-temp.sh — a throwaway PostgreSQL 15 for tests. Source it, then:
#   pg_temp_start PORT      # initdb in a mktemp dir, start on a Unix socket only; exports
#                           # PG_TEMP_DIR, PG_TEMP_SOCK, PG_TEMP_PORT
#   pg_temp_createdb NAME   # creates database NAME; prints and exports
#                           # DTI_PG_URL=postgresql://testsu@/NAME?host=SOCKDIR&port=PORT
#   pg_temp_stop            # immediate stop, rm -rf (also run by the EXIT trap it installs)
# initdb/postgres refuse to run as root: they run as user postgres, from / (its cwd must be
# readable). Durability stays on (no fsync=off): the kill test relies on it.

PG_TEMP_BIN=${PG_TEMP_BIN:-/usr/lib/postgresql/15/bin}
PG_TEMP_USER=testsu

_pg_temp_as() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

pg_temp_start() {
  local port=${1:?pg_temp_start PORT}
  [ -x "$PG_TEMP_BIN/initdb" ] || { echo "pg-temp: $PG_TEMP_BIN/initdb not found (apt-get install postgresql)" >&2; return 1; }
  PG_TEMP_DIR=$(mktemp -d /tmp/pgtemp.XXXXXX) || return 1
  PG_TEMP_SOCK=$PG_TEMP_DIR/sock
  PG_TEMP_PORT=$port
  export PG_TEMP_DIR PG_TEMP_SOCK PG_TEMP_PORT
  trap pg_temp_stop EXIT
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_TEMP_DIR"
  chmod 755 "$PG_TEMP_DIR"
  _pg_temp_as mkdir -m 700 "$PG_TEMP_DIR/data" || return 1
  _pg_temp_as mkdir -m 777 "$PG_TEMP_SOCK" || return 1
  if ! _pg_temp_as "$PG_TEMP_BIN/initdb" -D "$PG_TEMP_DIR/data" -U "$PG_TEMP_USER" --auth=trust \
        -E UTF8 --locale=C.UTF-8 >"$PG_TEMP_DIR/initdb.log" 2>&1; then
    echo "pg-temp: initdb failed:" >&2; cat "$PG_TEMP_DIR/initdb.log" >&2; return 1
  fi
  # The log goes inside data/ (owned by postgres) so the server can write it.
  if ! _pg_temp_as "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -l "$PG_TEMP_DIR/data/server.log" \
        -w -t 30 -o "-p $port -k $PG_TEMP_SOCK -c listen_addresses=''" start >/dev/null; then
    echo "pg-temp: server did not start on port $port:" >&2
    tail -20 "$PG_TEMP_DIR/data/server.log" >&2; return 1
  fi
}

pg_temp_createdb() {
  local name=${1:?pg_temp_createdb NAME}
  "$PG_TEMP_BIN/createdb" -h "$PG_TEMP_SOCK" -p "$PG_TEMP_PORT" -U "$PG_TEMP_USER" "$name" || return 1
  DTI_PG_URL="postgresql://$PG_TEMP_USER@/$name?host=$PG_TEMP_SOCK&port=$PG_TEMP_PORT"
  export DTI_PG_URL
  echo "$DTI_PG_URL"
}

# Kills the server (pg_ctl -m immediate, like a crash) for restart tests; data stays.
pg_temp_crash() {
  [ -n "${PG_TEMP_DIR:-}" ] && _pg_temp_as "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m immediate -w stop >/dev/null 2>&1
}

pg_temp_stop() {
  if [ -n "${PG_TEMP_DIR:-}" ] && [ -d "$PG_TEMP_DIR" ]; then
    _pg_temp_as "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$PG_TEMP_DIR"
  fi
  PG_TEMP_DIR=
}
