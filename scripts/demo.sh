#!/usr/bin/env bash
# The main job: a tour of boto-rs (the SDK and the `boto` CLI) against a local AWS
# emulator (moto server) that this script starts and stops. See README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# The binaries below are run from ./target, whatever CARGO_TARGET_DIR the caller has set.
export CARGO_TARGET_DIR="$PWD/target"

fetch_data
setup_venv
step "building boto-rs (release)"
cargo build --release --locked -p boto-cli -p boto -p boto-resources -p boto-transfer --bins --examples
start_moto
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1

step "SDK: the classic boto3 S3 walkthrough (crates/boto/examples/s3_walkthrough.rs)"
target/release/examples/s3_walkthrough
step "SDK: EC2 instance + instance_running waiter + paginator (crates/boto/examples/ec2_wait.rs)"
target/release/examples/ec2_wait
step "SDK: switching profiles on the default session (crates/boto/examples/profiles.rs)"
target/release/examples/profiles

boto() { target/release/boto --endpoint-url "$BOTO_TEST_ENDPOINT" "$@"; }
step "CLI: boto sts get-caller-identity"
boto sts get-caller-identity
step "CLI: boto s3api create-bucket / put-object / list-objects-v2 --query"
boto s3api create-bucket --bucket demo-cli-bucket
echo "hello from boto-rs" > .data/demo-object.txt
boto s3api put-object --bucket demo-cli-bucket --key docs/hello.txt --body .data/demo-object.txt
boto s3api put-object --bucket demo-cli-bucket --key docs/second.txt --body .data/demo-object.txt
boto s3api list-objects-v2 --bucket demo-cli-bucket --query 'Contents[].{Key: Key, Size: Size}' --output table
step "CLI: boto s3api get-object (streamed to a file) and wait"
boto s3api wait object-exists --bucket demo-cli-bucket --key docs/hello.txt
boto s3api get-object --bucket demo-cli-bucket --key docs/hello.txt .data/demo-download.txt --output text
cat .data/demo-download.txt
step "CLI: DynamoDB with shorthand and JSON parameters"
boto dynamodb create-table --table-name demo --attribute-definitions AttributeName=id,AttributeType=S \
  --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST --query 'TableDescription.TableStatus'
boto dynamodb put-item --table-name demo --item '{"id": {"S": "1"}, "name": {"S": "boto-rs"}}'
boto dynamodb scan --table-name demo --output text
step "CLI: an error, as aws-cli prints it (exit code 254)"
boto s3api get-object --bucket demo-cli-bucket --key missing.txt .data/missing.txt || echo "exit code: $?"
step "CLI: --print-request shows the signed request without sending it"
boto sqs list-queues --print-request
step "SDK: resources and collections (crates/boto-resources/examples/resources_walkthrough.rs)"
target/release/examples/resources_walkthrough
step "SDK: many concurrent uploads through one shared client (crates/boto-transfer/examples/concurrent_uploads.rs)"
boto s3 mb s3://demo-transfers
rm -rf .data/demo-tree && mkdir -p .data/demo-tree/photos .data/demo-tree/notes
for i in $(seq 1 20); do head -c $((i * 1000)) /dev/urandom > ".data/demo-tree/photos/p$i.jpg"; done
echo "remember the milk" > .data/demo-tree/notes/todo.txt
AWS_ENDPOINT_URL="$BOTO_TEST_ENDPOINT" target/release/examples/concurrent_uploads demo-transfers .data/demo-tree/photos/p1.jpg .data/demo-tree/photos/p2.jpg .data/demo-tree/notes/todo.txt
step "CLI: boto s3 sync / ls / cp / rm, with aws-cli's output lines"
boto s3 sync .data/demo-tree s3://demo-transfers/tree --no-progress --exclude '*.txt'
boto s3 ls s3://demo-transfers/tree/ --recursive --human-readable --summarize | tail -3
boto s3 cp s3://demo-transfers/tree/photos/p3.jpg .data/demo-p3.jpg --no-progress
cmp .data/demo-p3.jpg .data/demo-tree/photos/p3.jpg && echo "downloaded p3.jpg is identical"
boto s3 rm s3://demo-transfers/tree --recursive --quiet
boto s3 ls s3://demo-transfers/tree/ --recursive || echo "(prefix is empty now)"
step "Python: boto_rs, boto3's API on this core (python/examples/demo.py; pip install ./python into a venv without boto3)"
if [ ! -x .data/venv-demo-py/bin/maturin ]; then
  python3 -m venv .data/venv-demo-py
  .data/venv-demo-py/bin/pip install --quiet --disable-pip-version-check -r python/requirements-build.txt
fi
PATH="$PWD/.data/venv-demo-py/bin:$PATH" CARGO_TARGET_DIR="$PWD/target" .data/venv-demo-py/bin/pip install \
  --quiet --disable-pip-version-check --no-build-isolation --force-reinstall ./python
.data/venv-demo-py/bin/python python/examples/demo.py
step "done"
