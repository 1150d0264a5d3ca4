#!/usr/bin/env bash
# Builds the boto_rs Python package (python/) into the test venv and runs
# python/tests: the same scenarios with boto3 1.43.67 and with boto_rs against
# one moto server, results compared. Prints `python-compat: N passed, M failed`.
# Needs moto running (BOTO_TEST_ENDPOINT): run it as
#   ./scripts/with_servers.sh scripts/python_tests.sh
# The extension is built with the dev profile into ./target (sharing build
# scripts and proc-macros with the workspace's clippy/test builds, and no
# second release build of the workspace). Set BOTO_BUILD_LOCK to a lock file
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

step "building boto_rs (maturin, dev profile, target dir ./target)"
rm -rf .data/wheels
lock=()
[ -z "${BOTO_BUILD_LOCK:-}" ] || lock=(flock "$BOTO_BUILD_LOCK")
export PY
# Timed inside the lock: the figure is the build alone, not the wait for the lock.
CARGO_TARGET_DIR="$PWD/target" "${lock[@]}" bash -c '
  start=$(date +%s)
  "$(dirname "$PY")/maturin" build --quiet --manifest-path python/Cargo.toml --profile dev \
    --locked --interpreter "$PY" --out .data/wheels
  echo "boto_rs build: $(( $(date +%s) - start )) s"'
"$PY" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall .data/wheels/boto_rs-*.whl

step "python-compat: boto3 vs boto_rs on moto at $BOTO_TEST_ENDPOINT"
cd python/tests
"$PY" -m pytest -q -p no:cacheprovider "$@"
