//! Request checksums sent and verified by the server; a presigned POST form upload.

use super::*;

#[tokio::test]
async fn request_checksums_are_sent_and_verified() {
    let Some(env) = s3s("request_checksums_are_sent_and_verified") else {
        return;
    };
    let s3 = env.client();
    let bucket = new_bucket(&s3, "checksums").await;
    let data = b"The quick brown fox jumps over the lazy dog".to_vec();

    // Default (request_checksum_calculation = when_supported): CRC32, checked by the server.
    let out = s3
        .call(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": "default", "Body": (Value::blob(data.clone()))},
        )
        .await
        .unwrap_or_else(|e| panic!("PutObject: {e}"));
    assert_eq!(
        out.get("ChecksumCRC32").as_str(),
        Some(crc32(&data).as_str()),
        "{out:?}"
    );

    let expected = [
        ("CRC32", "ChecksumCRC32", crc32(&data)),
        ("CRC32C", "ChecksumCRC32C", crc32c(&data)),
        ("CRC64NVME", "ChecksumCRC64NVME", crc64nvme(&data)),
        (
            "SHA1",
            "ChecksumSHA1",
            sha(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &data),
        ),
        (
            "SHA256",
            "ChecksumSHA256",
            sha(&ring::digest::SHA256, &data),
        ),
    ];
    for (alg, member, value) in &expected {
        let key = format!("obj-{alg}");
        let out = s3
            .call(
                "PutObject",
                params! {"Bucket": (&bucket), "Key": (&key), "Body": (Value::blob(data.clone())), "ChecksumAlgorithm": (*alg)},
            )
            .await
            .unwrap_or_else(|e| panic!("PutObject with {alg}: {e}"));
        assert_eq!(
            out.get(member).as_str(),
            Some(value.as_str()),
            "{alg}: {out:?}"
        );
        // The stored checksum comes back on HEAD and GET with ChecksumMode=ENABLED,
        // and the client validates the GET body against it.
        let head = s3
            .call(
                "HeadObject",
                params! {"Bucket": (&bucket), "Key": (&key), "ChecksumMode": "ENABLED"},
            )
            .await
            .unwrap_or_else(|e| panic!("HeadObject {alg}: {e}"));
        assert_eq!(
            head.get(member).as_str(),
            Some(value.as_str()),
            "HEAD {alg}: {head:?}"
        );
        let get = s3
            .call(
                "GetObject",
                params! {"Bucket": (&bucket), "Key": (&key), "ChecksumMode": "ENABLED"},
            )
            .await
            .unwrap_or_else(|e| panic!("GetObject {alg}: {e}"));
        assert_eq!(
            get.get(member).as_str(),
            Some(value.as_str()),
            "GET {alg}: {get:?}"
        );
        assert_eq!(get.get("Body").as_blob(), Some(&data[..]));
    }

    // A caller-supplied checksum is sent as is, and a wrong one is refused.
    let err = s3
        .call(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": "bad", "Body": (Value::blob(data.clone())), "ChecksumCRC32": "AAAAAA=="},
        )
        .await
        .expect_err("wrong checksum");
    assert!(err.is_code("BadDigest"), "{err:?}");
    let err = s3
        .call(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": "bad", "Body": (Value::blob(data.clone())),
            "ChecksumSHA256": (sha(&ring::digest::SHA256, b"something else"))},
        )
        .await
        .expect_err("wrong checksum");
    assert!(err.is_code("BadDigest"), "{err:?}");
    let right = s3
        .call(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": "good", "Body": (Value::blob(data.clone())), "ChecksumCRC32C": (crc32c(&data))},
        )
        .await
        .unwrap_or_else(|e| panic!("right checksum refused: {e}"));
    assert_eq!(
        right.get("ChecksumCRC32C").as_str(),
        Some(crc32c(&data).as_str())
    );
}

