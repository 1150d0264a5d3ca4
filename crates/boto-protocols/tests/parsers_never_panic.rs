//! Hostile-input property tests: no response body makes a parser panic,
//! recurse without bound, or make `parse_error` fail.
//!
//! Each of the six protocols gets a real model (through the embedded model
//! bundle), a realistic success body and error body, and 50,000 generated
//! cases: arbitrary bytes, and real bodies truncated, byte-flipped, spliced
//! and duplicated, under success and error statuses and with random headers.
//! Every case runs `parse_response` and `parse_error`.

use boto_model::{Loader, ServiceModel};
use boto_protocols::de::{parse_error_as, parse_response_as, Protocol};
use boto_protocols::Response;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::sync::Arc;

const CASES_PER_PROTOCOL: u32 = 50_000;

struct Subject {
    model: Arc<ServiceModel>,
    op: &'static str,
    protocol: Protocol,
    seeds: Vec<Vec<u8>>,
    headers: Vec<(String, String)>,
}

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn model(name: &str) -> Arc<ServiceModel> {
    Loader::global()
        .service_model(name)
        .unwrap_or_else(|e| panic!("model {name}: {e}"))
}

// A minimal CBOR encoder for the seed bodies.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend([m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend((n as u16).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend(n.to_be_bytes());
        }
    }
}
fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend(s.as_bytes());
}

fn cbor_metric_data() -> Vec<u8> {
    let mut b = Vec::new();
    head(&mut b, 5, 2);
    text(&mut b, "MetricDataResults");
    b.push(0x9f); // indefinite array
    for i in 0..2u64 {
        head(&mut b, 5, 5);
        text(&mut b, "Id");
        text(&mut b, &format!("m{i}"));
        text(&mut b, "Label");
        text(&mut b, "CPUUtilization");
        text(&mut b, "Timestamps");
        head(&mut b, 4, 3);
        for t in 0..3u64 {
            b.push(0xc1); // tag 1
            head(&mut b, 0, 1_714_560_000 + t * 60);
        }
        text(&mut b, "Values");
        head(&mut b, 4, 3);
        b.extend([0xfb]);
        b.extend(12.5f64.to_be_bytes());
        b.extend([0xfa]);
        b.extend(3.25f32.to_be_bytes());
        b.extend([0xf9, 0x3c, 0x00]); // half 1.0
        text(&mut b, "StatusCode");
        b.push(0x7f); // chunked text
        text(&mut b, "Compl");
        text(&mut b, "ete");
        b.push(0xff);
    }
    b.push(0xff);
    text(&mut b, "NextToken");
    text(&mut b, "token-123");
    b
}

fn cbor_error() -> Vec<u8> {
    let mut b = Vec::new();
    head(&mut b, 5, 2);
    text(&mut b, "__type");
    text(&mut b, "com.amazonaws.cloudwatch#InvalidNextToken");
    text(&mut b, "message");
    text(&mut b, "The next token is invalid");
    b
}

