#!/usr/bin/env bash
# Soak and concurrency test (issue 13): one DynamoDB client shared by 1,000
# concurrent tasks makes 1,000,000 GetItem calls (real SigV4 signing, real
# parsing and CRC32 check, one attempt per call) against a local keep-alive
# canned-response server in its own process; then 256 tasks call while the
# client's credentials age into the advisory and then the mandatory refresh
# window. Prints calls, errors, wall time, calls/s, VmRSS (and heap in use)
# after 1%/10%/25%/50%/75%/100% of the calls, and the refresh counts.
# Fails (exit 1) on any error, RSS growth over 2 MiB from 10,000 to 1,000,000
# calls, or anything but exactly one refresh per scenario.
#
# Env: CALLS (default 1000000), TASKS (default 1000), REFRESH_TASKS (default 256),
# MAX_GROWTH_KIB (default 2048). Builds and runs under /tmp/boto-build.lock, so
# it never overlaps another heavy job on this 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${CALLS:-1000000}
TASKS=${TASKS:-1000}
REFRESH_TASKS=${REFRESH_TASKS:-256}
MAX_GROWTH_KIB=${MAX_GROWTH_KIB:-2048}
LOCK=/tmp/boto-build.lock

printf '\n==> building the soak example (release)\n'
flock "$LOCK" cargo build --release --locked -q -p boto --example soak

printf '\n==> soak: %s calls, %s tasks; refresh under %s tasks (fd limit %s)\n' \
  "$CALLS" "$TASKS" "$REFRESH_TASKS" "$(ulimit -n)"
flock "$LOCK" target/release/examples/soak \
  --calls "$CALLS" --tasks "$TASKS" --refresh-tasks "$REFRESH_TASKS" \
  --max-growth-kib "$MAX_GROWTH_KIB"
