# Shared setup steps for scripts/test.sh and scripts/demo.sh. Sourced, not run.

step() { printf '\n==> %s\n' "$*"; }

# Pinned botocore/boto3 wheels and the botocore sdist (hash-checked) → .data/
fetch_data() {
  step "fetching pinned botocore 1.43.67 / boto3 1.43.67 data"
  python3 scripts/fetch_data.py
}

# A local venv with moto server (the AWS emulator the integration tests talk to).
setup_venv() {
  if [ ! -x .data/venv/bin/moto_server ]; then
    step "creating .data/venv with moto[server]"
    python3 -m venv .data/venv
    .data/venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  fi
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
