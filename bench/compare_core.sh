#!/usr/bin/env bash
# boto-rs vs botocore 1.43.67 (the release whose models boto-rs embeds) on the
# core code paths, side by side from one run:
#   * first client: a fresh process that creates one client (process start +
#     model load + endpoint rules + client), wall clock, median of RUNS runs,
#     both timed by the same Python timer;
#   * cold model load (s3, ec2), DynamoDB GetItem validate+serialize and parse,
#     S3 ListObjectsV2 parse (1,000 keys), S3 GetObject presigning (per URL),
#     endpoint resolution (rule set alone / everything a client does before
#     signing): median of timed batches after a warm-up, in process.
# What each side runs exactly: crates/boto/examples/bench_core.rs and
# bench/botocore_core.py (module docs). Both parse the identical bodies written
# by `bench_core gen-xml`. botocore runs pure Python (no awscrt) from its own
# venv, .data/venv-botocore, created on first use. Env: RUNS (default 7).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
SERVICES="s3 dynamodb ec2"

# Hermetic AWS settings for both sides: no config files, no IMDS, no env keys.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_DEFAULT_REGION AWS_REGION BOTO_DATA_PATH AWS_DATA_PATH 2>/dev/null || true

echo "==> building boto-rs (release, example bench_core)" >&2
cargo build --release -q -p boto --example bench_core
BIN=target/release/examples/bench_core

out=$(mktemp -d "${TMPDIR:-/tmp}/boto-core-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$BIN" gen-xml "$out"
# Installs botocore 1.43.67 into .data/venv-botocore if needed; prints its python.
PY=$(python3 bench/botocore_core.py setup)

echo "==> first client, $RUNS process runs per service" >&2
for svc in $SERVICES; do
  "$PY" bench/botocore_core.py first-client "$svc" "$RUNS" >>"$out/botocore.tsv"
  "$PY" bench/botocore_core.py time-process "first client $svc (process)" "$RUNS" \
    "$BIN" first-client "$svc" >>"$out/rs.tsv"
done
echo "==> in-process micro-benchmarks" >&2
"$PY" bench/botocore_core.py micro "$out" >>"$out/botocore.tsv"
"$BIN" micro "$out" >>"$out/rs.tsv"

python3 - "$out/botocore.tsv" "$out/rs.tsv" "$("$PY" -c 'import botocore; print(botocore.__version__)')" <<'EOF'
import os, platform, sys

def read(path):
    rows = {}
    for line in open(path):
        name, us = line.rstrip("\n").split("\t")
        rows[name] = float(us)
    return rows

def fmt(us):
    if us >= 10_000:
        return f"{us / 1000:,.1f} ms"
    if us >= 1_000:
        return f"{us / 1000:,.2f} ms"
    if us >= 100:
        return f"{us:,.0f} µs"
    if us >= 10:
        return f"{us:,.1f} µs"
    return f"{us:,.2f} µs"

py, rs = read(sys.argv[1]), read(sys.argv[2])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(f"botocore {sys.argv[3]} (Python {platform.python_version()}) vs boto-rs (release); "
      f"{os.cpu_count()} CPUs, {cpu}; median times, ratio = botocore / boto-rs")
print()
print("| measurement | botocore | boto-rs | ratio |")
print("|---|---:|---:|---:|")
for name in list(py) + [n for n in rs if n not in py]:
    b, r = py.get(name), rs.get(name)
    ratio = f"{b / r:,.1f}×" if b and r else "–"
    print(f"| {name} | {fmt(b) if b else '–'} | {fmt(r) if r else '–'} | {ratio} |")
EOF
