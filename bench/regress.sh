#!/usr/bin/env bash
# Performance regression guard for issue 14's figures (run by hand, not in CI).
#
#   bench/regress.sh save      run the benches, record them as the baseline
#   bench/regress.sh check     run them again; exit 1 if any regressed > THRESHOLD %
#   bench/regress.sh compare   re-print the last check's table without running
#   add --all after save/check to also guard sign, resolve and search
#
# Each figure has a named criterion bench (criterion 0.5, no plots):
#   client CPU per call         boto/client: dynamodb_get_item_round_trip,
#                               s3_head_object_round_trip
#   1,000-key ListObjectsV2     boto/client: whole_client/s3_list_objects_v2_1000_keys
#   calls/s, 64 tasks           boto/client: whole_client_wall/dynamodb_get_item_1024_calls_64_tasks
#   first ec2 client            boto/client: whole_client_wall/first_ec2_client_new_process
#   cold model load ec2, s3     boto-model/load: "first load ec2", "first load s3"
#   1,000-key page parse        boto-protocols/parse: "s3 ListObjectsV2 (1000 keys, N KB)"
#   GetItem response parse      boto-protocols/parse: "dynamodb GetItem (10 attributes)"
#   (and, beside them, an ec2   boto-protocols/parse: "ec2 DescribeInstances (100 instances, N KB)")
#   page for the query/ec2 reader
# (the other benches of those targets are guarded too). The two process-level
# figures are measured here, cheaply, with crates/boto/examples/footprint.rs
# built with only the s3 and dynamodb models (as bench/peers builds size_boto):
#   RSS after 20 clients        `footprint rss URL` (median of 3) against a
#                               python3 stdlib canned server started here
#   binary size                 `footprint` itself, stripped (a copy)
# and the issue's own RSS figure, with crates/boto/examples/bench_client.rs
# (every model embedded, as bench/compare_boto3.sh builds it):
#   RSS after 20 clients of     `bench_client rss SERVICE...` for the 20 services
#   different services          compare_boto3.sh uses, no calls (median of 3)
#
# save runs criterion with `--save-baseline regress`, check with
# `--baseline-lenient regress`, both with --warm-up-time 1 --measurement-time 3;
# the table compares target/criterion/<bench>/regress/estimates.json with
# .../new/estimates.json (median by default) and the process figures with
# target/criterion/regress-manifest.json. A full check takes 3-6 minutes on the
# 2-core machine, incremental release builds included. The in-process benches
# measure thread CPU time (bench/cpu_time.rs), which a busy machine barely
# moves; the two whole_client_wall benches are wall-clock figures: run save
# and check under the same load, ideally none. bench/regress.md has more.
#
# When check finds regressions it runs just those benches once more and
# prints the table again; the verdict is the second table's (a busy machine
# can push one run past the threshold, a real regression repeats; CONFIRM=0
# to skip).
#
# Env: THRESHOLD (20, percent), METRIC (median | mean), BOTO_BUILD_LOCK (the
# flock file wrapped around each cargo command, /tmp/boto-build.lock; empty for
# none), CARGO_TARGET_DIR (target).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-}
ALL=${2:-}
THRESHOLD=${THRESHOLD:-20}
METRIC=${METRIC:-median}
CONFIRM=${CONFIRM:-1}
LOCK=${BOTO_BUILD_LOCK-/tmp/boto-build.lock}
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
CRIT=$TARGET/criterion
BASELINE=regress

usage() {
  echo "usage: bench/regress.sh save|check [--all] | compare" >&2
  exit 2
}
case $MODE in save | check | compare) ;; *) usage ;; esac
case $ALL in "" | --all) ;; *) usage ;; esac

cargo_locked() {
  if [ -n "$LOCK" ] && command -v flock >/dev/null; then
    flock "$LOCK" cargo "$@"
  else
    cargo "$@"
  fi
}

# Hermetic AWS settings: no config files, no IMDS, no env keys.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_DEFAULT_REGION AWS_REGION BOTO_DATA_PATH AWS_DATA_PATH 2>/dev/null || true

BENCHES=("boto-model load" "boto-protocols parse" "boto client")
[ "$ALL" = --all ] && BENCHES+=("boto-auth sign" "boto-endpoints resolve" "boto-jmespath search")

