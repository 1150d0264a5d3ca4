//! Scheme selection on the real models and rule sets, and each scheme applied.

use super::*;
use crate::{Client, ClientConfig};
use boto_auth::Credentials;
use boto_model::{params, Loader, Value};

fn client(service: &str, region: &str, f: impl FnOnce(&mut ClientConfig)) -> Option<Client> {
    if Loader::embedded_file_count() == 0 {
        eprintln!("skipped: no embedded models in this build");
        return None;
    }
    let mut config = ClientConfig {
        region: Some(region.into()),
        ..Default::default()
    };
    f(&mut config);
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    );
    Some(
        Client::builder(service)
            .config(config)
            .credentials(std::sync::Arc::new(
                boto_auth::credentials::StaticProvider::new(creds),
            ))
            .build()
            .unwrap(),
    )
}

fn scheme(c: &Client, op: &str, params: Value) -> AuthScheme {
    crate::pipeline::prepare_with(&c.inner, op, params, None, &Default::default(), false)
        .unwrap()
        .auth
}

fn scope(name: &str, region: &str, double: bool) -> Scope {
    Scope {
        signing_name: name.into(),
        signing_region: region.into(),
        disable_double_encoding: double,
    }
}

#[test]
fn model_and_endpoint_choose_the_scheme() {
    let Some(s3) = client("s3", "eu-west-1", |_| {}) else {
        return;
    };
    let get = params! {"Bucket": "b", "Key": "k"};
    assert_eq!(
        scheme(&s3, "GetObject", get.clone()),
        AuthScheme::SigV4(scope("s3", "eu-west-1", true))
    );
    // A multi-region access point ARN: the endpoint asks for SigV4a over all regions.
    let mrap =
        params! {"Bucket": "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "Key": "k"};
    assert_eq!(
        scheme(&s3, "GetObject", mrap),
        AuthScheme::SigV4a(scope("s3", "*", true))
    );
    let sdb = client("sdb", "us-east-1", |_| {}).unwrap();
    assert_eq!(scheme(&sdb, "ListDomains", params! {}), AuthScheme::SigV2);
    let sts = client("sts", "us-east-1", |_| {}).unwrap();
    let web = params! {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "session",
    "WebIdentityToken": "token"};
    assert_eq!(
        scheme(&sts, "AssumeRoleWithWebIdentity", web),
        AuthScheme::None
    );
    assert_eq!(
        scheme(&sts, "GetCallerIdentity", params! {}),
        AuthScheme::SigV4(scope("sts", "us-east-1", false))
    );
    let cc = client("codecatalyst", "us-west-2", |_| {}).unwrap();
    assert_eq!(scheme(&cc, "ListSpaces", params! {}), AuthScheme::Bearer);
    // The model lists sigv4a, then sigv4: SigV4, as botocore without awscrt.
    let pc = client("partnercentral-revenue-measurement", "us-east-1", |_| {}).unwrap();
    assert_eq!(
        scheme(&pc, "ListRevenueAttributions", params! {"Catalog": "AWS"}),
        AuthScheme::SigV4(scope("partnercentral", "us-east-1", false))
    );
    let unsigned = client("s3", "eu-west-1", |c| c.sign_requests = false).unwrap();
    assert_eq!(scheme(&unsigned, "GetObject", get), AuthScheme::None);
}

/// A directory bucket: session auth for its operations, plain SigV4 for
/// `CreateSession` and when `DisableS3ExpressSessionAuth` is set.
#[test]
fn directory_buckets_choose_s3_express_session_auth() {
    let Some(s3) = client("s3", "us-west-2", |_| {}) else {
        return;
    };
    let b = params! {"Bucket": "mybucket--usw2-az1--x-s3", "Key": "k"};
    assert_eq!(
        scheme(&s3, "GetObject", b.clone()),
        AuthScheme::SigV4S3Express(scope("s3express", "us-west-2", true))
    );
    assert_eq!(
        scheme(
            &s3,
            "CreateSession",
            params! {"Bucket": "mybucket--usw2-az1--x-s3"}
        ),
        AuthScheme::SigV4(scope("s3express", "us-west-2", true))
    );
    let disabled = client("s3", "us-west-2", |c| {
        c.client_context_params.push((
            "DisableS3ExpressSessionAuth".into(),
            boto_endpoints::ParamValue::Bool(true),
        ))
    })
    .unwrap();
    assert_eq!(
        scheme(&disabled, "GetObject", b),
        AuthScheme::SigV4(scope("s3express", "us-west-2", true))
    );
    assert_eq!(
        AuthScheme::SigV4S3Express(scope("s3express", "us-west-2", true)).name(),
        "sigv4-s3express"
    );
}

#[tokio::test]
async fn each_scheme_signs_its_way() {
    let Some(s3) = client("s3", "eu-west-1", |_| {}) else {
        return;
    };
    let mrap =
        params! {"Bucket": "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "Key": "k"};
    let req = s3.prepare("GetObject", mrap.clone()).await.unwrap();
    assert!(req
        .url
        .starts_with("https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k"));
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("x-amz-region-set").as_deref(), Some("*"));
    let auth = header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/")
            && auth.contains("/s3/aws4_request, SignedHeaders=")
            && auth.contains("x-amz-region-set"),
        "{auth}"
    );
    let url = s3
        .presign_url("GetObject", mrap, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert!(
        url.contains("X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256")
            && url.contains("X-Amz-Region-Set=%2A")
    );

    let sdb = client("sdb", "us-east-1", |_| {}).unwrap();
    let req = sdb
        .prepare(
            "GetAttributes",
            params! {"DomainName": "d", "ItemName": "i"},
        )
        .await
        .unwrap();
    let body = String::from_utf8(req.body.bytes().unwrap().to_vec()).unwrap();
    assert!(body.starts_with("Action=GetAttributes&Version=2009-04-15&DomainName=d&ItemName=i&AWSAccessKeyId=AKIDEXAMPLE&SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp="), "{body}");
    assert!(body.contains("&Signature="));
    assert!(!req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("authorization")));
    let len = req
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse::<usize>().unwrap());
    assert_eq!(len, Some(body.len()));
    let err = sdb
        .presign_url(
            "ListDomains",
            params! {},
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("sigv2"), "{err}");
}

