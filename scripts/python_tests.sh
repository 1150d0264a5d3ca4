#!/usr/bin/env bash
# Builds the boto_rs Python package (python/) into the test venv and runs
# python/tests: the same scenarios with boto3 1.43.67 and with boto_rs against
# one moto server, results compared. Prints `python-compat: N passed, M failed`.
# Needs moto running (BOTO_TEST_ENDPOINT): run it as
#   ./scripts/with_servers.sh scripts/python_tests.sh
# The extension is built with cargo's `test` profile into ./target: after
# `cargo test --workspace` (scripts/test.sh) every dependency is reused (same
# profile, same features; see python/Cargo.toml), so only PyO3 and the
# extension compile; no second release build of the workspace. With
# BOTO_PY_WHEEL=1 it is built the user's way instead (pip install ./python). Set BOTO_BUILD_LOCK to a lock file
# to serialise the cargo build with other builds on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

: "${BOTO_TEST_ENDPOINT:?start moto first: ./scripts/with_servers.sh scripts/python_tests.sh}"
[ -n "${BOTO_TEST_PYTHON:-}" ] || setup_venv
PY="$BOTO_TEST_PYTHON"
VENV_BIN=$(dirname "$PY")

want=$(cat python/requirements-build.txt python/requirements-test.txt | python3 -c "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())")
stamp="$VENV_BIN/../.python-requirements-sha256"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  step "installing maturin and pytest into the test venv (python/requirements-*.txt)"
  "$PY" -m pip install --quiet --disable-pip-version-check \
    -r python/requirements-build.txt -r python/requirements-test.txt
  echo "$want" > "$stamp"
fi

lock=()
[ -z "${BOTO_BUILD_LOCK:-}" ] || lock=(flock "$BOTO_BUILD_LOCK")
# A stage directory per run: two runs at once (two checkouts' helpers, a
# developer and CI) must not delete each other's staged package.
mkdir -p .data
stage=$(mktemp -d "$PWD/.data/boto_rs-stage.XXXXXX")
prev_trap=$(trap -p EXIT)
prev_trap=${prev_trap#trap -- \'}
prev_trap=${prev_trap%\' EXIT}
trap "rm -rf -- '$stage'${prev_trap:+; $prev_trap}" EXIT
if [ -n "${BOTO_PY_WHEEL:-}" ]; then
  # The user's path: pip builds a release wheel through maturin (PEP 517) and installs it.
  step "building and installing boto_rs with pip install ./python (release profile)"
  start=$(date +%s)
  PATH="$VENV_BIN:$PATH" CARGO_TARGET_DIR="$PWD/target" "${lock[@]}" "$PY" -m pip install --quiet \
    --disable-pip-version-check --no-build-isolation --force-reinstall ./python
  echo "boto_rs build (pip install ./python, release): $(( $(date +%s) - start )) s"
else
  # CI's path: the same extension, built with the `test` profile so that it
  # reuses what `cargo test --workspace` compiled (same profile and features;
  # see python/Cargo.toml), staged as the wheel would lay it out.
  step "building the boto_rs extension (cargo build --profile test, target dir ./target)"
  "$PY" -m pip uninstall --quiet --yes boto_rs >/dev/null 2>&1 || true
  export CARGO_TARGET_DIR="$PWD/target"
  "${lock[@]}" bash -c '
    start=$(date +%s)
    cargo build --quiet --profile test -p boto-python --lib --locked --features pyo3/extension-module
    echo "boto_rs build: $(( $(date +%s) - start )) s"'
  # The whole package tree (subpackages such as dynamodb/, s3/, aio/ included),
  # without bytecode caches or a stale extension from a local maturin develop.
  cp -R python/boto_rs "$stage/boto_rs"
  find "$stage/boto_rs" \( -name __pycache__ -o -name '_core*.so' -o -name '_core*.pyd' \) -prune -exec rm -rf {} +
  cp target/debug/lib_core.so "$stage/boto_rs/_core.abi3.so"
  export PYTHONPATH="$stage${PYTHONPATH:+:$PYTHONPATH}"
fi

step "python-compat: boto3 vs boto_rs on moto at $BOTO_TEST_ENDPOINT"
cd python/tests
"$PY" -m pytest -q -p no:cacheprovider "$@"
