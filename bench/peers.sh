#!/usr/bin/env bash
# boto-rs vs aws-sdk-rust vs a bare hyper client (and boto3) on one local
# keep-alive canned server, side by side from one run (issue 14):
#   * client CPU per call (getrusage; median of RUNS runs of CALLS calls, one
#     task, the three clients' runs alternating), for DynamoDB GetItem, S3
#     HeadObject and ListObjectsV2 (1,000 keys, CALLS/10 calls);
#   * calls/s with 1 and 64 concurrent tasks on one client;
#   * first client in a new process (process start to first GetItem answered,
#     wall clock, median of RUNS);
#   * RSS after 20 clients that made one call each;
#   * stripped binary size of a program doing GetItem + HeadObject.
# The server and the client are pinned to different CPUs with taskset when the
# machine has two, so the figures are stable on a shared VM. boto3's column is
# unpinned (its own venv, .data/venv, the test venv).
# The Rust side is bench/peers (outside the workspace: the AWS SDK crates are
# compiled only here, into target/peers). Env: CALLS (10000), RUNS (15:
# one round's boto-rs/bare ratio strays ±0.1 from the run's, as far as the
# 1.5x target's margin, so the median needs that many rounds to settle;
# about six minutes),
# LTO (0; 1 builds every client with fat LTO and one codegen unit, as a
# speed-tuned release profile of the calling program would, into
# target/peers-lto), ALLOC (glibc; `mimalloc` links every client with
# mimalloc as the global allocator; the next run without it relinks).
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-10000}
RUNS=${RUNS:-15}
LTO=${LTO:-0}
ALLOC=${ALLOC:-glibc}
if [ "$LTO" = 1 ]; then
  export CARGO_TARGET_DIR="$PWD/target/peers-lto"
  export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
  profile="release, fat LTO, one codegen unit (LTO=1)"
else
  export CARGO_TARGET_DIR="$PWD/target/peers"
  profile="release (bench/peers/Cargo.toml)"
fi
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_DEFAULT_REGION AWS_REGION BOTO_DATA_PATH AWS_DATA_PATH 2>/dev/null || true

features=()
case $ALLOC in
  glibc) ;;
  mimalloc)
    features=(--features mimalloc)
    profile="$profile, mimalloc (ALLOC=mimalloc)"
    ;;
  *) echo "peers.sh: ALLOC is glibc or mimalloc, not '$ALLOC'" >&2; exit 2 ;;
esac
echo "==> building bench/peers (release; first build compiles aws-sdk-s3 and aws-sdk-dynamodb)" >&2
cargo build --release --quiet --manifest-path bench/peers/Cargo.toml "${features[@]}"
BIN=$CARGO_TARGET_DIR/release

srv_pin=()
cli_pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  srv_pin=(taskset -c 1)
  cli_pin=(taskset -c 0)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/boto-peers.XXXXXX")
"${srv_pin[@]}" "$BIN/peers" server "$work/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
URL="http://127.0.0.1:$(cat "$work/port")"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

PY=""
[ -x .data/venv/bin/python ] && .data/venv/bin/python -c "import boto3" 2>/dev/null && PY=.data/venv/bin/python