/// DynamoDB's rule set uses `AWS::Auth::AccountId`: the endpoint is resolved
/// after the credentials, so their account id picks the account endpoint, as
/// botocore does; `account_id_endpoint_mode = disabled` turns that off.
#[tokio::test]
async fn identity_is_resolved_before_the_endpoint() {
    if Loader::embedded_file_count() == 0 {
        return;
    }
    let build_signed = |mode: Option<&str>, configured: Option<&str>, sign_requests: bool| {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", None, None, "test")
            .with_account_id(Some("123456789012".into()));
        Client::builder("dynamodb")
            .config(ClientConfig {
                region: Some("us-east-1".into()),
                account_id_endpoint_mode: mode.map(str::to_owned),
                account_id: configured.map(str::to_owned),
                sign_requests,
                ..Default::default()
            })
            .credentials(std::sync::Arc::new(
                boto_auth::credentials::StaticProvider::new(creds),
            ))
            .build()
            .unwrap()
    };
    let build_with =
        |mode: Option<&str>, configured: Option<&str>| build_signed(mode, configured, true);
    let build = |mode: Option<&str>| build_with(mode, None);
    let list = params! {"Limit": 1};
    // A configured account id wins over the identity's.
    let req = build_with(None, Some("111122223333"))
        .prepare("ListTables", list.clone())
        .await
        .unwrap();
    assert_eq!(req.url, "https://111122223333.ddb.us-east-1.amazonaws.com/");
    let req = build(None)
        .prepare("ListTables", list.clone())
        .await
        .unwrap();
    assert_eq!(req.url, "https://123456789012.ddb.us-east-1.amazonaws.com/");
    let req = build(Some("disabled"))
        .prepare("ListTables", list.clone())
        .await
        .unwrap();
    assert_eq!(req.url, "https://dynamodb.us-east-1.amazonaws.com/");
    // An unsigned client has no identity to take an account id from.
    let req = build_signed(None, None, false)
        .prepare("ListTables", list.clone())
        .await
        .unwrap();
    assert_eq!(req.url, "https://dynamodb.us-east-1.amazonaws.com/");
    let url = build(None)
        .presign_url("ListTables", list, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert!(url.starts_with("https://123456789012.ddb.us-east-1.amazonaws.com/"));
}

#[test]
fn a_configured_signature_version_replaces_the_models_signature_only() {
    use crate::config::SignatureVersion;
    let Some(sdb) = client("sdb", "us-east-1", |c| {
        c.signature_version = Some(SignatureVersion::V4)
    }) else {
        return;
    };
    let v4 = |name: &str| {
        AuthScheme::SigV4(Scope {
            signing_name: name.into(),
            signing_region: "us-east-1".into(),
            disable_double_encoding: false,
        })
    };
    assert_eq!(scheme(&sdb, "ListDomains", params! {}), v4("sdb"));
    // noAuth operations stay unsigned whatever is configured.
    let sts = client("sts", "us-east-1", |c| {
        c.signature_version = Some(SignatureVersion::V4)
    })
    .unwrap();
    let web = params! {"RoleArn": "arn:aws:iam::123456789012:role/r",
    "RoleSessionName": "session", "WebIdentityToken": "token"};
    assert_eq!(
        scheme(&sts, "AssumeRoleWithWebIdentity", web),
        AuthScheme::None
    );
    // v2 only signs query-protocol requests.
    let ddb = client("dynamodb", "us-east-1", |c| {
        c.signature_version = Some(SignatureVersion::V2)
    })
    .unwrap();
    let err = crate::pipeline::prepare_with(
        &ddb.inner,
        "ListTables",
        params! {},
        None,
        &Default::default(),
        false,
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("signature version v2"), "{err}");
    assert!(SignatureVersion::parse("s3").is_err());
    assert_eq!(
        SignatureVersion::parse("s3v4").unwrap(),
        SignatureVersion::S3V4
    );
}

#[test]
fn a_configured_sigv4a_region_set_wins_over_the_endpoints() {
    let Some(s3) = client("s3", "us-east-1", |c| {
        c.sigv4a_signing_region_set = Some("us-east-1,us-west-2".into())
    }) else {
        return;
    };
    let mrap =
        params! {"Bucket": "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "Key": "k"};
    assert_eq!(
        scheme(&s3, "GetObject", mrap),
        AuthScheme::SigV4a(scope("s3", "us-east-1,us-west-2", true))
    );
}
