//! Chunk and trailer signatures of `aws-chunked` uploads
//! (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`).
//!
//! A signed streaming upload is signed in two stages. The request headers are
//! signed as usual by [`sign`](super::sign) with the payload placeholder
//! [`SignableBody::StreamingSignedPayloadTrailer`](super::SignableBody); that
//! "seed" signature starts a chain. Every chunk of the body then carries the
//! signature of its own bytes chained to the previous one
//! (`AWS4-HMAC-SHA256-PAYLOAD`), the empty final chunk included, and the
//! trailing headers (the checksum) are signed last (`AWS4-HMAC-SHA256-TRAILER`).
//!
//! botocore has no signed variant (it only sends `STREAMING-UNSIGNED-PAYLOAD-TRAILER`
//! from `httpchecksum.AwsChunkedWrapper`); this follows the AWS S3 API
//! reference ("Signature calculations for the Authorization header:
//! transferring payload in multiple chunks" and "including trailing headers"),
//! whose worked examples are the unit tests. Like the rest of this module it is
//! pure: bytes in, hex signatures out; framing the body is the caller's job.

use std::fmt;

use ring::hmac;

use super::canonical::{credential_scope, sha256_hex};
use super::key_cache::{sign_hex, signing_key};
use super::time::UtcTime;
use super::{SigningError, SigningParams, EMPTY_SHA256_HASH};
use crate::Credentials;

/// Signs the chunks and the trailer of one signed `aws-chunked` body.
///
/// Create it from the seed signature (the request's header signature), then
/// call [`sign_chunk`](Self::sign_chunk) for every chunk in order, the empty
/// final chunk included, and [`sign_trailer`](Self::sign_trailer) last.
#[derive(Clone)]
pub struct ChunkSigner {
    key: hmac::Key,
    amz_date: String,
    scope: String,
    previous: String,
}

impl fmt::Debug for ChunkSigner {
    // The derived key is a secret: print only the scope and the chain position.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("amz_date", &self.amz_date)
            .field("scope", &self.scope)
            .field("previous", &self.previous)
            .finish()
    }
}

impl ChunkSigner {
    /// A signer continuing from `seed_signature`, with the same credentials,
    /// scope and time as the header signature.
    pub fn new(
        credentials: &Credentials,
        params: &SigningParams<'_>,
        seed_signature: &str,
    ) -> Result<ChunkSigner, SigningError> {
        let amz_date = UtcTime::from_system_time(params.time)?.amz_date();
        let date = &amz_date[..8];
        Ok(ChunkSigner {
            key: signing_key(
                credentials.secret_access_key(),
                date,
                params.region,
                params.service,
            ),
            scope: credential_scope(date, params.region, params.service),
            amz_date,
            previous: seed_signature.to_string(),
        })
    }

    /// The string to sign for a chunk holding `data` (empty for the final chunk).
    pub fn chunk_string_to_sign(&self, data: &[u8]) -> String {
        let hash = if data.is_empty() {
            EMPTY_SHA256_HASH.to_string()
        } else {
            sha256_hex(data)
        };
        format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{}\n{EMPTY_SHA256_HASH}\n{hash}",
            self.amz_date, self.scope, self.previous
        )
    }

    /// Signs the next chunk and advances the chain; returns the hex signature.
    pub fn sign_chunk(&mut self, data: &[u8]) -> String {
        let signature = sign_hex(&self.key, &self.chunk_string_to_sign(data));
        self.previous.clone_from(&signature);
        signature
    }

    /// The string to sign for the trailing headers, given in canonical form
    /// (`name:value\n` per header, names lower-case, sorted).
    pub fn trailer_string_to_sign(&self, canonical_trailers: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256-TRAILER\n{}\n{}\n{}\n{}",
            self.amz_date,
            self.scope,
            self.previous,
            sha256_hex(canonical_trailers.as_bytes())
        )
    }

    /// Signs the trailing headers (after the final chunk); returns the hex
    /// signature that goes in `x-amz-trailer-signature`.
    pub fn sign_trailer(&mut self, canonical_trailers: &str) -> String {
        let signature = sign_hex(&self.key, &self.trailer_string_to_sign(canonical_trailers));
        self.previous.clone_from(&signature);
        signature
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::{sign, SignableBody, SignableRequest, SigningSettings};
    use std::time::{Duration, UNIX_EPOCH};

    // AWS's example credentials and time (2013-05-24T00:00:00Z).
    fn creds() -> Credentials {
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        )
    }

    fn params() -> SigningParams<'static> {
        SigningParams::new(
            "us-east-1",
            "s3",
            UNIX_EPOCH + Duration::from_secs(1_369_353_600),
        )
        .with_settings(SigningSettings::s3())
    }

    /// "Signature calculations ... including trailing headers": the seed signature.
    #[test]
    fn seed_signature_matches_aws_trailer_example() {
        let req = SignableRequest::new(
            "PUT",
            "https",
            "s3.amazonaws.com",
            "/examplebucket/chunkObject.txt",
        )
        .header("Content-Encoding", "aws-chunked")
        .header("x-amz-decoded-content-length", "66560")
        .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
        .header("x-amz-trailer", "x-amz-checksum-crc32c")
        .body(SignableBody::StreamingSignedPayloadTrailer);
        let out = sign(&req, &creds(), &params()).unwrap();
        assert!(out
            .canonical_request()
            .ends_with("\nSTREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"));
        assert_eq!(
            out.string_to_sign(),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
             44d48b8c2f70eae815a0198cc73d7a546a73a93359c070abbaa5e6c7de112559"
        );
        assert_eq!(
            out.signature(),
            "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
        );
    }

    /// The trailer example: 64 KiB + 1 KiB of `a`, final chunk, CRC32C trailer.
    #[test]
    fn chunk_chain_and_trailer_match_aws_trailer_example() {
        let mut s = ChunkSigner::new(
            &creds(),
            &params(),
            "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
        )
        .unwrap();
        let first = vec![b'a'; 65536];
        assert!(s
            .chunk_string_to_sign(&first)
            .ends_with("\nbf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a"));
        assert_eq!(
            s.sign_chunk(&first),
            "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2"
        );
        assert_eq!(
            s.sign_chunk(&[b'a'; 1024]),
            "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7"
        );
        assert_eq!(
            s.sign_chunk(b""),
            "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"
        );
        let trailers = "x-amz-checksum-crc32c:sOO8/Q==\n";
        assert!(s
            .trailer_string_to_sign(trailers)
            .ends_with("\n1e376db7e1a34a8ef1c4bcee131a2d60a1cb62503747488624e10995f448d774"));
        assert_eq!(
            s.sign_trailer(trailers),
            "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"
        );
    }

    /// The older example without trailer (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`):
    /// same chunk rule, another seed.
    #[test]
    fn chunk_chain_matches_aws_multiple_chunks_example() {
        let mut s = ChunkSigner::new(
            &creds(),
            &params(),
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
        )
        .unwrap();
        assert_eq!(
            s.sign_chunk(&[b'a'; 65536]),
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
        );
        assert_eq!(
            s.sign_chunk(&[b'a'; 1024]),
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
        );
        assert_eq!(
            s.sign_chunk(b""),
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
        );
    }

    #[test]
    fn debug_hides_the_key() {
        let s = ChunkSigner::new(&creds(), &params(), "seed").unwrap();
        let d = format!("{s:?}");
        assert!(d.contains("20130524/us-east-1/s3/aws4_request"));
        assert!(!d.contains("EXAMPLEKEY"));
    }
}
