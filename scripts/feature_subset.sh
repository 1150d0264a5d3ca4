#!/usr/bin/env bash
# feature-subset: boto as an ordinary dependency with chosen services.
#
# Builds a throwaway crate outside the workspace (target/feature-subset, its own
# [workspace] and target dir) that depends on crates/boto by path, first with
# `default-features = false, features = ["s3"]`, then with the default (all
# services), in release mode. Checks that the s3-only program talks to moto,
# that it does not know dynamodb, that the full one does, and that the s3-only
# binary stays under 8 MB (release profile with `strip = true`,
# as size-conscious users build; 7.0 MB since the HTTP/2 client for duplex
# event streams, C zlib for botocore-identical gzip and S3 Express joined the
# core, 5.8 MB before). Prints the build times and sizes, then
# `feature-subset: N passed, M failed`.
#
# Needs moto (BOTO_TEST_ENDPOINT): ./scripts/with_servers.sh scripts/feature_subset.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BOTO_TEST_ENDPOINT:?start moto first: ./scripts/with_servers.sh scripts/feature_subset.sh}"
LIMIT=8000000

dir=target/feature-subset
mkdir -p "$dir/src"
# Same dependency versions as the workspace (cargo prunes what is not used).
cp Cargo.lock "$dir/Cargo.lock"
cat > "$dir/src/main.rs" <<'EOF'
//! A program that uses boto as any crate would; argv[1] is "s3" or "full".
fn main() {
    let want_full = std::env::args().nth(1).as_deref() == Some("full");
    let session = boto::Session::new().expect("session");
    let services = session.available_services();
    println!("services: {}", services.len());
    assert_eq!(services.iter().any(|s| s == "dynamodb"), want_full, "{services:?}");
    assert!(services.iter().any(|s| s == "s3"));
    let s3 = boto::blocking::Client::from_session(&session, "s3").expect("s3 client");
    let bucket = if want_full { "feature-subset-full" } else { "feature-subset-s3" };
    s3.call("CreateBucket", boto::params! {"Bucket": bucket})
        .expect("CreateBucket");
    let out = s3.call("ListBuckets", boto::params! {}).expect("ListBuckets");
    let names: Vec<&str> = out
        .get("Buckets")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|b| b.get("Name").as_str())
        .collect();
    assert!(names.contains(&bucket), "{names:?}");
    match boto::blocking::Client::from_session(&session, "dynamodb") {
        Ok(_) => assert!(want_full, "dynamodb client built without the dynamodb feature"),
        Err(e) => {
            assert!(!want_full, "{e}");
            // Display says what failed; the cause (report) names the feature.
            let report = e.report();
            assert!(report.contains("\"dynamodb\" cargo feature"), "{report}");
            println!("dynamodb without its feature: {report}");
        }
    }
    println!("ok");
}
EOF

passed=0
failed=0
check() { # check NAME CONDITION-EXIT-STATUS
  if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "  FAILED: $1"; fi
}

build() { # build LABEL FEATURES-TOML
  cat > "$dir/Cargo.toml" <<EOF
[package]
name = "feature-subset"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
boto = { path = "../../crates/boto"$2 }

[workspace]

[profile.release]
strip = true
EOF
  local start end
  start=$(date +%s)
  (cd "$dir" && env -u CARGO_TARGET_DIR cargo build --release --quiet)
  end=$(date +%s)
  cp "$dir/target/release/feature-subset" "$dir/feature-subset-$1"
  echo "feature-subset [$1]: release build $((end - start)) s, binary $(stat -c %s "$dir/feature-subset-$1") bytes"
}

export AWS_ENDPOINT_URL="$BOTO_TEST_ENDPOINT" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
  AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

run() { # run LABEL: the program built by `build LABEL`, against moto
  local out rc
  out=$("$dir/feature-subset-$1" "$1" 2>&1) && rc=0 || rc=$?
  echo "$out" | sed 's/^/  /'
  check "[$1] program runs against moto (dynamodb present only with all services)" "$rc"
}

build s3 ', default-features = false, features = ["s3"]'
run s3
size=$(stat -c %s "$dir/feature-subset-s3")
[ "$size" -lt "$LIMIT" ] && rc=0 || rc=1
check "s3-only binary under 8 MB ($size bytes)" "$rc"

build full ''
run full
full=$(stat -c %s "$dir/feature-subset-full")
[ "$full" -gt "$size" ] && rc=0 || rc=1
check "all services make a bigger binary ($full > $size bytes)" "$rc"

echo "feature-subset: $passed passed, $failed failed"
[ "$failed" = 0 ]
