//! Presigned URLs: boto3's `generate_presigned_url` (botocore
//! `RequestSigner.generate_presigned_url` + `SigV4QueryAuth`), with botocore's
//! `HttpMethod=` as [`Client::presign_url_with_method`].

use super::Client;
use crate::error::{Error, ErrorKind};
use boto_model::Value;

impl Client {
    /// A presigned URL for `operation` (e.g. S3 GetObject/PutObject), valid for `expires_in`:
    /// boto3's `generate_presigned_url`. Nothing is sent; the URL is signed
    /// (SigV4 query parameters) with the client's credentials, so it fails with
    /// an `ErrorKind::Credentials` error when there are none. botocore caps
    /// `expires_in` at 7 days for SigV4, and so does S3.
    ///
    /// ```
    /// # use boto_model::params;
    /// # use boto_runtime::Error;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # let s3 = boto_runtime::doc_support::client("s3", &[]);
    /// use std::time::Duration;
    ///
    /// // s3.generate_presigned_url("get_object", Params={...}, ExpiresIn=3600)
    /// let url = s3
    ///     .presign_url(
    ///         "GetObject",
    ///         params! {"Bucket": "my-bucket", "Key": "reports/q3.pdf"},
    ///         Duration::from_secs(3600),
    ///     )
    ///     .await?;
    /// assert!(url.starts_with("https://my-bucket.s3.amazonaws.com/reports/q3.pdf?"));
    /// assert!(url.contains("X-Amz-Expires=3600"));
    /// assert!(url.contains("X-Amz-Signature="));
    /// # Ok(()) }
    /// ```
    pub async fn presign_url(
        &self,
        operation: &str,
        params: Value,
        expires_in: std::time::Duration,
    ) -> Result<String, Error> {
        self.presign_url_inner(operation, params, expires_in, None)
            .await
    }

    /// [`Client::presign_url`] signed for another HTTP method than the
    /// operation's: botocore's `generate_presigned_url(..., HttpMethod="GET")`,
    /// e.g. an STS `GetCallerIdentity` URL fetched with GET (EKS tokens).
    /// `http_method` must be an upper-case method name (`GET`, `PUT`, ...).
    pub async fn presign_url_with_method(
        &self,
        operation: &str,
        params: Value,
        expires_in: std::time::Duration,
        http_method: &str,
    ) -> Result<String, Error> {
        let valid = !http_method.is_empty()
            && http_method.len() <= 16
            && http_method.bytes().all(|b| b.is_ascii_uppercase());
        if !valid {
            return Err(Error::new(
                ErrorKind::Validation,
                format!(
                    "invalid HTTP method for a presigned URL: {:?} (expected GET, PUT, POST, ...)",
                    http_method
                ),
            ));
        }
        self.presign_url_inner(operation, params, expires_in, Some(http_method))
            .await
    }

    /// Boxed behind a function that is never inlined, so the presigning
    /// state machine is compiled here once, not in every crate that awaits
    /// [`Client::presign_url`] (see `pipeline::invoke`).
    #[inline(never)]
    fn presign_url_inner<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
        expires_in: std::time::Duration,
        http_method: Option<&'a str>,
    ) -> crate::http::BoxFuture<'a, Result<String, Error>> {
        Box::pin(self.presign_url_unboxed(operation, params, expires_in, http_method))
    }

    async fn presign_url_unboxed(
        &self,
        operation: &str,
        params: Value,
        expires_in: std::time::Duration,
        http_method: Option<&str>,
    ) -> Result<String, Error> {
        let plan = crate::interceptor::CallPlan {
            account_id: crate::pipeline::identity_account_id(&self.inner).await,
            ..Default::default()
        };
        let mut p =
            crate::pipeline::prepare_with(&self.inner, operation, params, None, &plan, true)?;
        crate::pipeline::form_into_query(&mut p)?;
        if let Some(method) = http_method {
            p.method = method.to_string();
        }
        crate::auth::sign::presign_url(&self.inner, &p, expires_in).await
    }
}
