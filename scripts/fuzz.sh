#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (see fuzz/README.md).
#
#   scripts/fuzz.sh                 bounded run: 100,000 executions per target (CI)
#   scripts/fuzz.sh --long          long run: 10,000,000 executions per target, at nice 19
#   scripts/fuzz.sh [--long] T...   only the named targets
#
# Installs cargo-fuzz (pinned) into .data/cargo-fuzz if missing, builds every target
# once, then runs them one after another. Works on a stable toolchain: without a
# sanitizer (`-s none`) cargo-fuzz passes no nightly-only flags, and the targets are
# still built with libFuzzer's coverage instrumentation (inline 8-bit counters,
# compare tracing), debug assertions and overflow checks.
#
# Each target first writes its own seed corpus and dictionary (generated from the
# embedded models, see fuzz/src/seeds.rs) into fuzz/corpus/, which is git-ignored;
# hand-written inputs in fuzz/seeds/<target>/ (regression inputs) are run too;
# findings land in fuzz/artifacts/<target>/.
#
# Environment: FUZZ_RUNS, FUZZ_MAX_TIME (seconds per target, 0 = no cap),
# BOTO_BUILD_LOCK (a file to `flock` around the install and build only).
set -euo pipefail
cd "$(dirname "$0")/.."
# The fuzz workspace builds into fuzz/target, where the binaries are looked for.
unset CARGO_TARGET_DIR

CARGO_FUZZ_VERSION=0.13.1
TARGETS_ALL=(parse_response eventstream config_ini shorthand jmespath endpoint_rules)

long=0
targets=()
for a in "$@"; do
  case "$a" in
    --long) long=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) targets+=("$a") ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${TARGETS_ALL[@]}")

if [ "$long" = 1 ]; then
  runs=${FUZZ_RUNS:-10000000}
  max_time=${FUZZ_MAX_TIME:-0}
  nice=(nice -n 19)
  suffix=.long
else
  runs=${FUZZ_RUNS:-100000}
  max_time=${FUZZ_MAX_TIME:-120}
  nice=()
  suffix=
fi

locked() {
  if [ -n "${BOTO_BUILD_LOCK:-}" ]; then flock "$BOTO_BUILD_LOCK" "$@"; else "$@"; fi
}

root=$PWD
cargo_fuzz=$root/.data/cargo-fuzz/bin/cargo-fuzz
if ! [ -x "$cargo_fuzz" ] || ! "$cargo_fuzz" --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION into .data/cargo-fuzz"
  locked cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root .data/cargo-fuzz
fi

echo "building fuzz targets: ${targets[*]}"
t0=$SECONDS
if [ "${targets[*]}" = "${TARGETS_ALL[*]}" ]; then
  (cd fuzz && locked "$cargo_fuzz" build -s none)
else
  (cd fuzz && for t in "${targets[@]}"; do locked "$cargo_fuzz" build -s none "$t"; done)
fi
echo "built in $((SECONDS - t0)) s"

# Copies, so that a rebuild while a long run is going does not touch the running binary.
built=$root/fuzz/target/x86_64-unknown-linux-gnu/release
bin=$root/fuzz/target/fuzz-run
mkdir -p "$bin"
for t in "${targets[@]}"; do cp "$built/$t" "$bin/$t.new" && mv "$bin/$t.new" "$bin/$t"; done
passed=0
failed=0
summary=()
for t in "${targets[@]}"; do
  corpus=$root/fuzz/corpus/$t
  seeds=$root/fuzz/corpus/$t.seeds
  dict=$root/fuzz/corpus/$t.dict
  artifacts=$root/fuzz/artifacts/$t
  log=$root/fuzz/artifacts/$t$suffix.log
  mkdir -p "$corpus" "$artifacts"
  rm -rf "$seeds"
  BOTO_FUZZ_SEEDS=$seeds BOTO_FUZZ_DICT=$dict "$bin/$t" >/dev/null 2>&1 || {
    echo "fuzz-$t: cannot generate seeds"; failed=$((failed + 1)); continue; }
  extra=()
  [ -s "$dict" ] && extra+=(-dict="$dict")
  dirs=("$corpus" "$seeds")
  # Hand-written inputs, e.g. regression inputs for bugs fuzzing found.
  [ -d "fuzz/seeds/$t" ] && dirs+=("$root/fuzz/seeds/$t")
  touch "$artifacts/.start"
  start=$SECONDS
  set +e
  "${nice[@]}" "$bin/$t" -runs="$runs" -max_total_time="$max_time" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "${extra[@]}" "${dirs[@]}" >"$log" 2>&1
  rc=$?
  set -e
  wall=$((SECONDS - start))
  done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | tr -d ':' || true)
  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) -newer "$artifacts/.start" 2>/dev/null | wc -l)
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  line="fuzz-$t: ${done_runs:-0} runs, $crashes crashes (${eps:-0} exec/s, ${wall} s, ${cov:-cov ? ft ?}, peak RSS ${rss:-?} MB)"
  echo "$line"
  summary+=("$line")
  if [ "$crashes" -eq 0 ] && [ "${done_runs:-0}" -ge "$runs" ]; then
    passed=$((passed + 1))
  elif [ "$crashes" -eq 0 ]; then
    echo "  fewer than $runs runs within the ${max_time} s cap (see $log)"
    failed=$((failed + 1))
  else
    echo "  crash: see $log and $artifacts/"
    grep -E -A1 "panicked at|Test unit written" "$log" | head -6 | cut -c1-300 | sed 's/^/  /'
    failed=$((failed + 1))
  fi
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