# run_benches FLAG [TARGET ID]: every target of BENCHES, or one bench by its exact id.
# Before each target it writes a stamp, so the manifest can tell which target
# wrote which bench (for the confirmation run of a check).
run_benches() {
  local flag=$1 only=${2:-} id=${3:-} i=0
  for b in "${BENCHES[@]}"; do
    i=$((i + 1))
    [ -n "$only" ] && [ "$b" != "$only" ] && continue
    echo "$b" >"$CRIT/.regress-target-$i"
    set -- $b
    echo "==> cargo bench -p $1 --bench $2 ($flag $BASELINE${id:+, only \"$id\"})" >&2
    cargo_locked bench -q -p "$1" --bench "$2" -- \
      --warm-up-time 1 --measurement-time 3 --noplot "$flag" "$BASELINE" ${id:+--exact "$id"} </dev/null >&2
  done
}

# Prints {"rss_kib": N, "binary_bytes": N} for the footprint probe.
process_figures() {
  echo "==> footprint probe (release, s3 + dynamodb models only)" >&2
  cargo_locked build -q --release -p boto --example footprint --no-default-features \
    --features s3,dynamodb >&2
  local bin=$TARGET/release/examples/footprint work
  work=$(mktemp -d "${TMPDIR:-/tmp}/boto-regress.XXXXXX")
  python3 - "$work/port" <<'EOF' &
import http.server, sys
ITEM = b'{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"}}}'
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def answer(self, ctype, body):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"fba9dede5f27731c9771645a39863328"')
        self.end_headers()
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer("application/x-amz-json-1.0", ITEM)
        self.wfile.write(ITEM)
    def do_HEAD(self):
        self.answer("image/jpeg", b"")
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1] + ".tmp", "w").write(str(srv.server_address[1]))
__import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
EOF
  local server=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
  local url="http://127.0.0.1:$(cat "$work/port")" rss size
  "$bin" "$url"
  rss=$(for _ in 1 2 3; do "$bin" rss "$url" | sed -n 's/^rss_kib=//p'; done | sort -n | sed -n 2p)
  strip -o "$work/footprint.stripped" "$bin"
  size=$(stat -c %s "$work/footprint.stripped")
  echo "==> bench_client rss (release, every model)" >&2
  cargo_locked build -q --release -p boto --example bench_client >&2
  local services="dynamodb s3 ec2 sqs sns lambda iam sts kms cloudwatch logs ecs rds cloudformation route53 secretsmanager ssm kinesis events stepfunctions"
  local rss20
  rss20=$(for _ in 1 2 3; do
    AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=benchsecret AWS_DEFAULT_REGION=us-east-1 \
      "$TARGET/release/examples/bench_client" rss $services |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["rss_after_kib"])'
  done | sort -n | sed -n 2p)
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
  echo "{\"rss_kib\": $rss, \"binary_bytes\": $size, \"rss_services_kib\": $rss20}"
}

