#!/usr/bin/env bash
# pg_cluster.sh — a throw-away PostgreSQL 15 server for the tests, from Debian's binaries, in a directory
# of its own: no system service, no root needed (run as root, the server runs as the `postgres` account,
# which refuses root, in a directory handed to it).
#
#   tests/pg_cluster.sh start DIR PORT      initdb in DIR/data, the server on 127.0.0.1:PORT; prints its URL
#   tests/pg_cluster.sh standby DIR PORT PRIMARY_PORT
#                                           a hot standby of that server (pg_basebackup -R, streaming),
#                                           made the primary's synchronous standby: from then on the
#                                           primary acknowledges a commit only once the standby has it
#   tests/pg_cluster.sh kill DIR            the server in DIR stops at once, as a machine that dies
#   tests/pg_cluster.sh promote DIR         the standby in DIR becomes a primary
#   tests/pg_cluster.sh stop DIR            stops the server in DIR (immediate) and removes DIR
#
# fsync is off: a test server's files never need to outlive the machine, only its processes (a commit is
# still written to the OS before it is acknowledged, synchronous_commit on, so a server killed mid-run, as the
# failover test does, keeps every commit it acknowledged); the suites then spend their time on zhucun's
# statements, not on a busy disk's flushes (CREATE DATABASE from the demo's template, every commit).
# PG_FSYNC=on (the bench) keeps it on: a durable write there is compared with SQLite's synchronous=FULL.
# Authentication is `trust` on 127.0.0.1 only: a test server on loopback that lives for one run. The URL
# names the database `zhucun`, which start creates.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Runs a PostgreSQL binary as the account that owns DIR's server.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

need_binaries() {
  [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && return 0
  echo "pg_cluster: PostgreSQL 15's binaries are not in $PG_BIN (scripts/setup.sh installs postgresql-15)" >&2
  exit 1
}

# DIR, owned by the server's account; its parent must let that account through (e.g. a directory made
# by mktemp -d under /tmp: mktemp's own directory is the owner's only).
make_dir() {
  local dir=$1
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    if ! runuser -u postgres -- test -x "$dir"; then
      echo "pg_cluster: the postgres account cannot reach $dir (a parent directory is closed to it)" >&2
      exit 1
    fi
  fi
  chmod 700 "$dir"
}

start_server() {
  local dir=$1 port=$2
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start > /dev/null
}

cmd_start() {
  local dir=$1 port=$2
  need_binaries
  make_dir "$dir"
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log"
  cat >> "$dir/data/postgresql.conf" <<EOF
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = ${PG_FSYNC:-off}
synchronous_commit = on
EOF
  echo "host replication postgres 127.0.0.1/32 trust" >> "$dir/data/pg_hba.conf"
  start_server "$dir" "$port"
  as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres zhucun
  echo "postgresql://postgres@127.0.0.1:$port/zhucun"
}

psql_at() {
  local port=$1; shift
  as_owner "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d zhucun -tAq "$@"
}

cmd_standby() {
  local dir=$1 port=$2 primary=$3 i
  need_binaries
  make_dir "$dir"
  as_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/data" -R -X stream -c fast > /dev/null
  # the name the primary knows it by: synchronous_standby_names below
  echo "primary_conninfo = 'host=127.0.0.1 port=$primary user=postgres application_name=zhucun_standby'" \
    >> "$dir/data/postgresql.auto.conf"
  start_server "$dir" "$port"
  psql_at "$primary" -c "ALTER SYSTEM SET synchronous_standby_names = 'zhucun_standby'" -c "SELECT pg_reload_conf()" > /dev/null
  for i in $(seq 1 300); do
    [ "$(psql_at "$primary" -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'zhucun_standby'")" = sync ] && break
    sleep 0.2
  done
  [ "$i" -lt 300 ] || { echo "pg_cluster: the standby on $port never became synchronous" >&2; exit 1; }
  echo "postgresql://postgres@127.0.0.1:$port/zhucun"
}

cmd_kill() {
  as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w stop > /dev/null
}

cmd_promote() {
  as_owner "$PG_BIN/pg_ctl" -D "$1/data" -w promote > /dev/null
}

cmd_stop() {
  local dir=$1
  [ -d "$dir/data" ] && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) cmd_start "$2" "$3" ;;
  standby) cmd_standby "$2" "$3" "$4" ;;
  kill) cmd_kill "$2" ;;
  promote) cmd_promote "$2" ;;
  stop) cmd_stop "$2" ;;
  *) echo "usage: $0 start DIR PORT | standby DIR PORT PRIMARY_PORT | kill DIR | promote DIR | stop DIR" >&2; exit 2 ;;
esac
