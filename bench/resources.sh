#!/usr/bin/env bash
# Resource-collection iteration, boto-rs vs boto3 1.43.67, side by side in one
# run against one s3s-fs whose root is on tmpfs (/dev/shm): N objects (default
# 10,000) are seeded under a prefix (plus N/100 outside it) through the boto-rs
# client, 64 PUTs in flight; then each client iterates
#   boto3:   for o in bucket.objects.filter(Prefix=p): o.key, o.size
#   boto-rs: bucket.collection("objects")?.filter(params!{"Prefix": p}).items()
#            reading id_str("key") and attr("size") of each (async stream, and
#            the boto_resources::blocking iterator)
# — 10 ListObjects pages of 1,000. Each client checks it saw N keys and the
# expected total size.
#
# Columns (median of RUNS process runs, tools interleaved per run):
#   iter CPU s  user+sys of the iteration alone, measured in-process with
#               getrusage before/after (resource.getrusage in Python, libc
#               getrusage in crates/boto-resources/examples/resources_bench.rs),
#               i.e. after imports, session and resource creation;
#   proc CPU s  user+sys of the whole process (wait4's rusage), startup included;
#   wall s      the iteration's wall time (s3s-fs listing is the slow part);
#   server CPU  s3s-fs user+sys during the process (from /proc/<pid>/stat);
#   RSS MiB     client peak RSS.
# The per-run lines print the same columns.
# The ratio lines divide boto3's median by boto-rs's.
#
# Where boto-rs's iteration CPU goes (callgrind on the async example,
# 10,000 objects, ~270 M instructions): ~47% the client call (HTTP, XML
# parsing), ~39% boto-runtime's paginator (its output token
# `NextMarker || Contents[-1].Key` converts every whole page for JMESPath,
# and the `Contents` result key is cloned just to count it), ~14%
# boto-resources (building the ObjectSummary resources, attribute reads).
#
# Builds the example in release mode under /tmp/boto-build.lock unless
# BOTO_BUILD_LOCKED=1 (set it when the whole script already runs under the
# lock). Env: N (objects, default 10000), RUNS (default 5), PREFIX (default
# data/), TOOLS (default "boto-rs boto-rs-blocking boto3").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

N=${N:-10000}
RUNS=${RUNS:-5}
PREFIX=${PREFIX:-data/}
TOOLS=${TOOLS:-"boto-rs boto-rs-blocking boto3"}

lock() { if [ "${BOTO_BUILD_LOCKED:-0}" = 1 ]; then "$@"; else flock /tmp/boto-build.lock "$@"; fi; }

setup_venv
setup_s3s
"$BOTO_TEST_PYTHON" -c 'import boto3, botocore, sys; print("boto3", boto3.__version__, "botocore", botocore.__version__); sys.exit((boto3.__version__, botocore.__version__) != ("1.43.67",) * 2)' \
  || { echo "bench/resources.sh: the test venv must have boto3/botocore 1.43.67" >&2; exit 1; }
step "building the resources_bench example (release)"
lock cargo build --release -q -p boto-resources --example resources_bench
EX="$PWD/target/release/examples/resources_bench"