declare -A cpu rate1 rate64 spread
for op in getitem headobject list; do
  n=$CALLS
  [ "$op" = list ] && n=$((CALLS / 10))
  # The runs of the three clients alternate (bare, boto, sdk, bare, ...), so
  # each client's median comes from the same minutes: run back to back, a
  # drift of the host between one client's runs and the next's moved the
  # ratio by several hundredths (session 26).
  declare -A runs=()
  for r in $(seq "$RUNS"); do
    for imp in bare boto sdk; do
      runs[$imp,$r]=$("${cli_pin[@]}" "$BIN/peers" client "$imp" "$op" "$n" 1 "$URL" | field cpu_us_per_call)
    done
  done
  for imp in bare boto sdk; do
    cpu[$imp,$op]=$(for r in $(seq "$RUNS"); do echo "${runs[$imp,$r]}"; done | median)
  done
  # The boto-rs / bare ratio of each round (adjacent runs): its range shows
  # how far one round's ratio strays from the ratio of the medians.
  # Counted against issue 14's targets: 1.5x on small calls, 15x on the listing.
  target=1.5
  [ "$op" = list ] && target=15
  spread[$op]=$(for r in $(seq "$RUNS"); do
    awk -v a="${runs[boto,$r]}" -v b="${runs[bare,$r]}" 'BEGIN { printf "%.2f\n", a / b }'
  done | sort -n | awk -v t="$target" '{a[NR] = $1; over += ($1 > t)}
    END {printf "median %s, %s-%s, %d of %d above %sx", a[int((NR + 1) / 2)], a[1], a[NR], over, NR, t}')
  for imp in bare boto sdk; do
    rate1[$imp,$op]=$("${cli_pin[@]}" "$BIN/peers" client "$imp" "$op" "$n" 1 "$URL" | field calls_per_s)
    rate64[$imp,$op]=$("${cli_pin[@]}" "$BIN/peers" client "$imp" "$op" "$n" 64 "$URL" | field calls_per_s)
    echo "  $imp $op: ${cpu[$imp,$op]} us/call, ${rate1[$imp,$op]} calls/s (1 task), ${rate64[$imp,$op]} calls/s (64 tasks)" >&2
  done
  if [ -n "$PY" ]; then
    m=$((n / 10))
    cpu[boto3,$op]=$("$PY" bench/peers_boto3.py "$URL" "$op" "$m" | field cpu_us_per_call)
    echo "  boto3 $op: ${cpu[boto3,$op]} us/call" >&2
  else
    cpu[boto3,$op]="-"
  fi
done

declare -A first rss
for imp in bare boto sdk; do
  first[$imp]=$(for _ in $(seq "$RUNS"); do
    s=$(date +%s%N)
    "${cli_pin[@]}" "$BIN/peers" first-client "$imp" "$URL"
    e=$(date +%s%N)
    echo "scale=1; ($e - $s) / 1000000" | bc
  done | median)
  rss[$imp]=$("${cli_pin[@]}" "$BIN/peers" rss "$imp" "$URL" | field rss_kib)
done

# Two decimals, rounded: the targets sit at 1.5x, where bc's truncation to one decimal hid 1.56.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "Client CPU per call (µs, median of $RUNS × $CALLS calls; listing $((CALLS / 10)) calls), server and client pinned: ${srv_pin[*]:-no} / ${cli_pin[*]:-no}; profile: $profile"
echo
echo "| client | GetItem | HeadObject | ListObjectsV2, 1,000 keys |"
echo "|---|---|---|---|"
for imp in boto sdk bare boto3; do
  name=$imp
  case $imp in boto) name="boto-rs";; sdk) name="aws-sdk-rust";; bare) name="bare hyper client (same bytes)";; boto3) name="boto3 1.43.67 (unpinned)";; esac
  echo "| $name | ${cpu[$imp,getitem]} | ${cpu[$imp,headobject]} | ${cpu[$imp,list]} |"
done
echo
echo "boto-rs / bare: GetItem $(ratio "${cpu[boto,getitem]}" "${cpu[bare,getitem]}")x, HeadObject $(ratio "${cpu[boto,headobject]}" "${cpu[bare,headobject]}")x, listing $(ratio "${cpu[boto,list]}" "${cpu[bare,list]}")x"
echo "  (each round's ratio of adjacent runs: GetItem ${spread[getitem]}, HeadObject ${spread[headobject]}; listing ${spread[list]})"
echo "aws-sdk-rust / boto-rs: GetItem $(ratio "${cpu[sdk,getitem]}" "${cpu[boto,getitem]}")x, HeadObject $(ratio "${cpu[sdk,headobject]}" "${cpu[boto,headobject]}")x, listing $(ratio "${cpu[sdk,list]}" "${cpu[boto,list]}")x"
echo
echo "| client | GetItem calls/s, 1 task | 64 tasks | first client in a new process (ms) | RSS after 20 clients (MiB) | stripped binary, GetItem+HeadObject (MB) |"
echo "|---|---|---|---|---|---|"
for imp in boto sdk bare; do
  size="-"
  [ "$imp" = boto ] && size=$(echo "scale=2; $(stat -c %s "$BIN/size_boto") / 1000000" | bc)
  [ "$imp" = sdk ] && size=$(echo "scale=2; $(stat -c %s "$BIN/size_sdk") / 1000000" | bc)
  echo "| $imp | ${rate1[$imp,getitem]} | ${rate64[$imp,getitem]} | ${first[$imp]} | $(echo "scale=1; ${rss[$imp]} / 1024" | bc) | $size |"
done
