# Shared setup steps for scripts/test.sh and scripts/demo.sh. Sourced, not run.

step() { printf '\n==> %s\n' "$*"; }

# Pinned botocore/boto3 wheels and the botocore sdist (hash-checked) → .data/
fetch_data() {
  step "fetching pinned botocore 1.43.67 / boto3 1.43.67 data"
  python3 scripts/fetch_data.py
}

# A local venv with moto server (the AWS emulator the integration tests talk to).
# Reinstalled when scripts/requirements-test.txt changes (a stamp holds its hash).
setup_venv() {
  local want
  want=$(python3 -c "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())" scripts/requirements-test.txt)
  if [ ! -x .data/venv/bin/moto_server ] || [ "$(cat .data/venv/.requirements-sha256 2>/dev/null)" != "$want" ]; then
    step "creating .data/venv with moto[server] and boto3 (scripts/requirements-test.txt)"
    python3 -m venv .data/venv
    .data/venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
    echo "$want" > .data/venv/.requirements-sha256
  fi
  export BOTO_TEST_PYTHON="$PWD/.data/venv/bin/python"
}

# Starts moto on a free 127.0.0.1 port; stops it when the calling script exits.
start_moto() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  .data/venv/bin/moto_server -H 127.0.0.1 -p "$port" >.data/moto.log 2>&1 &
  MOTO_PID=$!
  trap 'kill $MOTO_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  export BOTO_TEST_ENDPOINT="http://127.0.0.1:$port"
  step "moto server running at $BOTO_TEST_ENDPOINT (pid $MOTO_PID)"
}

# s3s-fs: a local S3 server that verifies SigV4 signatures, presigned URLs and
# checksums (moto does not), for crates/boto/tests/s3s_*.rs. Built once (a few
# minutes) into .data/s3s, then cached.
setup_s3s() {
  if [ ! -x .data/s3s/bin/s3s-fs ]; then
    step "installing s3s-fs 0.14.1 into .data/s3s (one-time build)"
    cargo install s3s-fs --version 0.14.1 --features binary --locked --root .data/s3s
  fi
}

# Starts s3s-fs on a free 127.0.0.1 port over a temporary root with fixed keys;
# stops it (and removes the root) when the calling script exits, keeping any
# EXIT trap already set (moto's).
start_s3s() {
  local port root prev
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  root=$(mktemp -d "${TMPDIR:-/tmp}/boto-s3s.XXXXXX")
  export BOTO_TEST_S3S_ACCESS_KEY="s3s-test-access-key"
  export BOTO_TEST_S3S_SECRET_KEY="s3s-test-secret-key-0123456789"
  .data/s3s/bin/s3s-fs --host 127.0.0.1 --port "$port" \
    --access-key "$BOTO_TEST_S3S_ACCESS_KEY" --secret-key "$BOTO_TEST_S3S_SECRET_KEY" \
    "$root" >.data/s3s.log 2>&1 &
  S3S_PID=$!
  prev=$(trap -p EXIT)
  prev=${prev#trap -- \'}
  prev=${prev%\' EXIT}
  # shellcheck disable=SC2064  # expand the pid and root now
  trap "kill $S3S_PID 2>/dev/null || true; rm -rf -- $root${prev:+; $prev}" EXIT
  for _ in $(seq 1 100); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  export BOTO_TEST_S3S_ENDPOINT="http://127.0.0.1:$port"
  step "s3s-fs running at $BOTO_TEST_S3S_ENDPOINT (pid $S3S_PID, root $root)"
}

# aws-cli v1 in its own venv (it pins botocore exactly): the reference for the
# CLI output-compatibility tests and the CLI benchmark. awscli 1.45.64 is the
# newest v1 release on botocore 1.43.x.
setup_awscli() {
  if [ ! -x .data/venv-awscli/bin/aws ]; then
    step "creating .data/venv-awscli with awscli (v1)"
    python3 -m venv .data/venv-awscli
    .data/venv-awscli/bin/pip install --quiet --disable-pip-version-check "awscli==1.45.64"
  fi
  export BOTO_TEST_AWSCLI="$PWD/.data/venv-awscli/bin/aws"
}
