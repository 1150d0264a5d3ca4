#!/usr/bin/env bash
# The whole test suite, from a fresh clone: fetch pinned data, lint, run every test.
# Needs only the Rust toolchain and Python 3. See README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# One clean build: incremental caches would only cost disk (GBs) and time.
export CARGO_INCREMENTAL=0
echo "disk before the run: $(df -h . | awk 'NR==2 {print $4 " free of " $2}')"

fetch_data
setup_venv
setup_awscli
setup_s3s
start_moto
start_s3s

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test (unit, conformance suites, integration against moto at $BOTO_TEST_ENDPOINT and s3s-fs at $BOTO_TEST_S3S_ENDPOINT)"
cargo test --workspace --locked --no-fail-fast 2>&1 | tee .data/test-output.log
step "boto_rs Python package vs boto3 (python/tests, moto at $BOTO_TEST_ENDPOINT)"
./scripts/python_tests.sh 2>&1 | tee -a .data/test-output.log
step "models: the committed model crates equal a fresh build from the pinned wheels"
python3 scripts/update_models.py --check 2>&1 | tee -a .data/test-output.log
step "cargo doc (zero warnings; doc tests ran with cargo test)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude boto-python --no-deps --locked --quiet
step "crates: cargo package, each under crates.io's 10 MB"
./scripts/package_check.sh 2>&1 | tee -a .data/test-output.log
step "boto as a dependency with only the s3 feature (throwaway crate, release build)"
./scripts/feature_subset.sh 2>&1 | tee -a .data/test-output.log
step "fuzz (bounded: 100,000 executions per target, see fuzz/README.md)"
./scripts/fuzz.sh
step "conformance summary"
echo "disk after the run: $(df -h . | awk 'NR==2 {print $4 " free"}'), target: $(du -sh "${CARGO_TARGET_DIR:-target}" 2>/dev/null | cut -f1)"
grep -E "^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed" .data/test-output.log || true
