#!/usr/bin/env bash
# Throwaway PostgreSQL for tests and developers.
#
#   deploy/postgres.sh start    start one (or reuse the running one); prints exactly one
#                               line on stdout: the Npgsql connection string
#   deploy/postgres.sh env      like start, but prints: export LEDGER_TEST_POSTGRES='...'
#                               (use: eval "$(deploy/postgres.sh env)")
#   deploy/postgres.sh status   prints the connection string if running, else exits 1
#   deploy/postgres.sh stop     stops it and deletes its data (no-op when none is running)
#
# The server listens on 127.0.0.1 only, on a free port, with its data, socket and log in
# a fresh temp dir (fsync on, the default). Database `ledger`, user `postgres`, trust auth.
# Installs Debian's `postgresql` with apt-get if no initdb is found.
#
# Environment:
#   LEDGER_PG_STATE            state file (default ${TMPDIR:-/tmp}/karabakh-ledger-pg.env);
#                              use distinct values to run several instances side by side
#   LEDGER_PG_MAX_CONNECTIONS  max_connections (default 300)
set -euo pipefail

prog="deploy/postgres.sh"
state="${LEDGER_PG_STATE:-${TMPDIR:-/tmp}/karabakh-ledger-pg.env}"
db_name="ledger"
max_connections="${LEDGER_PG_MAX_CONNECTIONS:-300}"

die() { echo "$prog: error: $*" >&2; exit 1; }
info() { echo "$prog: $*" >&2; }

usage() {
    echo "usage: $prog start|stop|env|status" >&2
    exit 2
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as the owner of the cluster (postgres when we are root, else ourselves).
as_owner() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

find_bindir() {
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] || continue
        # Prefer 15; otherwise the highest installed major version.
        if [ "$d" = /usr/lib/postgresql/15/bin ]; then best="$d"; break; fi
        if [ -z "$best" ] || [ "$(basename "$(dirname "$d")")" -gt "$(basename "$(dirname "$best")")" ] 2>/dev/null; then
            best="$d"
        fi
    done
    printf '%s' "$best"
}

install_postgres() {
    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and we are not root: install it with 'apt-get install postgresql'"
        sudo=(sudo -n)
    fi
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is not available"
    info "PostgreSQL not found; installing it with apt-get (takes a minute)"
    {
        "${sudo[@]}" apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql
    } >&2 || die "apt-get install postgresql failed"
}

conn_string() { printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=postgres' "$1" "$db_name"; }

# Picks a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
    local p i
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return
    fi
    for i in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"; return
        fi
    done
    die "could not find a free TCP port on 127.0.0.1"
}

# Loads the state file into PG_* variables; returns 1 if there is none.
load_state() {
    [ -f "$state" ] || return 1
    PG_DIR="" PG_BIN="" PG_PORT=""
    # shellcheck disable=SC1090
    . "$state"
    [ -n "$PG_DIR" ] && [ -n "$PG_BIN" ] && [ -n "$PG_PORT" ] || { info "ignoring malformed state file $state"; return 1; }
}

is_running() {
    [ -f "$PG_DIR/data/postmaster.pid" ] &&
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d "$db_name" -U postgres -t 2 >/dev/null 2>&1
}

safe_rm_dir() {
    local d="$1"
    case "$(basename "$d")" in
        karabakh-ledger-pg.*) rm -rf -- "$d" ;;
        *) info "not deleting unexpected directory '$d'" ;;
    esac
}

