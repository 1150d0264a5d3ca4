//! Presigned GET and PUT URLs used with a plain HTTP client; tampered and expired ones rejected.

use super::*;

/// Presigned PUT then GET of `key`, both with a bare HTTP client.
async fn presigned_put_then_get(s3: &Client, bucket: &str, key: &str) {
    let ttl = Duration::from_secs(300);
    // PUT through a presigned URL, no SDK involved.
    let put_url = s3
        .presign_url("PutObject", params! {"Bucket": bucket, "Key": key}, ttl)
        .await
        .unwrap_or_else(|e| panic!("presign PUT: {e}"));
    assert!(put_url.contains("X-Amz-Signature="), "{put_url}");
    let resp = raw_request("PUT", &put_url, &[], b"uploaded via presigned PUT").unwrap();
    assert_eq!(
        resp.status,
        200,
        "presigned PUT rejected: {}\n{put_url}",
        resp.text()
    );
    let got = s3
        .call("GetObject", params! {"Bucket": bucket, "Key": key})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got.get("Body").as_blob(),
        Some(&b"uploaded via presigned PUT"[..])
    );

    // GET through a presigned URL.
    let get_url = s3
        .presign_url("GetObject", params! {"Bucket": bucket, "Key": key}, ttl)
        .await
        .unwrap_or_else(|e| panic!("presign GET: {e}"));
    let resp = raw_request("GET", &get_url, &[], b"").unwrap();
    assert_eq!(
        resp.status,
        200,
        "presigned GET rejected: {}\n{get_url}",
        resp.text()
    );
    assert_eq!(resp.body, b"uploaded via presigned PUT");

    // Response overrides travel in the signed query.
    let url = s3
        .presign_url(
            "GetObject",
            params! {"Bucket": bucket, "Key": key, "ResponseContentType": "application/x-custom"},
            ttl,
        )
        .await
        .unwrap();
    let resp = raw_request("GET", &url, &[], b"").unwrap();
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-type"), Some("application/x-custom"));
}

#[tokio::test]
async fn presigned_get_and_put_urls_work_with_plain_http() {
    let Some(env) = s3s("presigned_get_and_put_urls_work_with_plain_http") else {
        return;
    };
    let s3 = env.client();
    let bucket = new_bucket(&s3, "presign").await;
    let url = s3
        .presign_url(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "k"},
            Duration::from_secs(60),
        )
        .await
        .unwrap();
    assert!(
        url.contains("X-Amz-SignedHeaders=host&"),
        "only host is signed, like botocore: {url}"
    );
    presigned_put_then_get(&s3, &bucket, "shared/report 2024.txt").await;
}

#[tokio::test]
async fn presigned_urls_work_when_checksums_are_when_required() {
    let Some(env) = s3s("presigned_urls_work_when_checksums_are_when_required") else {
        return;
    };
    let s3 = env.client_checksums_when_required();
    let bucket = new_bucket(&s3, "presign-wr").await;
    presigned_put_then_get(&s3, &bucket, "shared/report 2024 ü.txt").await;
}

#[tokio::test]
async fn tampered_or_expired_presigned_urls_are_rejected() {
    let Some(env) = s3s("tampered_or_expired_presigned_urls_are_rejected") else {
        return;
    };
    let s3 = env.client();
    let bucket = new_bucket(&s3, "tamper").await;
    for k in ["secret.txt", "other.txt"] {
        s3.call(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": k, "Body": (Value::blob(k.as_bytes().to_vec()))},
        )
        .await
        .unwrap();
    }
    let url = s3
        .presign_url(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "secret.txt"},
            Duration::from_secs(300),
        )
        .await
        .unwrap();
    assert_eq!(
        raw_request("GET", &url, &[], b"").unwrap().status,
        200,
        "the untampered URL works"
    );

    // 1. A flipped signature digit.
    let sig_at = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let mut flipped = url.clone();
    let c = if &url[sig_at..sig_at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    flipped.replace_range(sig_at..sig_at + 1, c);
    // 2. Another object under the same signature.
    let other_key = url.replace("secret.txt", "other.txt");
    // 3. A longer validity than was signed.
    let longer = url.replace("X-Amz-Expires=300", "X-Amz-Expires=600");
    assert_ne!(longer, url);
    for (what, bad) in [
        ("flipped signature", flipped),
        ("other key", other_key),
        ("longer expiry", longer),
    ] {
        let resp = raw_request("GET", &bad, &[], b"").unwrap();
        assert_eq!(resp.status, 403, "{what}: {}", resp.text());
        assert!(
            resp.text().contains("SignatureDoesNotMatch"),
            "{what}: {}",
            resp.text()
        );
        assert_ne!(resp.body, b"secret.txt");
    }
    // 4. A PUT with a GET signature.
    let resp = raw_request("PUT", &url, &[], b"overwrite").unwrap();
    assert_eq!(resp.status, 403, "{}", resp.text());

    // 5. Expired.
    let short = s3
        .presign_url(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "secret.txt"},
            Duration::from_secs(1),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let resp = raw_request("GET", &short, &[], b"").unwrap();
    assert_eq!(resp.status, 403, "expired URL: {}", resp.text());
    let body = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "secret.txt"},
        )
        .await
        .unwrap();
    assert_eq!(
        body.get("Body").as_blob(),
        Some(&b"secret.txt"[..]),
        "nothing was overwritten"
    );
}
