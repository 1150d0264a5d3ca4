#!/usr/bin/env bash
# Delayed-ACK stalls: every call of three workloads timed on one connection
# each (crates/boto/examples/ack_stall.rs), against servers that wait for the
# client's ACK before the rest of an answer goes out (Nagle's algorithm on):
#   * s3s-fs: PUTs, then rounds of five HEADs and a GET of 700 B to 200 KB;
#   * bench/nagle_server.py writing headers and body in two sends from the
#     first answer, and only after ten answers in one send; each over plain
#     HTTP and over TLS (a throwaway CA made with openssl, if present).
# boto-rs acknowledges reads at once only when such a server may be waiting
# (boto-runtime/src/http/ack.rs); a wrong guess shows as a call of 40 ms
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
# The TLS servers need a certificate the client trusts: a throwaway CA and a
# certificate for 127.0.0.1 it signs (openssl; without it, plain HTTP only).
tls=()
if command -v openssl >/dev/null; then
  (
    cd "$work"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
      -subj /CN=ack-stall-ca -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -subj /CN=127.0.0.1 -keyout host.key -out host.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >host.ext
    openssl x509 -req -in host.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
      -extfile host.ext -out host.pem 2>/dev/null
  )
  tls=(tls)
  export AWS_CA_BUNDLE="$work/ca.pem"
else
  echo "ack_stall: no openssl, so no TLS servers (plain HTTP only)" >&2
fi
urls=()
for scheme in plain "${tls[@]}"; do
  for split_after in 0 10; do
    name="$scheme$split_after"
    if [ "$scheme" = tls ]; then
      python3 bench/nagle_server.py "$work/port$name" "$split_after" "$work/host.pem" "$work/host.key" &
    else
      python3 bench/nagle_server.py "$work/port$name" "$split_after" &
    fi
    pids+=($!)
    for _ in $(seq 100); do [ -s "$work/port$name" ] && break; sleep 0.05; done
    proto=http; [ "$scheme" = tls ] && proto=https
    urls+=("$proto://127.0.0.1:$(cat "$work/port$name")")
  done
done
target/release/examples/ack_stall "${urls[@]}"
