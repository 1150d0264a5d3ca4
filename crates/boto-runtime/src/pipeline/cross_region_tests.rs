//! The injected URLs through real clients (real models, rule sets and
//! signing; a canned transport): what is sent, and that the URL's signature
//! is the one SigV4 gives for its own date.

use crate::doc_support::client_and_transport;
use crate::http::HttpRequest;
use boto_auth::sigv4::{self, SignableRequest, SigningParams, SigningSettings};
use boto_auth::Credentials;
use boto_model::{params, Loader};
use std::time::{Duration, SystemTime};

fn models() -> bool {
    if Loader::embedded_file_count() == 0 {
        eprintln!("skipped: no embedded models in this build");
        return false;
    }
    true
}

/// The form body's pairs, percent-decoded, in order.
fn form(req: &HttpRequest) -> Vec<(String, String)> {
    let body = String::from_utf8(req.body.bytes().unwrap().to_vec()).unwrap();
    body.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `20150830T123600Z` → the instant.
fn amz_time(s: &str) -> SystemTime {
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    // Days from civil (Howard Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let secs = days * 86_400 + n(9..11) * 3600 + n(11..13) * 60 + n(13..15);
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
}

/// Checks `url` is a SigV4 presigned GET for `region`/`service` valid one
/// hour, whose signature is the one the operation parameters (the query before
/// `X-Amz-Algorithm`) give at its `X-Amz-Date`; returns those parameters.
fn verified(url: &str, host: &str, region: &str, service: &str) -> String {
    verified_with(url, host, region, service, &example_credentials(None))
}

fn example_credentials(token: Option<&str>) -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        token.map(str::to_owned),
        None,
        "test",
    )
}

fn verified_with(
    url: &str,
    host: &str,
    region: &str,
    service: &str,
    creds: &Credentials,
) -> String {
    let prefix = format!("https://{host}/?");
    let query = url
        .strip_prefix(&prefix)
        .expect("URL for the source region");
    let (ops, auth) = query.split_once("&X-Amz-Algorithm=").unwrap();
    let date = auth
        .split('&')
        .find_map(|kv| kv.strip_prefix("X-Amz-Date="))
        .unwrap();
    let req = SignableRequest::new("GET", "https", host, "/").encoded_query(ops);
    let params = SigningParams::new(region, service, amz_time(date))
        .with_settings(SigningSettings::default().with_expires_in(Duration::from_secs(3600)));
    let expected = sigv4::presign(&req, creds, &params).unwrap().into_url();
    assert_eq!(url, expected, "the signature verifies");
    assert!(auth.contains(&format!(
        "X-Amz-Credential=AKIDEXAMPLE%2F{}%2F{region}%2F{service}%2Faws4_request",
        &date[..8]
    )));
    assert!(auth.contains("&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&"));
    ops.to_string()
}

#[tokio::test]
async fn ec2_copy_snapshot_sends_a_url_presigned_for_the_source_region() {
    if !models() {
        return;
    }
    let (ec2, transport) = client_and_transport(
        "ec2",
        &[(
            200,
            "<CopySnapshotResponse><snapshotId>snap-2</snapshotId></CopySnapshotResponse>",
        )],
    );
    let input = params! {"SourceRegion": "us-west-2", "SourceSnapshotId": "snap-1",
    "Description": "a b/c"};
    let out = ec2.call("CopySnapshot", input.clone()).await.unwrap();
    assert_eq!(out.get("SnapshotId").as_str(), Some("snap-2"));
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, "https://ec2.us-east-1.amazonaws.com/");
    let pairs = form(&sent[0]);
    let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    // botocore's order: the serialized parameters, then PresignedUrl, then DestinationRegion.
    assert_eq!(
        names,
        [
            "Action",
            "Version",
            "SourceRegion",
            "SourceSnapshotId",
            "Description",
            "PresignedUrl",
            "DestinationRegion"
        ]
    );
    assert_eq!(value(&pairs, "DestinationRegion"), Some("us-east-1"));
    let url = value(&pairs, "PresignedUrl").unwrap();
    let ops = verified(url, "ec2.us-west-2.amazonaws.com", "us-west-2", "ec2");
    assert_eq!(
        ops,
        "Action=CopySnapshot&Version=2016-11-15&SourceRegion=us-west-2&SourceSnapshotId=snap-1\
         &Description=a%20b%2Fc&DestinationRegion=us-east-1"
    );

    // `prepare` (--print-request) injects the same way; a given URL is kept as is.
    let req = ec2.prepare("CopySnapshot", input).await.unwrap();
    assert!(value(&form(&req), "PresignedUrl")
        .unwrap()
        .starts_with("https://ec2.us-west-2.amazonaws.com/?Action=CopySnapshot&"));
    let given = params! {"SourceRegion": "us-west-2", "SourceSnapshotId": "snap-1",
    "PresignedUrl": "https://mine"};
    let pairs = form(&ec2.prepare("CopySnapshot", given).await.unwrap());
    assert_eq!(value(&pairs, "PresignedUrl"), Some("https://mine"));
    assert_eq!(value(&pairs, "DestinationRegion"), None);
}

