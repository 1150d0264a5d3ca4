#!/usr/bin/env bash
# Instructions per call, stage by stage, for DynamoDB GetItem and S3 HeadObject
# (run by hand, not in CI; needs valgrind).
#
# Why: in time, the per-call profile is flat (`perf` finds no function outside
# the kernel above ~3%), and the differences worth chasing are a few percent,
# below the noise of a shared 2-core VM. valgrind's callgrind counts executed
# instructions instead: the same binary and inputs give the same counts
# whatever else the machine does, so a change of 1% shows.
#
# It builds crates/boto/examples/bench_client (as bench/compare_boto3.sh does),
# starts bench/boto3_bench.py's canned keep-alive server (stdlib only), runs
# `bench_client cpu URL N 0` under callgrind (N GetItem then N HeadObject
# calls, after one client per service is made), and prints instructions per
# call (averaged over both operations) for the pipeline's stages.
#
# Caveat: under valgrind, ring's SHA-256 takes its AVX path, not the SHA
# extensions most x86 CPUs have, so `sign` reads several times what it costs
# in time there. Compare counts between commits, not with seconds.
# Env: N (calls per operation, default 1000), KEEP=1 keeps the callgrind file.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null || {
  echo "callgrind_call.sh: valgrind (with callgrind_annotate) is not installed" >&2
  exit 2
}
echo "==> building boto-rs (release, example bench_client)" >&2
cargo build --release --locked -q -p boto --example bench_client
BIN=target/release/examples/bench_client

. bench/canned_server.sh
out=$(mktemp -d "${TMPDIR:-/tmp}/boto-callgrind.XXXXXX")
trap 'kill ${SERVER_PID:-} 2>/dev/null || true; [ "${KEEP:-0}" = 1 ] || rm -rf "$out"' EXIT
start_canned_server python3 "$out"

echo "==> callgrind: $N GetItem + $N HeadObject calls against $ENDPOINT" >&2
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$BIN" cpu "$ENDPOINT" "$N" 0 \
  >"$out/run.json" 2>"$out/valgrind.log"
callgrind_annotate --inclusive=yes --tree=calling "$out/cg.out" >"$out/calling.txt" 2>/dev/null
callgrind_annotate "$out/cg.out" >"$out/self.txt" 2>/dev/null
[ "${KEEP:-0}" = 1 ] && echo "callgrind file: $out/cg.out" >&2

python3 - "$out/calling.txt" "$out/self.txt" "$((2 * N))" <<'EOF'
import re, sys
calling, self_cost, calls = open(sys.argv[1]).read().split("\n"), open(sys.argv[2]).read(), int(sys.argv[3])
num = lambda s: int(s.split()[0].replace(",", ""))

def inclusive(fn):
    """Inclusive instructions of fn (the `*` line of its block)."""
    for line in calling:
        if re.search(r"\*\s+\?\?\?:" + re.escape(fn) + r" \[", line):
            return num(line)
    return 0

def children(fn):
    """fn's callees: {name: instructions}."""
    out, inside = {}, False
    for line in calling:
        if re.search(r"\*\s+\?\?\?:" + re.escape(fn) + r" \[", line):
            inside = True
            continue
        if inside:
            if ">" not in line:
                break
            name = line.split("> ", 1)[1].strip().split(" (")[0].split(" [")[0].removeprefix("???:")
            out[name] = out.get(name, 0) + num(line)
    return out

def self_of(pattern):
    return sum(num(l) for l in self_cost.split("\n") if re.search(pattern, l) and l.strip()[:1].isdigit())

call = inclusive("boto_runtime::pipeline::invoke_in_span::{{closure}}")
if not call:
    sys.exit("callgrind_call.sh: no pipeline in the profile (did the calls run?)")
prep = children("boto_runtime::pipeline::prepare_with")
res = children("boto_runtime::pipeline::resolve")
top = children("boto_runtime::pipeline::invoke_in_span::{{closure}}")
pick = lambda d, key: sum(v for k, v in d.items() if key in k)
rows = [
    ("whole call (pipeline)", call),
    ("  prepare (validate, serialize, endpoint, auth choice)", inclusive("boto_runtime::pipeline::prepare_with")),
    ("    serialize", pick(res, "ser::serialize_with")),
    ("    endpoint params + cached resolution", pick(res, "bind_params_with") + pick(res, "ResolveCache::resolve")),
    ("    validate", pick(res, "validate_operation")),
    ("  sign (SigV4; SHA-256 on its AVX path, see the header)", pick(top, "sigv4::sign::sign")),
    ("  send and receive (hyper, hyper-util pool)", pick(top, "HyperClient>::dispatch")),
    ("  parse (body and ResponseMetadata)", inclusive("boto_protocols::de::parse_response_owned")),
    ("    of which ResponseMetadata.HTTPHeaders", inclusive("boto_protocols::de::finish_metadata")),
    ("  drops of the request, response and headers", sum(v for k, v in top.items() if k.startswith("core::ptr::drop_in_place"))),
    ("malloc/free, whole process (self)", self_of(r"malloc\.c:|__rdl_alloc|__rdl_dealloc")),
]
print(f"Instructions per call (callgrind; average of GetItem and HeadObject, {calls} calls)")
print()
print("| stage | instructions per call |")
print("|---|---:|")
for name, n in rows:
    print(f"| {name} | {n / calls:,.0f} |")
EOF
