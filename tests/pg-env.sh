#!/bin/bash
# pg-env.sh — a throwaway PostgreSQL 15 cluster for the tests.
#
#   eval "$(tests/pg-env.sh start DIR)"   start a cluster in DIR (created if
#                                          missing) and export the test URLs
#   tests/pg-env.sh stop DIR               stop it (DIR is left in place)
#
# Sourcing works too (`. tests/pg-env.sh start DIR` exports directly).
#
# The cluster trusts every local connection, listens on 127.0.0.1 only, on a
# free port, with its socket in DIR.  It has two roles besides the superuser
# `postgres`, mirroring a production setup:
#   tandem_owner  LOGIN NOSUPERUSER NOBYPASSRLS CREATEDB — runs migrations
#   tandem_app    LOGIN NOSUPERUSER NOBYPASSRLS          — serves requests
# `start` prints, for eval:
#   export TANDEM_TEST_PG_ADMIN=postgres://postgres@127.0.0.1:PORT/postgres
#   export TANDEM_TEST_PG_OWNER=postgres://tandem_owner@127.0.0.1:PORT
#   export TANDEM_TEST_PG_APP=postgres://tandem_app@127.0.0.1:PORT
# Tests create one database per test (owned by tandem_owner) and append
# /DBNAME to those URLs.  Progress and errors go to stderr.
#
# As root, the cluster runs as the `postgres` OS user (initdb refuses root)
# and DIR is chowned to it; as any other user, it runs as that user.
# PGBIN overrides the server binaries (default /usr/lib/postgresql/15/bin).

pg_env_main () (
  set -euo pipefail

  local action=${1:-}
  local dir=${2:-}
  if [[ -z "$action" || -z "$dir" ]]; then
    echo "usage: pg-env.sh start|stop DIR" >&2
    return 2
  fi

  local pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
  if [[ ! -x "$pgbin/pg_ctl" ]]; then
    echo "pg-env.sh: no PostgreSQL server binaries in $pgbin (set PGBIN)" >&2
    return 1
  fi

  # Run a command as the cluster's OS user.
  as_pg () {
    if [[ $EUID -eq 0 ]]; then
      runuser -u postgres -- "$@"
    else
      "$@"
    fi
  }

  case "$action" in
    start)
      mkdir -p "$dir"
      dir=$(cd "$dir" && pwd)
      if [[ $EUID -eq 0 ]]; then
        chown -R postgres: "$dir"
      fi

      if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_pg "$pgbin/initdb" -D "$dir/data" -U postgres -A trust \
          --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            return 1
          }
      fi

      # Pick a free port; retry when another process takes it first.  A
      # cluster already running in DIR is reused.
      local port="" attempt
      if [[ -f "$dir/port" ]] && as_pg "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        port=$(cat "$dir/port")
      fi
      for attempt in 1 2 3 4 5 6 7 8; do
        [[ -z "$port" ]] || break
        local candidate=$(( 20000 + RANDOM % 30000 ))
        if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
          continue   # something listens there
        fi
        if as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
             -o "-k $dir -p $candidate -c listen_addresses=127.0.0.1 -c fsync=off" \
             start >&2; then
          port=$candidate
          break
        fi
      done
      if [[ -z "$port" ]]; then
        echo "pg-env.sh: could not start PostgreSQL; see $dir/postgres.log" >&2
        tail -n 20 "$dir/postgres.log" >&2 || true
        return 1
      fi
      echo "$port" >"$dir/port"

      local psql="$pgbin/psql"
      [[ -x "$psql" ]] || psql=psql
      "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_owner') THEN
    CREATE ROLE tandem_owner LOGIN NOSUPERUSER NOBYPASSRLS CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_app') THEN
    CREATE ROLE tandem_app LOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;
SQL

      echo "export TANDEM_TEST_PG_ADMIN=postgres://postgres@127.0.0.1:$port/postgres"
      echo "export TANDEM_TEST_PG_OWNER=postgres://tandem_owner@127.0.0.1:$port"
      echo "export TANDEM_TEST_PG_APP=postgres://tandem_app@127.0.0.1:$port"
      ;;

    stop)
      if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
      fi
      rm -f "$dir/port"
      ;;

    *)
      echo "usage: pg-env.sh start|stop DIR" >&2
      return 2
      ;;
  esac
)

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: apply the exports to the calling shell.
  if [[ "${1:-}" == start ]]; then
    __pg_env_out=$(pg_env_main "$@") && eval "$__pg_env_out"
    unset __pg_env_out
  else
    pg_env_main "$@"
  fi
else
  pg_env_main "$@"
fi