/// Builds a multipart/form-data body: the fields in order, then the file last (S3 ignores fields after it).
fn form_data(fields: &[(String, String)], filename: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----boto-rs-test-boundary-7d1c4e";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn presigned_post_uploads_a_file() {
    let Some(env) = s3s("presigned_post_uploads_a_file") else {
        return;
    };
    let s3 = env.client();
    let bucket = new_bucket(&s3, "post").await;
    let creds = s3
        .credentials_provider()
        .expect("credentials")
        .provide()
        .await
        .unwrap();
    let mut input = PresignedPostInput::new(
        format!("{}/{bucket}", env.endpoint),
        &bucket,
        "uploads/${filename}",
    );
    input
        .fields
        .push(("Content-Type".into(), "text/plain".into()));
    input
        .conditions
        .push(serde_json::json!({"Content-Type": "text/plain"}));
    input
        .conditions
        .push(serde_json::json!(["content-length-range", 1, 1024]));
    input.expires_in = Duration::from_secs(300);
    let post = presign_post(
        &input,
        &creds,
        &SigningParams::new("us-east-1", "s3", SystemTime::now()),
    )
    .unwrap_or_else(|e| panic!("presign_post: {e}"));
    assert_eq!(post.field("x-amz-algorithm"), Some("AWS4-HMAC-SHA256"));

    // Neither s3s-fs 0.14.1 nor moto 5.2.5 substitutes `${filename}` in the
    // key (both store the literal name), so the form sets a concrete key, which
    // the policy's `["starts-with", "$key", "uploads/"]` condition allows.
    let with_key = |fields: &[(String, String)], key: &str| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if k == "key" {
                        key.to_string()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect()
    };
    let (ctype, body) = form_data(
        &with_key(&post.fields, "uploads/hello.txt"),
        "hello.txt",
        b"posted with a presigned form",
    );
    let resp = raw_request("POST", &post.url, &[("Content-Type", &ctype)], &body).unwrap();
    assert!(
        matches!(resp.status, 200 | 201 | 204),
        "POST rejected: {} {}",
        resp.status,
        resp.text()
    );
    let got = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "uploads/hello.txt"},
        )
        .await
        .unwrap_or_else(|e| panic!("the POSTed object: {e}"));
    assert_eq!(
        got.get("Body").as_blob(),
        Some(&b"posted with a presigned form"[..])
    );

    // A key outside the policy's prefix is refused (the policy is enforced, not just signed).
    let (ctype, body) = form_data(
        &with_key(&post.fields, "elsewhere/hello.txt"),
        "hello.txt",
        b"wrong place",
    );
    let resp = raw_request("POST", &post.url, &[("Content-Type", &ctype)], &body).unwrap();
    // (S3 answers 403 AccessDenied "Invalid according to Policy"; s3s-fs 400 InvalidPolicyDocument.)
    assert!(
        matches!(resp.status, 400 | 403),
        "key outside the policy accepted: {} {}",
        resp.status,
        resp.text()
    );
    let err = s3
        .call(
            "HeadObject",
            params! {"Bucket": (&bucket), "Key": "elsewhere/hello.txt"},
        )
        .await
        .expect_err("absent");
    assert_eq!(err.status(), Some(404));

    // A policy changed after signing is refused.
    let mut tampered = post.fields.clone();
    for (k, v) in tampered.iter_mut() {
        if k == "policy" {
            let mut doc = base64::engine::general_purpose::STANDARD
                .decode(v.as_bytes())
                .unwrap();
            let text = String::from_utf8(doc.clone())
                .unwrap()
                .replace("1024", "9999999");
            doc = text.into_bytes();
            *v = b64(&doc);
        }
    }
    let (ctype, body) = form_data(
        &with_key(&tampered, "uploads/evil.txt"),
        "evil.txt",
        b"not allowed",
    );
    let resp = raw_request("POST", &post.url, &[("Content-Type", &ctype)], &body).unwrap();
    assert_eq!(
        resp.status,
        403,
        "tampered policy accepted: {}",
        resp.text()
    );
    let err = s3
        .call(
            "HeadObject",
            params! {"Bucket": (&bucket), "Key": "uploads/evil.txt"},
        )
        .await
        .expect_err("absent");
    assert_eq!(err.status(), Some(404));
}
