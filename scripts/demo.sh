#!/usr/bin/env bash
# The main job: a tour of boto-rs (the SDK and the `boto` CLI) against a local AWS
# emulator (moto server) that this script starts and stops. See README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

fetch_data
setup_venv
step "building boto-rs (release)"
cargo build --release --locked -p boto-cli -p boto --bins --examples
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
step "done"