#[tokio::test]
async fn rds_copy_db_snapshot_drops_source_region_and_sends_a_presigned_url() {
    if !models() {
        return;
    }
    let (rds, _) = client_and_transport("rds", &[]);
    let source = "arn:aws:rds:eu-west-1:123456789012:snapshot:nightly";
    let req = rds
        .prepare(
            "CopyDBSnapshot",
            params! {"SourceDBSnapshotIdentifier": source, "TargetDBSnapshotIdentifier": "copy",
            "SourceRegion": "eu-west-1", "KmsKeyId": "alias/k"},
        )
        .await
        .unwrap();
    let pairs = form(&req);
    let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "Action",
            "Version",
            "SourceDBSnapshotIdentifier",
            "TargetDBSnapshotIdentifier",
            "KmsKeyId",
            "PreSignedUrl"
        ]
    );
    let url = value(&pairs, "PreSignedUrl").unwrap();
    let ops = verified(url, "rds.eu-west-1.amazonaws.com", "eu-west-1", "rds");
    // No SourceRegion; DestinationRegion, which RDS's model does not have, appended.
    assert_eq!(
        ops,
        "Action=CopyDBSnapshot&Version=2014-10-31\
         &SourceDBSnapshotIdentifier=arn%3Aaws%3Ards%3Aeu-west-1%3A123456789012%3Asnapshot%3Anightly\
         &TargetDBSnapshotIdentifier=copy&KmsKeyId=alias%2Fk&DestinationRegion=us-east-1"
    );

    // Without SourceRegion nothing is added (a copy within the region).
    let req = rds
        .prepare(
            "CopyDBSnapshot",
            params! {"SourceDBSnapshotIdentifier": "s", "TargetDBSnapshotIdentifier": "copy"},
        )
        .await
        .unwrap();
    assert_eq!(value(&form(&req), "PreSignedUrl"), None);
}

#[tokio::test]
async fn neptune_and_docdb_create_db_cluster_too() {
    if !models() {
        return;
    }
    for (service, host) in [
        ("neptune", "rds.us-west-2.amazonaws.com"),
        ("docdb", "rds.us-west-2.amazonaws.com"),
    ] {
        let (c, _) = client_and_transport(service, &[]);
        let req = c
            .prepare(
                "CreateDBCluster",
                params! {"DBClusterIdentifier": "c", "Engine": service, "SourceRegion": "us-west-2",
                "MasterUserPassword": "secret"},
            )
            .await
            .unwrap();
        let pairs = form(&req);
        assert_eq!(value(&pairs, "SourceRegion"), None, "{service}");
        let ops = verified(
            value(&pairs, "PreSignedUrl").unwrap(),
            host,
            "us-west-2",
            "rds",
        );
        assert!(
            ops.ends_with("&DestinationRegion=us-east-1"),
            "{service}: {ops}"
        );
    }
}

