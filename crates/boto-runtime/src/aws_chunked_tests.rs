use super::*;
use boto_auth::sigv4::{SigningParams, SigningSettings};
use boto_auth::Credentials;
use std::time::{Duration, UNIX_EPOCH};

/// AWS's example signer (2013-05-24, us-east-1, s3) continuing from `seed`.
fn example_signer(seed: &str) -> ChunkSigner {
    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    );
    let params = SigningParams::new(
        "us-east-1",
        "s3",
        UNIX_EPOCH + Duration::from_secs(1_369_353_600),
    )
    .with_settings(SigningSettings::s3());
    ChunkSigner::new(&creds, &params, seed).unwrap()
}

fn bytes(n: usize) -> RequestBody {
    RequestBody::Bytes(
        (0..n)
            .map(|i| (i * 7 % 251) as u8)
            .collect::<Vec<u8>>()
            .into(),
    )
}

#[test]
fn unsigned_framing_matches_botocore() {
    let body = AwsChunkedBody::new(
        RequestBody::Bytes(b"hello".to_vec().into()),
        Algorithm::Crc32,
    )
    .unwrap();
    let out = body.encode_to_vec().unwrap();
    assert_eq!(
        String::from_utf8(out.clone()).unwrap(),
        "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"
    );
    assert_eq!(body.encoded_len(), out.len() as u64);
    assert_eq!(body.decoded_len(), 5);
    let empty = AwsChunkedBody::new(RequestBody::Empty, Algorithm::Crc32).unwrap();
    assert_eq!(
        empty.encode_to_vec().unwrap(),
        b"0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
    );
}

/// The whole body of AWS's "including trailing headers" example: 64 KiB and
/// 1 KiB chunks of `a`, the final chunk, the CRC32C trailer and its signature.
#[test]
fn signed_framing_matches_aws_trailer_example() {
    let body = AwsChunkedBody::new(
        RequestBody::Bytes(vec![b'a'; 66560].into()),
        Algorithm::Crc32c,
    )
    .unwrap()
    .signed(example_signer(
        "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
    ));
    let out = body.encode_to_vec().unwrap();
    assert_eq!(body.encoded_len(), out.len() as u64);
    let head = "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n";
    assert!(out.starts_with(head.as_bytes()));
    let second = 2 + head.len() + 65536;
    let mid =
        "400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n";
    assert_eq!(&out[second..second + mid.len()], mid.as_bytes());
    let tail = "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n\
                x-amz-checksum-crc32c:sOO8/Q==\r\n\
                x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n";
    assert!(
        out.ends_with(tail.as_bytes()),
        "{}",
        String::from_utf8_lossy(&out[out.len() - 300..])
    );
}

#[test]
fn encoded_len_is_exact_for_every_shape() {
    let algorithms = [
        Algorithm::Crc32,
        Algorithm::Crc32c,
        Algorithm::Crc64Nvme,
        Algorithm::Sha1,
        Algorithm::Sha256,
    ];
    for n in [0, 1, 15, 16, 4095, 4096, 4097, 3 * 4096 + 17] {
        for a in algorithms {
            let plain = AwsChunkedBody::new(bytes(n), a)
                .unwrap()
                .with_chunk_size(4096);
            let out = plain.encode_to_vec().unwrap();
            assert_eq!(plain.encoded_len(), out.len() as u64, "unsigned {n} {a:?}");
            let signed = plain.clone().signed(example_signer("seed"));
            assert_eq!(plain.encoded_len_if_signed(true), signed.encoded_len());
            let out = signed.encode_to_vec().unwrap();
            assert_eq!(signed.encoded_len(), out.len() as u64, "signed {n} {a:?}");
        }
    }
}

#[test]
fn trailer_carries_the_payload_checksum() {
    let payload = bytes(10_000);
    let data = payload.bytes().unwrap().to_vec();
    for a in [Algorithm::Crc64Nvme, Algorithm::Sha256] {
        let out = AwsChunkedBody::new(payload.clone(), a)
            .unwrap()
            .with_chunk_size(3000)
            .encode_to_vec()
            .unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(text.ends_with(&format!(
            "0\r\n{}:{}\r\n\r\n",
            a.header(),
            a.checksum(&data)
        )));
        assert!(text.starts_with("bb8\r\n"));
    }
}

#[test]
fn refuses_double_framing() {
    let once = AwsChunkedBody::new(bytes(3), Algorithm::Crc32).unwrap();
    let err = AwsChunkedBody::new(
        RequestBody::AwsChunked(std::sync::Arc::new(once)),
        Algorithm::Crc32,
    )
    .unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
}

/// A file region streamed chunk by chunk gives the same bytes as the
/// in-memory encoding, and a file that shrank fails the stream.
#[tokio::test]
async fn file_stream_matches_in_memory_encoding() {
    let dir = std::env::temp_dir().join(format!("boto-aws-chunked-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("f.bin");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let file = RequestBody::File {
        path: path.clone(),
        offset: 5,
        len: 150_001,
    };
    let body = AwsChunkedBody::new(file, Algorithm::Crc32)
        .unwrap()
        .signed(example_signer("seed"));
    let expected = AwsChunkedBody::new(
        RequestBody::Bytes(data[5..150_006].to_vec().into()),
        Algorithm::Crc32,
    )
    .unwrap()
    .signed(example_signer("seed"))
    .encode_to_vec()
    .unwrap();
    assert_eq!(body.encode_to_vec().unwrap(), expected);
    let mut rx = body.into_stream();
    let mut got = Vec::new();
    while let Some(piece) = rx.recv().await {
        got.extend_from_slice(&piece.unwrap());
    }
    assert_eq!(got, expected);

    let short = AwsChunkedBody::new(
        RequestBody::File {
            path: path.clone(),
            offset: 0,
            len: 300_000,
        },
        Algorithm::Crc32,
    )
    .unwrap();
    let mut rx = short.into_stream();
    let mut failed = false;
    while let Some(piece) = rx.recv().await {
        failed |= piece.is_err();
    }
    assert!(failed, "a short file must fail the stream");
    std::fs::remove_dir_all(&dir).unwrap();
}
