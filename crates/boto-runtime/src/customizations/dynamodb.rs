//! DynamoDB response CRC32 check.
//!
//! DynamoDB sends `x-amz-crc32`, the CRC32 (decimal) of the response body.
//! botocore checks it in its DynamoDB retry policy (`crc32` in `_retry.json`,
//! `CRC32Checker`) and retries on a mismatch; here a mismatch is a response
//! error marked transient, so it is retried.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, ResponseContext};

/// `dynamodb.crc32`: see the module docs.
#[derive(Debug, Default)]
pub struct Crc32Check;

impl Interceptor for Crc32Check {
    fn name(&self) -> &'static str {
        "dynamodb.crc32"
    }

    fn read_after_response(
        &self,
        _call: &CallInfo<'_>,
        resp: &ResponseContext<'_>,
    ) -> Result<(), Error> {
        let Some((_, expected)) = resp
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-crc32"))
        else {
            return Ok(()); // botocore: "crc32 check skipped, the header is not in the response"
        };
        let actual = crc32fast::hash(resp.body);
        match expected.trim().parse::<u64>() {
            Ok(e) if e == u64::from(actual) => Ok(()),
            _ => Err(Error::response_transient(format!(
                "crc32 check failed, expected != actual: {} != {actual}",
                expected.trim()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;

    #[test]
    fn crc32_header_is_checked() {
        let h = Harness::new("dynamodb", "GetItem");
        let body = br#"{"Item":{"id":{"S":"1"}}}"#;
        let good = crc32fast::hash(body).to_string();
        let req = h.http_request();
        let headers = vec![("x-amz-crc32".to_string(), good)];
        assert!(Crc32Check
            .read_after_response(&h.call(), &h.response(200, &headers, body, &req))
            .is_ok());
        let headers = vec![("X-Amz-Crc32".to_string(), "12345".to_string())];
        let err = Crc32Check
            .read_after_response(&h.call(), &h.response(200, &headers, body, &req))
            .unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Response);
        assert!(err.message().contains("12345"));
        assert!(
            crate::retry::classify(&err, None).is_some(),
            "a CRC mismatch is retried"
        );
        // No header: nothing to check.
        assert!(Crc32Check
            .read_after_response(&h.call(), &h.response(200, &[], body, &req))
            .is_ok());
    }
}
