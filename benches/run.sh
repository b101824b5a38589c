#!/bin/sh
# Samsyn side by side with a Node.js ws server, a Socket.IO server and the kernel's cost per write
# (docs/performance.md, "Side by side"). Builds the release binaries, installs the pinned Node packages,
# then runs the benchmark. Options go to samsyn-bench: --quick (under two minutes), --write-docs
# (replace that section of docs/performance.md), --only samsyn,ws,socketio,floor.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --bins
(cd benches/node && npm ci --no-audit --no-fund --loglevel=error)
exec target/release/samsyn-bench "$@"
