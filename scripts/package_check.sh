#!/usr/bin/env bash
# crates-package: every publishable crate packs with `cargo package` and stays
# under crates.io's 10 MB upload limit. Prints each .crate's size, then
# `crates-package: N passed, M failed`.
#
# `--no-verify` skips rebuilding each package from its tarball (the workspace
# build and tests already compile the same sources); run
# `cargo publish --dry-run --workspace --exclude boto-python` for the full check
# before a release (see README.md, "Using boto-rs from Rust").
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=$((10 * 1000 * 1000))
target=${CARGO_TARGET_DIR:-target}
rm -rf "$target/package"
cargo package --workspace --exclude boto-python --no-verify --allow-dirty --quiet 2>&1 \
  | grep -v -e "manifest has no documentation, homepage or repository" -e "manifest.html#package-metadata" -e "^ *|$" || true
passed=0
failed=0
crates=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p.get("publish") != []:
        print("%s-%s" % (p["name"], p["version"]))')
for c in $crates; do
  f="$target/package/$c.crate"
  if [ ! -f "$f" ]; then
    echo "  FAILED: $c was not packaged"
    failed=$((failed + 1))
    continue
  fi
  size=$(stat -c %s "$f")
  if [ "$size" -lt "$LIMIT" ]; then
    printf '  %-28s %10d bytes\n' "$c.crate" "$size"
    passed=$((passed + 1))
  else
    echo "  FAILED: $c.crate is $size bytes (crates.io's limit is 10 MB)"
    failed=$((failed + 1))
  fi
done
echo "crates-package: $passed passed, $failed failed"
[ "$failed" = 0 ]
