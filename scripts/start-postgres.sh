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

# TLS on, with a certificate for 127.0.0.1 and localhost from a throwaway CA ($DIR/ca.crt): the
# hub's tests connect both plainly and with sslmode=require / verify-full (issue 14, point 10).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3 \
    -subj "/CN=kehoach test PostgreSQL CA" -keyout "$DIR/ca.key" -out "$DIR/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$DIR/server.key" -out "$DIR/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$DIR/server.ext"
openssl x509 -req -in "$DIR/server.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial -days 3 \
    -extfile "$DIR/server.ext" -out "$DIR/server.crt" 2>/dev/null
chmod 600 "$DIR/server.key"
if [ "$(id -u)" = 0 ]; then
    chown postgres "$DIR/server.key" "$DIR/server.crt"
fi

run "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 ||
    { cat "$DIR/initdb.log" >&2; exit 1; }
run "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off \
       -c ssl=on -c ssl_cert_file=$DIR/server.crt -c ssl_key_file=$DIR/server.key" start >&2 ||
    { cat "$DIR/server.log" >&2; exit 1; }

echo "PostgreSQL running in $DIR (stop: $PGBIN/pg_ctl -D $DIR/data stop)" >&2
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
