#!/usr/bin/env bash
# What a small call touches, and what touching it cold costs (run by hand,
# not in CI; needs valgrind and python3). Issue 14, sessions 26-27.
#
# Why: against a socket, boto-rs's share of a GetItem or HeadObject (the part
# above the bare hyper client, 11-18 µs on this VM) is about twice what the
# same code takes called in a loop with nothing in between (~6 µs). What
# makes a call cold was measured here (`bench/regress.md` session 27): a
# loopback TCP round trip between calls doubles it, and so do 2 MiB of data
# written (this VM's L2); the L1 caches alone (1 MiB written, or 144 KiB of
# other code run) cost almost nothing. `callgrind_call.sh` counts
# instructions, which weighs a loop run a hundred times (malloc, SHA-256, the
# JSON reader) a hundred times; a cold call pays for each line of code and
# data it touches (cutting 4.7% of the instructions, all in allocation,
# moved whole calls by nothing: session 26). This script measures both sides:
#
#   1. `bench_client warm` (a transport that answers at once) with nothing,
#      other code, data writes or a TCP round trip to a local echo server
#      between calls: wall time per call, warm and cold;
#   2. valgrind's lackey over `bench_client warm`: every instruction fetch and
#      data access, split into calls at the marker the example writes before
#      each call; for the second half of the calls (steady state, less the
#      last), the instructions per call and the distinct 64-byte code and
#      data lines, the code lines by crate and the functions with the most.
#
# Env: N (calls per operation in the trace, default 40), CALLS (timed calls,
# default 20000), DUMP (a path: every function's code lines are written to
# DUMP.GetItem and DUMP.HeadObject), NOTIME=1 (skip the wall-time table).
# The trace is streamed, not stored.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-40}
CALLS=${CALLS:-20000}
command -v valgrind >/dev/null || { echo "footprint_call.sh: valgrind is not installed" >&2; exit 2; }
echo "==> building boto-rs (release, example bench_client)" >&2
cargo build --release --locked -q -p boto --example bench_client
BIN=target/release/examples/bench_client
pin=() echo_pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then pin=(taskset -c 0) echo_pin=(taskset -c 1); fi
work=$(mktemp -d "${TMPDIR:-/tmp}/boto-footprint.XXXXXX")
echo_pid=
cleanup() {
  [ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${NOTIME:-}" ]; then
# The echo server for the round-trip row: on the other CPU, as the canned
# server is in `peers.sh`.
cat >"$work/echo.py" <<'PY'
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os; os.replace(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        d = c.recv(65536)
        if not d:
            break
        c.sendall(d)
PY
"${echo_pin[@]}" python3 "$work/echo.py" "$work/port" &
echo_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "footprint_call.sh: the echo server did not start" >&2; exit 1; }
echo_addr=127.0.0.1:$(cat "$work/port")

echo "Wall time per call through a transport that answers at once (µs; $CALLS calls each):"
echo
echo "| between calls | GetItem | HeadObject |"
echo "|---|---:|---:|"
row() {
  local label=$1; shift
  "${pin[@]}" "$BIN" warm "$CALLS" "$@" | LABEL="$label" python3 -c '
import json, os, sys
r = json.load(sys.stdin)
print("| {} | {:.2f} | {:.2f} |".format(os.environ["LABEL"], r["get_item"]["wall_us"], r["head_object"]["wall_us"]))'
}
row "nothing" 0
row "144 KiB of other code run (the L1 instruction cache)" 0 64
for mib in 1 2 4 8; do row "$mib MiB written" $((mib * 1048576)); done
row "a loopback TCP round trip (echo server on the other CPU)" 0 0 "$echo_addr"
echo
fi

mark=$(nm "$BIN" | awk '$3 == "BOTO_FOOTPRINT_MARK" {print $1}')
[ -n "$mark" ] || { echo "footprint_call.sh: no BOTO_FOOTPRINT_MARK symbol in $BIN" >&2; exit 1; }
echo "==> valgrind lackey: $N GetItem + $N HeadObject calls (takes a minute)" >&2
analyze=$work/analyze.py
cat >"$analyze" <<'PY'
import bisect, collections, re, subprocess, sys
binary, mark_file, n = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3])
dump = sys.argv[4] if len(sys.argv) > 4 else ""
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
# Steady state: the second half of each operation's calls, less the last: a
# call's region runs to the next marker, and after an operation's last call
# the example times and prints its results (float formatting and all).
ops = {"GetItem": (n // 2, n - 1), "HeadObject": (n + n // 2, 2 * n - 1)}
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
          f"distinct lines over these calls: code {len(code):,} ({len(code) * 64 // 1024} KiB "
          f"on {len({ln >> 6 for ln in code})} pages), "
          f"data {len(data):,} ({len(data) * 64 // 1024} KiB on {len({ln >> 6 for ln in data})} pages)")
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
    if dump:
        with open(f"{dump}.{op}", "w") as out:
            for f, k in by_fn.most_common():
                out.write(f"{k}\t{f}\n")
PY
# fd 3 carries the trace into the pipe; the program's own output is dropped.
valgrind --tool=lackey --trace-mem=yes --log-fd=3 "$BIN" warm "$N" 0 3>&1 >/dev/null 2>/dev/null |
  python3 "$analyze" "$BIN" "$mark" "$N" "${DUMP:-}"
