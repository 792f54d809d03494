#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on a loopback port in a temporary directory and
# prints its URL, for the hub's tests:
#   export KEHOACH_TEST_PG_URL=$(scripts/start-postgres.sh)
# Stop it with: pg_ctl -D <dir>/data stop   (the directory is printed on stderr).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL 15 not found; installing Debian's postgresql package" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi

# A free loopback port, unless PGPORT is given.
PORT=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
DIR=$(mktemp -d /tmp/kehoach-pg.XXXXXX)

# initdb refuses to run as root: run the cluster as the postgres user then.
run() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
if [ "$(id -u)" = 0 ]; then
    chown postgres "$DIR"
fi

run "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 ||
    { cat "$DIR/initdb.log" >&2; exit 1; }
run "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >&2 ||
    { cat "$DIR/server.log" >&2; exit 1; }

echo "PostgreSQL running in $DIR (stop: $PGBIN/pg_ctl -D $DIR/data stop)" >&2
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
