#!/usr/bin/env bash
# The `boto` CLI vs aws-cli v1 (1.45.64, botocore 1.43.64): wall time of
#   boto --version | boto sts get-caller-identity | boto s3api list-objects-v2 --bucket B
# and the same `aws` commands, against one local moto server (scripts/lib.sh
# starts it; the bucket holds 50 objects). Release build of boto, built first
# and not timed. Uses hyperfine (installed with apt-get only if missing and
# possible), else a Python timing loop. Env: RUNS (default 15), WARMUP (default 3).
# Prints a table with both mean times and the ratio. About a minute after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

RUNS=${RUNS:-15}
WARMUP=${WARMUP:-3}

setup_venv
setup_awscli
step "building boto (release)"
cargo build --release --locked -q -p boto-cli
BOTO="$PWD/target/release/boto"
AWS="$BOTO_TEST_AWSCLI"

if ! command -v hyperfine >/dev/null 2>&1; then
  step "hyperfine missing: trying apt-get install -y hyperfine"
  { apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1; }; } ||
    echo "(no hyperfine; falling back to a Python timing loop)"
fi

start_moto
EP="$BOTO_TEST_ENDPOINT"

# Hermetic, identical settings for both CLIs.
out=$(mktemp -d "${TMPDIR:-/tmp}/boto-awscli-bench.XXXXXX")
trap 'kill $MOTO_PID 2>/dev/null || true; rm -rf "$out"' EXIT
printf '[default]\ncli_timestamp_format = iso8601\n' >"$out/config"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_DEFAULT_OUTPUT 2>/dev/null || true
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$out/config" AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_PAGER=

BUCKET="bench-$$-$RANDOM"
step "setting up s3://$BUCKET with 50 objects"
"$BOTO" --endpoint-url "$EP" s3api create-bucket --bucket "$BUCKET" >/dev/null
echo "benchmark object" >"$out/body"
for i in $(seq -w 1 50); do
  "$BOTO" --endpoint-url "$EP" s3api put-object --bucket "$BUCKET" --key "obj/$i.txt" --body "$out/body" >/dev/null
done

# label | boto arguments | aws arguments (same words).
names=(version sts list-objects-v2)
labels=("--version" "sts get-caller-identity" "s3api list-objects-v2 (50 keys)")
args=("--version" "--endpoint-url $EP sts get-caller-identity" "--endpoint-url $EP s3api list-objects-v2 --bucket $BUCKET")

# Both CLIs must succeed and list the same keys before anything is timed.
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086  # word splitting of the argument string is intended
  "$BOTO" ${args[$i]} >"$out/boto.out"
  # shellcheck disable=SC2086
  "$AWS" ${args[$i]} >"$out/aws.out" 2>/dev/null
done
cmp -s "$out/boto.out" "$out/aws.out" || { echo "boto and aws list-objects-v2 outputs differ" >&2; exit 1; }

step "timing: $WARMUP warm-up + $RUNS runs per command"
labels_json="["
for i in "${!names[@]}"; do
  for side in boto aws; do
    bin=$BOTO
    [ "$side" = aws ] && bin=$AWS
    name="$side ${names[$i]}"
    if command -v hyperfine >/dev/null 2>&1; then
      hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" \
        --command-name "$name" --export-json "$out/$side-$i.json" "$bin ${args[$i]}" >/dev/null
    else
      # shellcheck disable=SC2086
      .data/venv/bin/python bench/awscli/report.py time "$RUNS" "$WARMUP" "$out/$side-$i.json" "$name" "$bin" ${args[$i]}
    fi
  done
  labels_json+="[\"${labels[$i]}\", \"boto ${names[$i]}\", \"aws ${names[$i]}\"],"
done
echo "${labels_json%,}]" >"$out/labels.json"

echo
"$BOTO" --version
"$AWS" --version 2>&1
echo
python3 bench/awscli/report.py table "$out/labels.json" "$out"/boto-*.json "$out"/aws-*.json