fn subjects() -> Vec<Subject> {
    vec![
        Subject {
            model: model("dynamodb"),
            op: "GetItem",
            protocol: Protocol::Json,
            seeds: vec![
                br#"{"Item":{"pk":{"S":"user#1"},"n":{"N":"1.5"},"b":{"B":"aGVsbG8="},"ok":{"BOOL":true},"ss":{"SS":["a","b"]},"m":{"M":{"x":{"L":[{"NULL":true},{"N":"2"}]}}}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}"#.to_vec(),
                br#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#.to_vec(),
            ],
            headers: h(&[("x-amzn-RequestId", "RID"), ("Content-Type", "application/x-amz-json-1.0")]),
        },
        Subject {
            model: model("sts"),
            op: "AssumeRole",
            protocol: Protocol::Query,
            seeds: vec![
                br#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><SourceIdentity>DevUser123</SourceIdentity><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn><AssumedRoleId>ARO123EXAMPLE123:John</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey><SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken><Expiration>2019-11-09T13:34:41Z</Expiration></Credentials><PackedPolicySize>6</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>"#.to_vec(),
                br#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredTokenException</Code><Message>The security token included in the request is expired</Message></Error><RequestId>4d4a6b1c-1d2e-4b6a-9a4f-0e0e0e0e0e0e</RequestId></ErrorResponse>"#.to_vec(),
            ],
            headers: h(&[("x-amzn-RequestId", "RID"), ("Content-Type", "text/xml")]),
        },
        Subject {
            model: model("ec2"),
            op: "DescribeInstances",
            protocol: Protocol::Ec2,
            seeds: vec![
                br#"<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>8f7724cf-496f-496e-8fe3-example</requestId><reservationSet><item><reservationId>r-1234567890abcdef0</reservationId><ownerId>123456789012</ownerId><instancesSet><item><instanceId>i-1234567890abcdef0</instanceId><imageId>ami-bff32ccc</imageId><instanceState><code>16</code><name>running</name></instanceState><launchTime>2018-05-08T16:46:19.000Z</launchTime><ebsOptimized>false</ebsOptimized><tagSet><item><key>Name</key><value>web &amp; api</value></item></tagSet><cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions></item></instancesSet></item></reservationSet></DescribeInstancesResponse>"#.to_vec(),
                br#"<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code><Message>Invalid id: "i-1"</Message></Error></Errors><RequestID>ab12</RequestID></Response>"#.to_vec(),
            ],
            headers: h(&[("Content-Type", "text/xml;charset=UTF-8")]),
        },
        Subject {
            model: model("lambda"),
            op: "GetFunction",
            protocol: Protocol::RestJson,
            seeds: vec![
                br#"{"Configuration":{"FunctionName":"my-function","FunctionArn":"arn:aws:lambda:us-west-2:123456789012:function:my-function","Runtime":"nodejs20.x","CodeSize":5797206,"Timeout":3,"MemorySize":128,"LastModified":"2024-05-01T12:00:00.000+0000","Environment":{"Variables":{"A":"1"}},"Layers":[{"Arn":"arn:aws:lambda:us-west-2:123456789012:layer:l:1","CodeSize":169}],"Architectures":["x86_64"]},"Code":{"RepositoryType":"S3","Location":"https://awslambda.s3.amazonaws.com/x"},"Tags":{"DEPARTMENT":"Assets"},"Concurrency":{"ReservedConcurrentExecutions":10}}"#.to_vec(),
                br#"{"Type":"User","message":"Function not found: arn:aws:lambda:us-west-2:123456789012:function:nope"}"#.to_vec(),
            ],
            headers: h(&[
                ("x-amzn-RequestId", "RID"),
                ("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/"),
                ("Content-Type", "application/json"),
            ]),
        },
        Subject {
            model: model("s3"),
            op: "ListObjectsV2",
            protocol: Protocol::RestXml,
            seeds: vec![
                br#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>my-image.jpg</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass><Owner><ID>abc</ID><DisplayName>me</DisplayName></Owner></Contents><Contents><Key>a&lt;b</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents><CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes></ListBucketResult>"#.to_vec(),
                br#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>nope</BucketName><RequestId>4442587FB7D0A2F9</RequestId><HostId>abc=</HostId></Error>"#.to_vec(),
            ],
            headers: h(&[
                ("x-amz-request-id", "4442587FB7D0A2F9"),
                ("x-amz-id-2", "abc="),
                ("x-amz-meta-color", "blue"),
                ("Content-Type", "application/xml"),
            ]),
        },
        Subject {
            model: model("cloudwatch"),
            op: "GetMetricData",
            protocol: Protocol::Cbor,
            seeds: vec![cbor_metric_data(), cbor_error()],
            headers: h(&[("x-amzn-RequestId", "RID"), ("smithy-protocol", "rpc-v2-cbor")]),
        },
    ]
}

/// A body: arbitrary bytes, or a seed mutated.
fn body_strategy(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    let seeds = Arc::new(seeds);
    let (s1, s2, s3, s4) = (seeds.clone(), seeds.clone(), seeds.clone(), seeds);
    prop_oneof![
        2 => proptest::collection::vec(any::<u8>(), 0..256),
        3 => (0..n, any::<prop::sample::Index>()).prop_map(move |(i, cut)| {
            let s = &s1[i];
            s[..cut.index(s.len() + 1)].to_vec()
        }),
        4 => (0..n, proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)).prop_map(
            move |(i, flips)| {
                let mut s = s2[i].clone();
                for (at, x) in flips {
                    let j = at.index(s.len());
                    s[j] ^= x | 1;
                }
                s
            }
        ),
        2 => (0..n, any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..16)).prop_map(
            move |(i, at, ins)| {
                let mut s = s3[i].clone();
                let j = at.index(s.len() + 1);
                s.splice(j..j, ins);
                s
            }
        ),
        1 => (0..n, any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(move |(i, a, b)| {
            let s = &s4[i];
            let (a, b) = (a.index(s.len()), b.index(s.len()));
            let (a, b) = (a.min(b), a.max(b));
            let mut out = s[..b].to_vec();
            out.extend_from_slice(&s[a..]);
            out
        }),
    ]
}

