#!/usr/bin/env bash
# What a small call touches, and what touching it cold costs (run by hand,
# not in CI; needs valgrind). Issue 14, session 26.
#
# Why: against a socket, boto-rs's share of a GetItem or HeadObject (the part
# above the bare hyper client, 11-18 µs on this VM) is two to three times
# what the same code takes called in a loop with nothing in between (~6 µs):
# the kernel's round trip between calls pushes the call's code and data out
# of the CPU's caches, and a cold call pays per cache line it touches.
# `callgrind_call.sh` counts instructions, which weighs a loop run a hundred
# times (malloc, SHA-256, the JSON reader) a hundred times; a cold call's
# cost follows the distinct lines instead (cutting 4.7% of the instructions,
# all in allocation, moved whole calls by nothing: `bench/regress.md`
# session 26). This script measures both sides:
#
#   1. `bench_client warm N EVICT` (a transport that answers at once) with
#      EVICT bytes written between calls: wall time per call warm and cold;
#   2. valgrind's lackey over `bench_client warm`: every instruction fetch and
#      data access, split into calls at the marker the example writes before
#      each call; for the second half of the calls (steady state), the
#      instructions per call and the distinct 64-byte code and data lines,
#      the code lines by crate and the functions with the most lines.
#
# Env: N (calls per operation in the trace, default 40), CALLS (timed calls,
# default 20000). The trace is streamed, not stored.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-40}
CALLS=${CALLS:-20000}
command -v valgrind >/dev/null || { echo "footprint_call.sh: valgrind is not installed" >&2; exit 2; }
echo "==> building boto-rs (release, example bench_client)" >&2
cargo build --release --locked -q -p boto --example bench_client
BIN=target/release/examples/bench_client
pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then pin=(taskset -c 0); fi

echo "Wall time per call through a transport that answers at once (µs; $CALLS calls each):"
echo
echo "| bytes written between calls | GetItem | HeadObject |"
echo "|---:|---:|---:|"
for evict in 0 1048576 2097152 4194304 8388608; do
  "${pin[@]}" "$BIN" warm "$CALLS" "$evict" | python3 -c '
import json, sys
r = json.load(sys.stdin)
g, h = r["get_item"]["wall_us"], r["head_object"]["wall_us"]
print("| {:,} | {:.2f} | {:.2f} |".format(r["evict_bytes"], g, h))'
done
echo

mark=$(nm "$BIN" | awk '$3 == "BOTO_FOOTPRINT_MARK" {print $1}')
[ -n "$mark" ] || { echo "footprint_call.sh: no BOTO_FOOTPRINT_MARK symbol in $BIN" >&2; exit 1; }
echo "==> valgrind lackey: $N GetItem + $N HeadObject calls (takes a minute)" >&2
analyze=$(mktemp "${TMPDIR:-/tmp}/boto-footprint.XXXXXX.py")
trap 'rm -f "$analyze"' EXIT
cat >"$analyze" <<'PY'
import bisect, collections, re, subprocess, sys
binary, mark_file, n = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3])
BASE = 0x108000  # where valgrind loads a position-independent executable on amd64
mark = BASE + mark_file
syms = []
for l in subprocess.run(["nm", "-C", "--defined-only", "-n", "-S", binary],
                        capture_output=True, text=True).stdout.splitlines():
    p = l.split(" ", 3)
    if len(p) == 4 and p[2] in "tTwW":
        syms.append((int(p[0], 16) + BASE, int(p[1], 16), p[3]))
syms.sort()
starts = [s[0] for s in syms]
# Steady state: the second half of each operation's calls.
ops = {"GetItem": (n // 2, n), "HeadObject": (n + n // 2, 2 * n)}
stats = {op: [0, set(), set()] for op in ops}
marks, current = 0, None
def region(m):
    for op, (lo, hi) in ops.items():
        if lo < m <= hi:
            return stats[op]
    return None
for line in sys.stdin.buffer:
    if len(line) < 4 or line[0] == 61:  # "=" (valgrind's own messages)
        continue
    kind = line[:2]
    try:
        addr = int(line[3:line.index(b",")], 16)
    except ValueError:
        continue
    if kind == b"I ":
        if current is not None:
            current[0] += 1
            current[1].add(addr >> 6)
    else:
        if addr == mark and kind in (b" M", b" S"):
            marks += 1
            current = region(marks)
        elif current is not None:
            current[2].add(addr >> 6)
if marks != 2 * n + 1:
    sys.exit(f"footprint_call.sh: saw {marks} markers, expected {2 * n + 1} (load address?)")
def crate(name):
    s = re.sub(r"^(<|dyn |&mut |&)+", "", name)
    return re.split(r"::|<| ", s)[0] or name
for op, (lo, hi) in ops.items():
    instr, code, data = stats[op]
    calls = hi - lo
    by_crate, by_fn, outside = collections.Counter(), collections.Counter(), 0
    for ln in code:
        a = ln << 6
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and a < syms[i][0] + max(syms[i][1], 64):
            by_crate[crate(syms[i][2])] += 1
            by_fn[syms[i][2]] += 1
        else:
            outside += 1
    print(f"{op} (calls {lo + 1}-{hi}): {instr // calls:,} instructions a call; "
          f"distinct lines over these calls: code {len(code):,} ({len(code) * 64 // 1024} KiB), "
          f"data {len(data):,} ({len(data) * 64 // 1024} KiB)")
    print()
    print("| crate | code lines |")
    print("|---|---:|")
    for c, k in by_crate.most_common(12):
        print(f"| {c} | {k} |")
    print(f"| (libc, vdso, loader) | {outside} |")
    print()
    print("functions with the most code lines: " + "; ".join(
        f"{f.split('{{')[0][:70]} {k}" for f, k in by_fn.most_common(8)))
    print()
PY
# fd 3 carries the trace into the pipe; the program's own output is dropped.
valgrind --tool=lackey --trace-mem=yes --log-fd=3 "$BIN" warm "$N" 0 3>&1 >/dev/null 2>/dev/null |
  python3 "$analyze" "$BIN" "$mark" "$N"