export TMPDIR=/dev/shm
start_s3s
EP="$BOTO_TEST_S3S_ENDPOINT"
work=$(mktemp -d /dev/shm/boto-resources-bench.XXXXXX)
prev=$(trap -p EXIT)
prev=${prev#trap -- \'}
prev=${prev%\' EXIT}
# shellcheck disable=SC2064  # expand now; keep start_s3s's cleanup
trap "rm -rf -- $work${prev:+; $prev}" EXIT

unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_OUTPUT 2>/dev/null || true
export AWS_ACCESS_KEY_ID="$BOTO_TEST_S3S_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$BOTO_TEST_S3S_SECRET_KEY"
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

BUCKET="bench-resources-$$"
step "seeding $N objects under $PREFIX (+ $((N / 100)) outside it) in $BUCKET"
t0=$(date +%s.%N)
"$EX" seed "$EP" "$BUCKET" "$PREFIX" "$N"
echo "seeded in $(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')") s"
want_bytes=$(python3 -c "print(sum(i % 1000 for i in range($N)))")

ticks=$(getconf CLK_TCK)
server_cpu() { awk -v t="$ticks" '{printf "%.3f", ($14 + $15) / t}' "/proc/$S3S_PID/stat"; }
# timed <file> <command...>: runs the command and writes "wall user sys maxrss_kib"
# from wait4's rusage (microsecond resolution, unlike /usr/bin/time's 10 ms).
timed() {
  python3 -c '
import os, subprocess, sys, time
t = time.monotonic()
p = subprocess.Popen(sys.argv[2:])
_, status, ru = os.wait4(p.pid, 0)
open(sys.argv[1], "w").write(f"{time.monotonic() - t:.4f} {ru.ru_utime:.4f} {ru.ru_stime:.4f} {ru.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status))
' "$@"
}
results="$work/results.txt"
: >"$results"

for run in $(seq 1 "$RUNS"); do
  for tool in $TOOLS; do
    case $tool in
      boto-rs) cmd=("$EX" iterate "$EP" "$BUCKET" "$PREFIX") ;;
      boto-rs-blocking) cmd=("$EX" iterate-blocking "$EP" "$BUCKET" "$PREFIX") ;;
      boto3) cmd=("$BOTO_TEST_PYTHON" bench/resources_boto3.py "$EP" "$BUCKET" "$PREFIX") ;;
      *) echo "unknown tool $tool" >&2; exit 2 ;;
    esac
    s0=$(server_cpu)
    timed "$work/time.txt" "${cmd[@]}" >"$work/out.json" 2>"$work/err.txt" || {
      echo "FAILED: $tool: ${cmd[*]}" >&2
      tail -5 "$work/err.txt" >&2
      exit 1
    }
    s1=$(server_cpu)
    python3 - "$tool" "$N" "$want_bytes" "$s0" "$s1" "$work/time.txt" "$work/out.json" >>"$results" <<'PY'
import json, sys
tool, n, want, s0, s1, tfile, ofile = sys.argv[1:]
wall, user, sys_, rss = open(tfile).read().split()[-4:]
o = json.load(open(ofile))
if (o["count"], o["bytes"]) != (int(n), int(want)):
    sys.exit(f"{tool}: saw {o['count']} keys / {o['bytes']} bytes, want {n} / {want}")
print(tool, f'{o["user"] + o["sys"]:.4f} {float(user) + float(sys_):.4f} {o["wall"]:.2f} {float(s1) - float(s0):.2f} {int(rss) / 1024:.1f}')
PY
    printf 'run %s %-17s %s\n' "$run" "$tool" "$(tail -1 "$results" | cut -d' ' -f2-)"
  done
done

echo
echo "resources benchmark: iterate $N S3 objects via bucket.objects.filter(Prefix=...) (key + size of each),"
echo "s3s-fs on tmpfs, $(nproc) cores; median of $RUNS runs; CPU = user+sys seconds"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    t, *v = line.split()
    rows.setdefault(t, []).append([float(x) for x in v])
med = {t: [statistics.median(col) for col in zip(*v)] for t, v in rows.items()}
print(f"{'tool':<17} {'iter CPU s':>10} {'proc CPU s':>10} {'wall s':>7} {'server CPU':>10} {'RSS MiB':>8}")
for t, (it, pr, wall, srv, rss) in med.items():
    print(f"{t:<17} {it:>10.3f} {pr:>10.3f} {wall:>7.2f} {srv:>10.2f} {rss:>8.0f}")
if "boto3" in med:
    for t in med:
        if t != "boto3":
            print(f"boto3 / {t}: {med['boto3'][0] / max(med[t][0], 1e-9):.1f}x less CPU iterating, "
                  f"{med['boto3'][1] / max(med[t][1], 1e-9):.1f}x less CPU per process")
PY
