#!/usr/bin/env bash
# boto-rs vs boto3 1.43.67 (the botocore release boto-rs's models are pinned to), in one run:
#   * client-side CPU per DynamoDB GetItem and per S3 HeadObject against a local
#     canned-response HTTP/1.1 keep-alive server (separate process, so its CPU
#     is not counted): process CPU time / N calls after a warm-up;
#   * first-client time: a fresh process that imports boto3 / starts the binary
#     and creates one client (median of several runs, wall clock);
#   * VmRSS after creating 20 clients of different services;
#   * (if both are built/installed) aws-cli v1 vs the `boto` CLI for one GetItem.
# The release build of the example is done first and not timed. Env:
#   N (calls per operation, default 3000), WARMUP (default 300), RUNS (process starts, default 7).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

N=${N:-3000}
WARMUP=${WARMUP:-300}
RUNS=${RUNS:-7}
PY=.data/venv/bin/python

fetch_data >/dev/null
setup_venv
# boto3 pins only botocore>=1.43.67,<1.44, so pin botocore too (the exact models boto-rs embeds).
if ! "$PY" -c 'import boto3, botocore, sys; sys.exit((boto3.__version__, botocore.__version__) != ("1.43.67",) * 2)' 2>/dev/null; then
  step "installing boto3 1.43.67 / botocore 1.43.67 into .data/venv"
  .data/venv/bin/pip install --quiet --disable-pip-version-check "boto3==1.43.67" "botocore==1.43.67"
fi
step "building boto-rs (release, example bench_client)"
cargo build --release --locked -q -p boto --example bench_client
BIN=target/release/examples/bench_client

# Hermetic AWS settings for both sides, and the canned server.
. bench/canned_server.sh
out=$(mktemp -d "${TMPDIR:-/tmp}/boto-bench.XXXXXX")
trap 'kill ${SERVER_PID:-} 2>/dev/null || true; rm -rf "$out"' EXIT
start_canned_server "$PY" "$out"
step "canned server at $ENDPOINT; N=$N calls per operation after $WARMUP warm-up calls"

SERVICES="dynamodb s3 ec2 sqs sns lambda iam sts kms cloudwatch logs ecs rds cloudformation route53 secretsmanager ssm kinesis events stepfunctions"

step "CPU per call"
"$PY" bench/boto3_bench.py cpu "$ENDPOINT" "$N" "$WARMUP" >"$out/boto3_cpu.json"
"$BIN" cpu "$ENDPOINT" "$N" "$WARMUP" >"$out/rs_cpu.json"
step "RSS after 20 clients"
"$PY" bench/boto3_bench.py rss $SERVICES >"$out/boto3_rss.json"
"$BIN" rss $SERVICES >"$out/rs_rss.json"

AWS=.data/venv-awscli/bin/aws
CLI=target/release/boto
[ -x "$AWS" ] && [ -x "$CLI" ] && HAVE_CLI=1 || HAVE_CLI=0

step "first-client process time ($RUNS runs each) and report"
python3 - "$out" "$PY" "$BIN" "$RUNS" "$ENDPOINT" "$HAVE_CLI" "$AWS" "$CLI" <<'EOF'
import json, statistics, subprocess, sys, time

out, py, rs_bin, runs, endpoint, have_cli, aws, cli = sys.argv[1:9]
runs = int(runs)
load = lambda name: json.load(open(f"{out}/{name}.json"))

def median_ms(cmd):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)

rows = []
b_cpu, r_cpu = load("boto3_cpu"), load("rs_cpu")
for op, label in (("get_item", "DynamoDB GetItem"), ("head_object", "S3 HeadObject")):
    rows.append((f"CPU per {label} (us)", b_cpu[op]["cpu_us"], r_cpu[op]["cpu_us"]))
    rows.append((f"wall per {label} (us, local server)", b_cpu[op]["wall_us"], r_cpu[op]["wall_us"]))
for svc in ("dynamodb", "s3", "ec2"):
    rows.append((
        f"first {svc} client, new process (ms)",
        median_ms([py, "bench/boto3_bench.py", "first-client", svc]),
        median_ms([rs_bin, "first-client", svc]),
    ))
b_rss, r_rss = load("boto3_rss"), load("rs_rss")
rows.append(("RSS at start (MiB; boto3 after import)", b_rss["rss_before_kib"] / 1024, r_rss["rss_before_kib"] / 1024))
rows.append((f"RSS after {b_rss['clients']} clients (MiB)", b_rss["rss_after_kib"] / 1024, r_rss["rss_after_kib"] / 1024))
if have_cli == "1":
    args = ["dynamodb", "get-item", "--table-name", "users", "--key", '{"pk":{"S":"user#12345"}}', "--endpoint-url", endpoint]
    rows.append(("CLI: one GetItem, new process (ms)", median_ms([aws, *args]), median_ms([cli, *args])))
    header = ("metric", "boto3/aws-cli", "boto-rs", "ratio")
else:
    header = ("metric", "boto3", "boto-rs", "ratio")

print(f"\nboto3 {b_cpu['boto3']} (botocore {b_cpu['botocore']}) vs boto-rs {r_cpu['boto_rs']}; "
      f"N={b_cpu['get_item']['n']} calls per operation")
w = max(len(r[0]) for r in rows)
print(f"{header[0]:<{w}}  {header[1]:>13}  {header[2]:>10}  {header[3]:>7}")
print(f"{'-' * w}  {'-' * 13}  {'-' * 10}  {'-' * 7}")
for name, b, r in rows:
    ratio = b / r if r else float("nan")
    print(f"{name:<{w}}  {b:>13.1f}  {r:>10.1f}  {ratio:>6.1f}x")
print("\nratio = boto3 / boto-rs (higher is better for boto-rs)")
if have_cli != "1":
    print("(aws-cli row skipped: needs .data/venv-awscli/bin/aws and target/release/boto)")
EOF
