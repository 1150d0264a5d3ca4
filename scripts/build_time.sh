#!/usr/bin/env bash
# Measures the clean release build time of the whole workspace (all crates,
# every service's model embedded) into a scratch target directory.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
fetch_data
target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT
step "cargo fetch"
cargo fetch --locked
step "clean release build of the workspace (CARGO_TARGET_DIR=$target, $(nproc) cores)"
start=$(python3 -c "import time; print(time.time())")
CARGO_TARGET_DIR="$target" cargo build --release --locked --workspace --offline
end=$(python3 -c "import time; print(time.time())")
python3 -c "print(\"clean release build: %.1f s\" % ($end - $start))"
