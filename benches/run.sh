#!/bin/sh
# Samsyn side by side with a Node.js ws server, a Socket.IO server, a Bun server and the kernel's cost per
# write (docs/performance.md, "Side by side"). Builds the release binaries, installs the pinned Node and Bun
# packages, then runs the benchmark. Options go to samsyn-bench: --quick (about two and a half minutes),
# --write-docs (replace that section of docs/performance.md), --only samsyn,ws,socketio,bun,floor,
# --steps 2,3,5. Honours CARGO_TARGET_DIR.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --bins
(cd benches/node && npm ci --no-audit --no-fund --loglevel=error)
# The `bun` package brings Bun's binary for this platform (node_modules/.bin/bun).
(cd benches/bun && npm ci --no-audit --no-fund --loglevel=error)
exec "${CARGO_TARGET_DIR:-target}/release/samsyn-bench" "$@"
