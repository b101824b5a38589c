#!/bin/sh
# Samsyn on several nodes: starts a PostgreSQL and a Redis of its own (in a temp folder, on spare ports),
# NODES release nodes on them, and runs samsyn-load with PARTICIPANTS phones in one session spread round
# robin over the nodes (the session runs on the first; the others relay). Prints samsyn-load's report.
#   benches/multinode.sh [PARTICIPANTS] [NODES] [extra samsyn-load options]
# Needs redis-server and PostgreSQL (initdb, pg_ctl); as root PostgreSQL runs as the postgres user.
set -eu
cd "$(dirname "$0")/.."
participants=${1:-10000}
nodes=${2:-2}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
cargo build --release --bins >&2

pgbin=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -n 1)")
work=$(mktemp -d)
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    as_pg "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

[ "$(id -u)" = 0 ] && chown postgres "$work"
pg_port=$(port)
as_pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg" -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg" -l "$work/pg/log" -w start >/dev/null
redis_port=$(port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >/dev/null &
pids="$pids $!"
sleep 0.5

urls=""
node_pids=""
i=0
while [ "$i" -lt "$nodes" ]; do
    RUST_LOG=warn target/release/samsyn --addr 127.0.0.1:0 --postgres-url "postgres://postgres@127.0.0.1:$pg_port/postgres" \
        --redis-url "redis://127.0.0.1:$redis_port" --allow-anonymous > "$work/node$i.out" 2> "$work/node$i.log" &
    pids="$pids $!"
    node_pids="$node_pids $!"
    while ! grep -q "http://" "$work/node$i.out" 2>/dev/null; do sleep 0.1; done
    url=$(grep -o 'http://[0-9.:]*' "$work/node$i.out" | head -n 1)
    urls="$urls --url $url"
    echo "node $i: $url" >&2
    i=$((i + 1))
done
owner=$(echo $node_pids | cut -d' ' -f1)
# The report's server figures are the first node's (it runs the session); the others' memory follows.
# shellcheck disable=SC2086
target/release/samsyn-load $urls --participants "$participants" --server-pid "$owner" --json "$@"
i=0
for pid in $node_pids; do
    echo "node $i: peak resident memory $(grep VmHWM /proc/$pid/status | tr -s ' ' | cut -d' ' -f2-), CPU $(ps -o times= -p $pid | tr -d ' ') s" >&2
    i=$((i + 1))
done
