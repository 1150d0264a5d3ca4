#!/usr/bin/env bash
# An existing third-party boto3 test suite, unmodified, on boto_rs: moto's own
# tests in server mode (TEST_SERVER_MODE=true: moto's mock_aws patches
# boto3.client/boto3.resource to send real HTTP to a moto server instead of
# patching botocore in-process). Each selected test directory runs twice
# against the same moto server: with boto3 1.43.67, and with `import boto3`
# resolved to boto_rs (boto_rs.shim through boto_rs_shim_plugin.py). Prints the
# pass counts of both and `moto-suite: N passed, M failed` for boto_rs.
#
#   ./scripts/with_servers.sh python/thirdparty/moto_suite.sh [tests/test_sqs ...]
#
# moto's sdist (which ships tests/) and freezegun are downloaded hash-checked
# into .data/thirdparty (python/thirdparty/requirements-moto-suite.txt). boto_rs
# is taken from BOTO_RS_PYTHONPATH (a directory holding the boto_rs package,
# e.g. the stage scripts/python_tests.sh builds), else from the test venv.
# MOTO_SUITE_RUNS=boto_rs (or boto3) runs one side only, e.g. to rerun a few
# directories after a fix; the comparison then uses the other side's last log.
# A test over MOTO_SUITE_TEST_TIMEOUT seconds (default 120) fails rather than
# hanging the run (moto_suite_timeout.py). The default directories take about
# 20 minutes per side on 2 cores; not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
: "${BOTO_TEST_ENDPOINT:?run under ./scripts/with_servers.sh}"
[ -n "${BOTO_TEST_PYTHON:-}" ] || setup_venv
PY="$BOTO_TEST_PYTHON"
here="$PWD/python/thirdparty"
dir="$PWD/.data/thirdparty"
mkdir -p "$dir"
if [ ! -d "$dir/moto-5.2.5/tests" ] || [ ! -d "$dir/deps/freezegun" ]; then
  step "downloading moto 5.2.5's sdist and freezegun (hash-checked)"
  "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
    --no-binary moto --only-binary freezegun -r "$here/requirements-moto-suite.txt" -d "$dir/dist"
  tar -xzf "$dir/dist/moto-5.2.5.tar.gz" -C "$dir"
  "$PY" -m pip install --quiet --disable-pip-version-check --no-deps --target "$dir/deps" \
    "$dir"/dist/freezegun-1.5.1-py3-none-any.whl
fi
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(tests/test_sqs tests/test_sns tests/test_dynamodb tests/test_kms
  tests/test_secretsmanager tests/test_ssm tests/test_iam tests/test_logs tests/test_events
  tests/test_kinesis tests/test_sts tests/test_s3)
export TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT="$BOTO_TEST_ENDPOINT"
# moto's own switch for its Docker tests (Lambda, Batch ...): skipped without Docker.
command -v docker >/dev/null || export TESTS_SKIP_REQUIRES_DOCKER=true
unset AWS_ENDPOINT_URL
count() {  # count <word> <log>: the number before <word> in pytest's summary line
  tail -n 1 "$2" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0
}
run() {  # run <label> <pythonpath> [pytest args]: the log goes to .data/thirdparty/<label>.log
  local label=$1 path=$2; shift 2
  (cd "$dir/moto-5.2.5" && PYTHONPATH="$path" timeout 3600 "$PY" -m pytest -q -rfE \
    -p no:cacheprovider -p moto_suite_timeout --junitxml="$dir/$label.xml" "$@" "${suites[@]}" \
    2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' > "$dir/$label.log") || true
  grep -E '^boto3 is' "$dir/$label.log" | sed "s/^/$label: /" || true
  echo "$label: $(tail -n 1 "$dir/$label.log")"
}
runs=" ${MOTO_SUITE_RUNS:-boto3 boto_rs} "
if [[ $runs == *" boto3 "* ]]; then
  step "moto's tests with boto3"
  run boto3 "$here:$dir/deps"
fi
if [[ $runs == *" boto_rs "* ]]; then
  step "moto's tests with boto_rs as boto3"
  run boto_rs "${BOTO_RS_PYTHONPATH:+$BOTO_RS_PYTHONPATH:}$here:$dir/deps" -p boto_rs_shim_plugin
fi
touch "$dir/boto3.log" "$dir/boto_rs.log"
# Tests failing with boto_rs but passing with boto3 (environment failures, e.g.
# tests expecting localhost:5000, fail with both and are not boto_rs's).
grep -E '^FAILED|^ERROR' "$dir/boto3.log" | sed 's/ - .*//' | sort > "$dir/boto3.failed" || true
grep -E '^FAILED|^ERROR' "$dir/boto_rs.log" | sed 's/ - .*//' | sort > "$dir/boto_rs.failed" || true
echo "per directory, passed/failed (boto3 | boto_rs):"
"$PY" - "$dir/boto3.xml" "$dir/boto_rs.xml" <<'EOF'
import collections, os, sys, xml.etree.ElementTree as ET
def tally(path):
    out = collections.defaultdict(lambda: [0, 0])
    if not os.path.exists(path):
        return out
    try:
        cases = list(ET.parse(path).iter('testcase'))
    except ET.ParseError:  # a run that was killed
        return out
    for case in cases:
        d = '/'.join(case.get('classname', '').split('.')[:2])
        if not any(c.tag == 'skipped' for c in case):
            out[d][any(c.tag in ('failure', 'error') for c in case)] += 1
    return out
a, b = tally(sys.argv[1]), tally(sys.argv[2])
for d in sorted(set(a) | set(b)):
    print('  %-28s %5d/%-4d | %5d/%-4d' % (d, *a[d], *b[d]))
EOF
echo "only with boto_rs:"; comm -13 "$dir/boto3.failed" "$dir/boto_rs.failed" | sed 's/^/  /'
echo "moto-suite: $(count passed "$dir/boto_rs.log") passed, $(( $(count failed "$dir/boto_rs.log") + $(count error "$dir/boto_rs.log") )) failed (boto3: $(count passed "$dir/boto3.log") passed, $(( $(count failed "$dir/boto3.log") + $(count error "$dir/boto3.log") )) failed)"