# compare STAMP: the table and the verdict, from files written after STAMP.
compare() {
  python3 - "$CRIT" "$1" "$THRESHOLD" "$METRIC" <<'EOF'
import json, os, sys
crit, stamp, threshold, metric = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
since = os.path.getmtime(stamp)
manifest = json.load(open(os.path.join(crit, "regress-manifest.json")))
rows, bad = [], []

def fmt(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"

def row(name, base, now, shown):
    change = (now - base) / base * 100
    verdict = "REGRESSED" if change > threshold else ""
    rows.append((name, shown(base), shown(now), f"{change:+.1f}%", verdict))
    if verdict:
        bad.append(name)

for name, rel in sorted(manifest["benches"].items()):
    base_f = os.path.join(crit, rel, "regress", "estimates.json")
    new_f = os.path.join(crit, rel, "new", "estimates.json")
    if not os.path.exists(new_f) or os.path.getmtime(new_f) < since:
        rows.append((name, "", "", "", "NOT RUN"))
        bad.append(name)
        continue
    base = json.load(open(base_f))[metric]["point_estimate"]
    now = json.load(open(new_f))[metric]["point_estimate"]
    row(name, base, now, fmt)

known = set(manifest["benches"])
for root, dirs, files in os.walk(crit):
    if os.path.basename(root) == "new" and "benchmark.json" in files:
        if os.path.getmtime(os.path.join(root, "estimates.json")) >= since:
            full_id = json.load(open(os.path.join(root, "benchmark.json")))["full_id"]
            if full_id not in known:
                rows.append((full_id, "", "", "", "no baseline (save again)"))

proc_new = os.path.join(crit, "regress-process-new.json")
if os.path.exists(proc_new) and os.path.getmtime(proc_new) >= since:
    now = json.load(open(proc_new))
    base = manifest["process"]
    row("RSS after 20 clients (footprint rss)", base["rss_kib"], now["rss_kib"],
        lambda k: f"{k / 1024:.1f} MiB")
    row("stripped binary (footprint)", base["binary_bytes"], now["binary_bytes"],
        lambda b: f"{b / 1e6:.2f} MB")
    name = "RSS after 20 clients of different services (bench_client rss)"
    mib = lambda k: f"{k / 1024:.1f} MiB"
    if "rss_services_kib" not in now:
        rows.append((name, "", "", "", "NOT RUN"))
        bad.append(name)
    elif "rss_services_kib" in base:
        row(name, base["rss_services_kib"], now["rss_services_kib"], mib)
    else:
        rows.append((name, "", mib(now["rss_services_kib"]), "", "no baseline (save again)"))
else:
    rows.append(("process figures", "", "", "", "NOT RUN"))
    bad.append("process figures")

head = ("bench", f"baseline ({metric})", "now", "change", "")
widths = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
print(f"baseline saved {manifest['saved_at']} at {manifest['commit']}; threshold +{threshold:g}%")
print(line(head))
print(line(tuple("-" * w for w in widths)))
for r in rows:
    print(line(r))
with open(os.path.join(crit, ".regress-failed"), "w") as f:
    for name in bad:
        if name in manifest.get("targets", {}):
            f.write(f"{manifest['targets'][name]}\t{name}\n")
if bad:
    print(f"\nFAIL: {len(bad)} regressed by more than {threshold:g}% (or did not run): " + ", ".join(bad))
    sys.exit(1)
print(f"\nOK: {len(rows)} figures within +{threshold:g}% of the baseline")
EOF
}

# The benches saved in this run (regress/ written after STAMP), with the process figures.
write_manifest() {
  python3 - "$CRIT" "$1" "$2" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'EOF'
import datetime, json, os, sys
crit, stamp, process, commit = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
since = os.path.getmtime(stamp)
benches, targets = {}, {}
for root, dirs, files in os.walk(crit):
    if os.path.basename(root) == "regress" and "estimates.json" in files:
        written = os.path.getmtime(os.path.join(root, "estimates.json"))
        if written >= since:
            bench = json.load(open(os.path.join(root, "benchmark.json")))
            benches[bench["full_id"]] = os.path.relpath(os.path.dirname(root), crit)
            # The target that ran last before this file was written.
            stamps = [os.path.join(crit, f) for f in os.listdir(crit) if f.startswith(".regress-target-")]
            before = [f for f in stamps if since <= os.path.getmtime(f) <= written]
            targets[bench["full_id"]] = open(max(before, key=os.path.getmtime)).read().strip()
manifest = {
    "saved_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "commit": commit,
    "benches": benches,
    "targets": targets,
    "process": json.loads(process),
}
json.dump(manifest, open(os.path.join(crit, "regress-manifest.json"), "w"), indent=1)
print(f"saved baseline 'regress': {len(benches)} benches + process figures {manifest['process']}")
EOF
}

mkdir -p "$CRIT"
case $MODE in
  save)
    stamp=$CRIT/.regress-save-started
    touch "$stamp"
    sleep 1 # mtimes of files written by this run are strictly later
    run_benches --save-baseline
    figures=$(process_figures)
    write_manifest "$stamp" "$figures"
    ;;
  check)
    [ -f "$CRIT/regress-manifest.json" ] || {
      echo "no baseline: run bench/regress.sh save first" >&2
      exit 2
    }
    stamp=$CRIT/.regress-check-started
    touch "$stamp"
    sleep 1
    run_benches --baseline-lenient
    process_figures >"$CRIT/regress-process-new.json"
    compare "$stamp" && exit 0
    # A busy machine can push one run of a bench past the threshold: run each
    # regressed bench once more and judge on that run (a real regression repeats).
    [ "$CONFIRM" = 1 ] && [ -s "$CRIT/.regress-failed" ] || exit 1
    echo >&2
    echo "==> confirming: running the regressed benches once more" >&2
    while IFS=$'\t' read -r target id; do
      run_benches --baseline-lenient "$target" "$id"
    done <"$CRIT/.regress-failed"
    echo
    compare "$stamp"
    ;;
  compare)
    compare "$CRIT/.regress-check-started"
    ;;
esac
