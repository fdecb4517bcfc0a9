#!/usr/bin/env bash
# Two service nodes on one machine, without Docker: one PostgreSQL ledger, a Redis that keeps the Orleans
# cluster's membership, and two `ledger serve` processes that form one cluster (docs/adr/0007-service-clustering.md).
#
#   deploy/two-nodes.sh start    build the CLI, start what is missing, wait until both nodes answer /health,
#                                print their URLs and the admin API key
#   deploy/two-nodes.sh status   what runs, with pids and URLs
#   deploy/two-nodes.sh stop     stop both nodes, Redis, and the PostgreSQL this script started
#
# Environment (all optional):
#   LEDGER_STORE               the ledger's PostgreSQL connection string; default: a throwaway server from
#                              deploy/postgres.sh, stopped again by `stop`
#   LEDGER_TWO_NODES_DIR       state and logs (default ${TMPDIR:-/tmp}/karabakh-ledger-two-nodes)
#   LEDGER_NODE_PORTS          the two HTTP ports (default "5081 5082"), both on 127.0.0.1
#   LEDGER_REDIS_PORT          Redis port (default 6390, 127.0.0.1 only)
#   LEDGER_ADMIN_KEY           the admin API key both nodes accept (default: a random one, kept in the state dir)
# Other keys and roles: export Ledger__Auth__ApiKeys__1__Key=..., Ledger__Auth__ApiKeys__1__Roles=analyst, ...
# (docs/api.md). Needs redis-server (Debian: apt-get install redis-server) and the .NET SDK.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

prog="deploy/two-nodes.sh"
dir="${LEDGER_TWO_NODES_DIR:-${TMPDIR:-/tmp}/karabakh-ledger-two-nodes}"
read -r -a ports <<<"${LEDGER_NODE_PORTS:-5081 5082}"
redis_port="${LEDGER_REDIS_PORT:-6390}"
pg_state="$dir/postgres.env"
cli="src/KarabakhLedger.Cli/bin/Release/net10.0/ledger.dll"

die() { echo "$prog: error: $*" >&2; exit 1; }
info() { echo "$prog: $*" >&2; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() {
    local file="$1" name="$2" pid i
    alive "$file" || { rm -f -- "$file"; return 0; }
    pid="$(cat "$file")"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        info "$name ($pid) did not stop in 10 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f -- "$file"
    info "stopped $name"
}

start_redis() {
    if alive "$dir/redis.pid"; then return; fi
    command -v redis-server >/dev/null 2>&1 || die "no redis-server: apt-get install redis-server"
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
        >"$dir/redis.log" 2>&1 &
    echo $! >"$dir/redis.pid"
    local i
    for i in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && { info "Redis on 127.0.0.1:$redis_port"; return; }
        alive "$dir/redis.pid" || break
        sleep 0.1
    done
    die "Redis did not start (log: $dir/redis.log)"
}

store() {
    if [ -n "${LEDGER_STORE:-}" ]; then
        printf '%s' "$LEDGER_STORE"
    else
        LEDGER_PG_STATE="$pg_state" bash deploy/postgres.sh start
    fi
}

admin_key() {
    if [ -n "${LEDGER_ADMIN_KEY:-}" ]; then
        printf '%s' "$LEDGER_ADMIN_KEY"
        return
    fi
    [ -f "$dir/admin.key" ] || { head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/admin.key"; chmod 600 "$dir/admin.key"; }
    cat "$dir/admin.key"
}

start_node() {
    local n="$1" port="$2" store="$3" key="$4"
    if alive "$dir/node$n.pid"; then return; fi
    Ledger__Auth__ApiKeys__0__Name=admin Ledger__Auth__ApiKeys__0__Key="$key" Ledger__Auth__ApiKeys__0__Roles=admin \
        nohup dotnet "$cli" serve --store "$store" --urls "http://127.0.0.1:$port" \
        --cluster-redis "127.0.0.1:$redis_port" --cluster-id karabakh-ledger-two-nodes \
        >"$dir/node$n.log" 2>&1 &
    echo $! >"$dir/node$n.pid"
}

wait_healthy() {
    local n="$1" port="$2" i
    for i in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
            info "node $n: http://127.0.0.1:$port"
            return
        fi
        alive "$dir/node$n.pid" || die "node $n exited (log: $dir/node$n.log)"
        sleep 0.5
    done
    die "node $n did not answer /health in 60 s (log: $dir/node$n.log)"
}

cmd_start() {
    [ "${#ports[@]}" -eq 2 ] || die "LEDGER_NODE_PORTS must name two ports"
    command -v curl >/dev/null 2>&1 || die "curl is needed to wait for the nodes"
    mkdir -p "$dir"
    info "building the CLI (Release)"
    dotnet build src/KarabakhLedger.Cli -c Release -v quiet -nologo >"$dir/build.log" 2>&1 || die "build failed (log: $dir/build.log)"
    start_redis
    local connection key
    connection="$(store)"
    key="$(admin_key)"
    start_node 1 "${ports[0]}" "$connection" "$key"
    wait_healthy 1 "${ports[0]}"
    start_node 2 "${ports[1]}" "$connection" "$key"
    wait_healthy 2 "${ports[1]}"
    echo "http://127.0.0.1:${ports[0]} http://127.0.0.1:${ports[1]}"
    info "admin key (header X-Api-Key): $key"
    info "try: curl -H 'X-Api-Key: $key' http://127.0.0.1:${ports[1]}/api/cluster"
}

cmd_status() {
    local n running=0
    for n in 1 2; do
        if alive "$dir/node$n.pid"; then
            echo "node $n: pid $(cat "$dir/node$n.pid"), http://127.0.0.1:${ports[$((n - 1))]}"
            running=1
        fi
    done
    alive "$dir/redis.pid" && echo "redis: pid $(cat "$dir/redis.pid"), 127.0.0.1:$redis_port"
    [ -f "$pg_state" ] && LEDGER_PG_STATE="$pg_state" bash deploy/postgres.sh status | sed 's/^/postgres: /'
    [ "$running" -eq 1 ]
}

cmd_stop() {
    stop_pid "$dir/node2.pid" "node 2"
    stop_pid "$dir/node1.pid" "node 1"
    stop_pid "$dir/redis.pid" "Redis"
    if [ -f "$pg_state" ]; then
        LEDGER_PG_STATE="$pg_state" bash deploy/postgres.sh stop >/dev/null && info "stopped PostgreSQL"
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    status) cmd_status ;;
    stop) cmd_stop ;;
    *) echo "usage: $prog start|status|stop" >&2; exit 2 ;;
esac
