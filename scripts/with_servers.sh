#!/usr/bin/env bash
# Runs one command with moto server and s3s-fs started on free 127.0.0.1 ports
# (BOTO_TEST_ENDPOINT, BOTO_TEST_S3S_ENDPOINT and the s3s keys exported), then
# stops them. For running a single integration test by hand, e.g.
#   ./scripts/with_servers.sh cargo test -p boto --test moto_s3
# Expects the setup that scripts/test.sh does (.data/venv, .data/s3s) to exist.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
setup_venv
start_moto
start_s3s
"$@"
