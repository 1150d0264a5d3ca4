#!/usr/bin/env bash
# The whole test suite, from a fresh clone: fetch pinned data, lint, run every test.
# Needs only the Rust toolchain and Python 3. See README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

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
step "fuzz (bounded: 100,000 executions per target, see fuzz/README.md)"
./scripts/fuzz.sh
step "conformance summary"
grep -E "^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed" .data/test-output.log || true
