#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite (installing Debian's postgresql if it is
# missing) and print its DATABASE_URL. Idempotent: a server already running is reused.
set -euo pipefail
PGPORT=${NEWINFRA_PGPORT:-55432}
DATA=${NEWINFRA_PGDATA:-/tmp/newinfra-pg}

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing postgresql from Debian's packages…" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# PostgreSQL refuses to run as root: run it as the postgres user then.
if [ "$(id -u)" = 0 ]; then as_pg() { su postgres -s /bin/sh -c "$*"; }; OWNER=postgres; else as_pg() { sh -c "$*"; }; OWNER=$(id -un); fi

if [ ! -s "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  chown "$OWNER" "$DATA"
  as_pg "$PGBIN/initdb -D $DATA -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
fi
if ! as_pg "$PGBIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl -D $DATA -l $DATA/server.log -w -o \"-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" start" >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PGPORT/newinfra"