stop_instance() {
    if [ -d "$PG_DIR/data" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            local pid
            pid="$(head -n1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                info "pg_ctl stop failed; sending SIGQUIT to postmaster $pid"
                kill -QUIT "$pid" 2>/dev/null || true
                sleep 1
            fi
        fi
    fi
    safe_rm_dir "$PG_DIR"
    rm -f -- "$state"
}

cmd_start() {
    # Reuse a running instance (start is idempotent); clean up a stale one.
    if load_state; then
        if is_running; then
            conn_string "$PG_PORT"; echo
            return
        fi
        info "removing stale instance from $state (was on port $PG_PORT)"
        stop_instance
    fi

    local bindir
    bindir="$(find_bindir)"
    if [ -z "$bindir" ]; then
        install_postgres
        bindir="$(find_bindir)"
        [ -n "$bindir" ] || die "apt-get installed postgresql, but no /usr/lib/postgresql/*/bin/initdb exists"
    fi

    if is_root; then
        id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user to run the server (PostgreSQL refuses to run as root)"
    fi

    # Temp dir: its parent must be reachable by the postgres user; fall back to /tmp.
    local parent="${TMPDIR:-/tmp}"
    if is_root && ! runuser -u postgres -- test -w "$parent" -a -x "$parent" 2>/dev/null; then
        parent=/tmp
    fi
    local dir
    dir="$(mktemp -d "$parent/karabakh-ledger-pg.XXXXXX")" || die "cannot create a temp dir in $parent"
    PG_DIR="$dir" PG_BIN="$bindir" PG_PORT=""
    # On any failure below, remove what we made.
    trap 'rc=$?; if [ $rc -ne 0 ]; then
              if [ -f "$PG_DIR/log" ]; then echo "--- tail of $PG_DIR/log ---" >&2; tail -n 20 "$PG_DIR/log" >&2 || true; fi
              stop_instance >/dev/null 2>&1 || true
          fi' EXIT
    if is_root; then chown postgres: "$dir"; fi
    chmod 700 "$dir"

    if ! as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        die "initdb failed"
    fi

    local attempt port=""
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        cat >>"$dir/data/postgresql.conf" <<EOF
# added by $prog
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = $max_connections
EOF
        # fd 9 (the start lock) must not leak into the long-lived server.
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >/dev/null 2>&1 9>&-; then
            PG_PORT="$port"
            break
        fi
        if grep -qiE 'could not (bind|create listen socket)|address already in use' "$dir/log" 2>/dev/null; then
            info "port $port was taken; retrying with another one"
            continue
        fi
        die "pg_ctl start failed (log: $dir/log)"
    done
    [ -n "$PG_PORT" ] || die "could not start PostgreSQL on a free port after 5 attempts"

    local i
    for i in $(seq 1 60); do
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -t 2 >/dev/null 2>&1; then break; fi
        [ "$i" -lt 60 ] || die "PostgreSQL did not become ready on port $PG_PORT"
        sleep 0.25
    done

    "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db_name" >&2 || die "createdb $db_name failed"

    local tmpstate="$state.tmp.$$"
    {
        echo "# written by $prog; remove with '$prog stop'"
        printf 'PG_DIR=%q\n' "$PG_DIR"
        printf 'PG_BIN=%q\n' "$PG_BIN"
        printf 'PG_PORT=%q\n' "$PG_PORT"
        printf 'LEDGER_TEST_POSTGRES=%q\n' "$(conn_string "$PG_PORT")"
    } >"$tmpstate"
    mv -f -- "$tmpstate" "$state"
    trap - EXIT

    conn_string "$PG_PORT"; echo
}

cmd_stop() {
    if ! load_state; then
        info "no instance recorded in $state; nothing to stop"
        return 0
    fi
    stop_instance
    info "stopped (port $PG_PORT) and removed $PG_DIR"
}

cmd_status() {
    if load_state && is_running; then
        conn_string "$PG_PORT"; echo
    else
        info "not running (state file: $state)"
        return 1
    fi
}

cmd_env() {
    local cs
    cs="$(cmd_start)"
    printf "export LEDGER_TEST_POSTGRES='%s'\n" "$cs"
}

[ $# -eq 1 ] || usage

mkdir -p -- "$(dirname -- "$state")"
# Serialise concurrent start/stop calls that share one state file.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$state.lock"
    flock -w 120 9 || die "timed out waiting for the lock $state.lock"
fi

case "$1" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    env) cmd_env ;;
    status) cmd_status ;;
    -h|--help|help) usage ;;
    *) usage ;;
esac