#[tokio::test]
async fn a_session_token_is_signed_into_the_url() {
    if !models() {
        return;
    }
    let creds = example_credentials(Some("session/token+1"));
    let ec2 = crate::Client::builder("ec2")
        .config(crate::ClientConfig {
            region: Some("ap-southeast-2".into()),
            ..Default::default()
        })
        .credentials(std::sync::Arc::new(
            boto_auth::credentials::StaticProvider::new(creds.clone()),
        ))
        .build()
        .unwrap();
    let req = ec2
        .prepare(
            "CopySnapshot",
            params! {"SourceRegion": "ap-northeast-1", "SourceSnapshotId": "snap-1"},
        )
        .await
        .unwrap();
    let url = value(&form(&req), "PresignedUrl").unwrap().to_string();
    // botocore's order: ... X-Amz-SignedHeaders, X-Amz-Security-Token, X-Amz-Signature.
    assert!(
        url.contains(
            "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=session%2Ftoken%2B1&X-Amz-Signature="
        ),
        "{url}"
    );
    let ops = verified_with(
        &url,
        "ec2.ap-northeast-1.amazonaws.com",
        "ap-northeast-1",
        "ec2",
        &creds,
    );
    assert!(ops.ends_with("&DestinationRegion=ap-southeast-2"));
}

/// botocore 1.43.67 `generate_presigned_url("get_caller_identity")` for
/// us-east-1 with the AWS example keys, its clock pinned to
/// 2015-08-30T12:36:00Z: the form's `Action`/`Version` lead the query, and the
/// request is signed with its own method (POST) unless `HttpMethod` says otherwise.
const BOTOCORE_STS_PRESIGNED: &str = "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=ee1d1a6624d424bfbaddad3cc59c9bb9403f1e4fabc497e000f45479dc82251d";

fn presign_sts(method: &str, date: &str) -> String {
    let host = "sts.us-east-1.amazonaws.com";
    let req = SignableRequest::new(method, "https", host, "/")
        .encoded_query("Action=GetCallerIdentity&Version=2011-06-15");
    let params = SigningParams::new("us-east-1", "sts", amz_time(date))
        .with_settings(SigningSettings::default().with_expires_in(Duration::from_secs(3600)));
    sigv4::presign(&req, &example_credentials(None), &params)
        .unwrap()
        .into_url()
}

#[tokio::test]
async fn query_protocol_presigned_urls_carry_the_form_parameters() {
    if !models() {
        return;
    }
    // The known answer pins the signing recipe (method, query order) to botocore's.
    assert_eq!(
        presign_sts("POST", "20150830T123600Z"),
        BOTOCORE_STS_PRESIGNED
    );
    let (sts, transport) = client_and_transport("sts", &[]);
    let url = sts
        .presign_url("GetCallerIdentity", params! {}, Duration::from_secs(3600))
        .await
        .unwrap();
    assert!(
        url.starts_with(
            "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
        ),
        "{url}"
    );
    let date = url
        .split('&')
        .find_map(|kv| kv.strip_prefix("X-Amz-Date="))
        .unwrap();
    assert_eq!(url, presign_sts("POST", date), "the signature verifies");
    assert!(transport.requests().is_empty(), "presigning sends nothing");
}

/// The same call with `HttpMethod="GET"` (botocore 1.43.67, clock pinned as above).
const BOTOCORE_STS_PRESIGNED_GET_SIGNATURE: &str =
    "a9fc94376d8f7ca7cdfdd5775300f7fa2a47ae4db7be632d33ff5a4bbb68b98a";

#[tokio::test]
async fn presigned_urls_can_be_signed_for_another_method() {
    if !models() {
        return;
    }
    assert!(presign_sts("GET", "20150830T123600Z").ends_with(&format!(
        "X-Amz-Signature={BOTOCORE_STS_PRESIGNED_GET_SIGNATURE}"
    )));
    let (sts, _) = client_and_transport("sts", &[]);
    let url = sts
        .presign_url_with_method(
            "GetCallerIdentity",
            params! {},
            Duration::from_secs(3600),
            "GET",
        )
        .await
        .unwrap();
    let date = url
        .split('&')
        .find_map(|kv| kv.strip_prefix("X-Amz-Date="))
        .unwrap();
    assert_eq!(url, presign_sts("GET", date), "signed for GET");
    for bad in ["get", "", "GET\r\nX: y", "G T"] {
        let err = sts
            .presign_url_with_method(
                "GetCallerIdentity",
                params! {},
                Duration::from_secs(60),
                bad,
            )
            .await
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Validation, "{bad:?}");
    }
}
