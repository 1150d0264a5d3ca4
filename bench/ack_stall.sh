#!/usr/bin/env bash
# Delayed-ACK stalls: every call of three workloads timed on one connection
# each (crates/boto/examples/ack_stall.rs), against servers that wait for the
# client's ACK before the rest of an answer goes out (Nagle's algorithm on):
#   * s3s-fs: PUTs, then rounds of five HEADs and a GET of 700 B to 200 KB;
#   * bench/nagle_server.py writing headers and body in two sends from the
#     first answer, and only after ten answers in one send.
# boto-rs acknowledges reads at once only when such a server may be waiting
# (boto-runtime/src/http/stream.rs); a wrong guess shows as a call of 40 ms
# or more. Fails if any call took longer than LIMIT_MS (default 20).
# Run by hand, like bench/regress.sh; needs .data/s3s (scripts/test.sh
# installs it; `source scripts/lib.sh && setup_s3s` does too).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
lock() { if [ "${BOTO_BUILD_LOCKED:-0}" = 1 ]; then "$@"; else flock /tmp/boto-build.lock "$@"; fi; }

lock cargo build --release -q -p boto --example ack_stall
setup_s3s
start_s3s

work=$(mktemp -d "${TMPDIR:-/tmp}/boto-ack-stall.XXXXXX")
pids=()
prev=$(trap -p EXIT)
prev=${prev#trap -- \'}
prev=${prev%\' EXIT}
# shellcheck disable=SC2064  # expand the directory and the earlier trap now
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf -- "'"$work"'"'"${prev:+; $prev}" EXIT
urls=()
for split_after in 0 10; do
  python3 bench/nagle_server.py "$work/port$split_after" "$split_after" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/port$split_after" ] && break; sleep 0.05; done
  urls+=("http://127.0.0.1:$(cat "$work/port$split_after")")
done
target/release/examples/ack_stall "${urls[@]}"
