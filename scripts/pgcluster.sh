#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the demo, the tests and the benchmarks.
#
#   scripts/pgcluster.sh start DIR [PORT]   initdb + start; writes DIR/env
#                                           (CLUSTER_SETTINGS: extra postgresql.conf lines)
#   scripts/pgcluster.sh stop DIR           stop and delete DIR
#   scripts/pgcluster.sh restart DIR        start the cluster in DIR again (after a crash: recovery runs)
#
# PostgreSQL refuses to run as root: under root the server runs as the
# unprivileged "postgres" user (created by Debian's postgresql package), while
# clients (psql, pg_regress, pg_prove) may run as anyone. Only the unix socket
# in DIR is used; no TCP port is opened.
set -euo pipefail

cmd=${1:?usage: pgcluster.sh start|stop|restart DIR [PORT]}
dir=${2:?usage: pgcluster.sh start|stop|restart DIR [PORT]}
port=${3:-54329}
bindir=$(pg_config --bindir)

as_server() {
  # From / : the postgres user may not enter the caller's working directory.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir" && chmod 755 "$dir"
    as_server "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log"
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
max_connections = 100
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
max_prepared_transactions = 10
# As on Supabase: the supabase_realtime publication streams changes.
wal_level = logical
log_min_messages = warning
CONF
    # Further settings a caller needs (shared_preload_libraries for pg_cron, ...).
    [ -n "${CLUSTER_SETTINGS:-}" ] && printf '%s\n' "$CLUSTER_SETTINGS" >>"$dir/data/postgresql.conf"
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
    printf 'export PGHOST=%q PGPORT=%q PGUSER=postgres\n' "$dir" "$port" >"$dir/env"
    echo "PostgreSQL running: socket $dir, port $port (source $dir/env)"
    ;;
  restart)
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "unknown command: $cmd" >&2
    exit 2
    ;;
esac
