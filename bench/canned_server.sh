# Sourced by the bench scripts that run crates/boto/examples/bench_client
# against bench/boto3_bench.py's canned keep-alive server (stdlib only):
# bench/compare_boto3.sh and bench/callgrind_call.sh.

# Fixed keys, no config files, no IMDS: the same settings for every client.
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=benchsecret AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL 2>/dev/null || true

# start_canned_server PYTHON DIR: starts the server with PYTHON, its port
# file and log in DIR; sets SERVER_PID, then ENDPOINT once it listens. The
# caller's EXIT trap should kill ${SERVER_PID:-}.
start_canned_server() {
  "$1" bench/boto3_bench.py serve >"$2/server.json" 2>"$2/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$2/server.json" ] && break
    sleep 0.1
  done
  ENDPOINT="http://127.0.0.1:$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$2/server.json")"
}