fn run(subject: &Subject) -> u32 {
    let op = subject.model.operation(subject.op).expect("operation");
    let status = prop_oneof![
        Just(200u16),
        Just(400),
        Just(404),
        Just(500),
        Just(503),
        100u16..600
    ];
    let extra = proptest::collection::vec(("[a-zA-Z-]{1,12}", "[ -~]{0,24}"), 0..3);
    let strategy = (body_strategy(subject.seeds.clone()), status, extra);
    let mut runner = TestRunner::new(Config {
        cases: CASES_PER_PROTOCOL,
        failure_persistence: None,
        ..Config::default()
    });
    let count = std::cell::Cell::new(0u32);
    let streamed = std::cell::Cell::new(0u32);
    runner
        .run(&strategy, |(body, status, extra)| {
            count.set(count.get() + 1);
            let mut headers = subject.headers.clone();
            headers.extend(extra);
            let resp = Response {
                status,
                headers: &headers,
                body: &body,
            };
            let _ = parse_response_as(subject.protocol, &subject.model, op, &resp);
            // The XML protocols' streaming reader: where it answers, it
            // answers as the node tree does.
            let agrees = boto_protocols::de::xml_stream_agrees(&subject.model, op, &resp);
            prop_assert_ne!(agrees, Some(false), "{}", String::from_utf8_lossy(&body));
            streamed.set(streamed.get() + u32::from(agrees.is_some()));
            let err = parse_error_as(subject.protocol, &subject.model, op, &resp);
            prop_assert_eq!(err.status, status);
            prop_assert!(!err.code.is_empty());
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{:?} {}: {e}", subject.protocol, subject.op));
    if matches!(
        subject.protocol,
        Protocol::Query | Protocol::Ec2 | Protocol::RestXml
    ) {
        println!(
            "{:?} {}: the streaming XML reader answered {} of {} cases, each as the tree",
            subject.protocol,
            subject.op,
            streamed.get(),
            count.get()
        );
        // Flips and splices inside text keep some bodies readable.
        assert!(streamed.get() * 100 > count.get(), "{}", streamed.get());
    }
    count.get()
}

#[test]
fn seeds_parse() {
    for s in subjects() {
        let op = s.model.operation(s.op).expect("operation");
        let ok = Response {
            status: 200,
            headers: &s.headers,
            body: &s.seeds[0],
        };
        let v = parse_response_as(s.protocol, &s.model, op, &ok)
            .unwrap_or_else(|e| panic!("{:?}: {e}", s.protocol));
        assert!(
            v.as_map().is_some_and(|m| m.len() > 1),
            "{:?}: {v:?}",
            s.protocol
        );
        let bad = Response {
            status: 400,
            headers: &s.headers,
            body: &s.seeds[1],
        };
        let e = parse_error_as(s.protocol, &s.model, op, &bad);
        assert!(
            e.shape.is_some() || s.protocol == Protocol::Ec2,
            "{:?}: {e:?}",
            s.protocol
        );
        assert_ne!(e.code, "400", "{:?}", s.protocol);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep: Vec<(Protocol, Vec<u8>)> = vec![
        (
            Protocol::Json,
            format!(
                "{{\"Item\":{{\"a\":{{\"M\":{}",
                "{\"a\":{\"M\":".repeat(50_000)
            )
            .into_bytes(),
        ),
        (Protocol::Query, "<a>".repeat(100_000).into_bytes()),
        (Protocol::Ec2, "<a>".repeat(100_000).into_bytes()),
        (Protocol::RestJson, "[".repeat(100_000).into_bytes()),
        (Protocol::RestXml, "<a>".repeat(100_000).into_bytes()),
        (
            Protocol::Cbor,
            [vec![0xa1, 0x61, b'x'], vec![0x81; 100_000]].concat(),
        ),
    ];
    let subjects = subjects();
    for (p, body) in deep {
        let s = subjects.iter().find(|s| s.protocol == p).expect("subject");
        let op = s.model.operation(s.op).expect("operation");
        let resp = Response {
            status: 200,
            headers: &s.headers,
            body: &body,
        };
        assert!(parse_response_as(p, &s.model, op, &resp).is_err(), "{p:?}");
        let resp = Response {
            status: 400,
            ..resp
        };
        assert_eq!(parse_error_as(p, &s.model, op, &resp).status, 400);
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let mut total = 0;
    for s in subjects() {
        total += run(&s);
    }
    println!("parsers_never_panic: {total} generated cases across 6 protocols");
    assert!(total >= 100_000, "{total}");
}
