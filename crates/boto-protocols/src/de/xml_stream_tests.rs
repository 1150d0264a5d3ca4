//! The stream against the tree, on real S3 outputs: same values in the same
//! order whenever the stream answers, and no answer on what it leaves alone.

use super::{payload, query_output};
use crate::de::xml::Doc;
use crate::de::xml_walk::{Sel, XmlWalker};
use crate::ParseError;
use boto_model::{Loader, MemberRef, ServiceModel, Value};
use std::sync::Arc;

fn output(op: &str) -> (Arc<ServiceModel>, MemberRef) {
    output_of("s3", op)
}

fn output_of(service: &str, op: &str) -> (Arc<ServiceModel>, MemberRef) {
    let model = Loader::global().service_model(service).expect("model");
    let r = model
        .operation(op)
        .expect("operation")
        .output
        .clone()
        .expect("output");
    (model, r)
}

/// The tree path, as `rest::xml_payload` takes it when the stream gives up.
fn tree(model: &ServiceModel, r: &MemberRef, body: &[u8]) -> Result<Value, ParseError> {
    let doc = Doc::parse(body)?;
    XmlWalker {
        model,
        doc: &doc,
        ec2: false,
    }
    .value(r, &Sel::One(doc.root()))
}

/// `Debug` shows map entries in order, which `==` ignores.
fn same(op: &str, body: &str) -> Value {
    let (model, r) = output(op);
    let streamed = payload(&model, &r, body.as_bytes())
        .unwrap_or_else(|| panic!("the stream gave up on {op}:\n{body}"));
    let walked = tree(&model, &r, body.as_bytes()).expect("the tree parses it");
    assert_eq!(format!("{streamed:?}"), format!("{walked:?}"), "{op}");
    streamed
}

fn gives_up(op: &str, body: &str) {
    let (model, r) = output(op);
    assert!(
        payload(&model, &r, body.as_bytes()).is_none(),
        "the stream answered for {op}:\n{body}"
    );
}

const LISTING: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n",
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">",
    "<Name>example-bucket</Name><Prefix/>",
    "<Contents><Key>a &amp; b\r\nc.txt</Key><LastModified>2024-05-01T12:00:00.000Z</LastModified>",
    "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>",
    "<ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>",
    "<Size>12</Size><Owner><ID>abc</ID><DisplayName>me</DisplayName></Owner>",
    "<StorageClass>STANDARD</StorageClass></Contents>\n  ",
    "<Contents><Size>0</Size><Key>&#x41;&#66;</Key><Future><A>1</A><B/><C x='>'>t</C></Future>",
    "<RestoreStatus><IsRestoreInProgress>true</IsRestoreInProgress></RestoreStatus></Contents>",
    "<CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes>",
    "<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>",
    "<s3:EncodingType xmlns:s3=\"u\">url</s3:EncodingType>",
    "</ListBucketResult><?done?>\n",
);

#[test]
fn a_listing_reads_as_the_tree_reads_it() {
    let v = same("ListObjectsV2", LISTING);
    assert_eq!(v.pointer("Contents[0].Key").as_str(), Some("a & b\nc.txt"));
    assert_eq!(
        v.pointer("Contents[0].ChecksumAlgorithm[1]").as_str(),
        Some("CRC64NVME")
    );
    assert_eq!(v.pointer("Contents[1].Key").as_str(), Some("AB"));
    assert_eq!(v.get("Prefix").as_str(), Some(""));
    // Members come out in model order, whatever the document's order.
    let keys: Vec<_> = v
        .pointer("Contents[1]")
        .as_map()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["Key", "Size", "RestoreStatus"]);
}

#[test]
fn flattened_lists_come_out_at_their_size_parse_after_parse() {
    // Long flattened lists grow in the thread's spare buffers; what is
    // handed out is sized exactly, and the next parse reads the same.
    let object = |i: usize| {
        format!(
            "<Contents><Key>k{i}</Key><ChecksumAlgorithm>CRC32</ChecksumAlgorithm>\
             <ChecksumAlgorithm>SHA1</ChecksumAlgorithm><ChecksumAlgorithm>SHA256</ChecksumAlgorithm>\
             <Size>{i}</Size></Contents>"
        )
    };
    for n in [1, 2, 3, 40, 700, 3, 1200, 40] {
        let body = format!(
            "<ListBucketResult>{}<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>\
             <CommonPrefixes><Prefix>q/</Prefix></CommonPrefixes><KeyCount>{n}</KeyCount>\
             </ListBucketResult>",
            (0..n).map(object).collect::<String>()
        );
        let v = same("ListObjectsV2", &body);
        let Value::List(contents) = v.get("Contents") else {
            panic!("no Contents")
        };
        assert_eq!((contents.len(), contents.capacity()), (n, n));
        for (i, o) in contents.iter().enumerate() {
            assert_eq!(o.get("Key").as_str(), Some(format!("k{i}").as_str()));
            let Value::List(algorithms) = o.get("ChecksumAlgorithm") else {
                panic!("no ChecksumAlgorithm")
            };
            assert_eq!((algorithms.len(), algorithms.capacity()), (3, 3));
        }
        let Value::List(prefixes) = v.get("CommonPrefixes") else {
            panic!("no CommonPrefixes")
        };
        assert_eq!((prefixes.len(), prefixes.capacity()), (2, 2));
    }
}

#[test]
fn other_s3_outputs_read_as_the_tree_reads_them() {
    same(
        "ListObjectVersions",
        "<ListVersionsResult><Version><Key>a</Key><VersionId>1</VersionId><IsLatest>true</IsLatest></Version>\
         <DeleteMarker><Key>a</Key><VersionId>2</VersionId></DeleteMarker>\
         <Version><Key>b</Key><VersionId>3</VersionId><Size>4</Size></Version>\
         <Name>bk</Name><IsTruncated>false</IsTruncated></ListVersionsResult>",
    );
    same(
        "ListBuckets",
        "<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets>\
         <Bucket><Name>a</Name><CreationDate>2024-01-01T00:00:00Z</CreationDate></Bucket>\
         <Bucket><Name>b</Name><BucketRegion>eu-west-1</BucketRegion></Bucket>\
         </Buckets><Buckets2/></ListAllMyBucketsResult>",
    );
    same(
        "GetBucketTagging",
        "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag><Tag><Key>k2</Key><Value/></Tag></TagSet></Tagging>",
    );
    same(
        "GetBucketLifecycleConfiguration",
        "<LifecycleConfiguration><Rule><ID>r</ID><Filter><And><Prefix>p</Prefix>\
         <Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></And></Filter>\
         <Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>\
         <Rule><Status>Disabled</Status></Rule></LifecycleConfiguration>",
    );
    same("GetBucketTagging", "<Tagging/>");
}

#[test]
fn leaves_the_unusual_to_the_tree() {
    let list = |inner: &str| format!("<ListBucketResult><Name>b</Name>{inner}</ListBucketResult>");
    for body in [
        list("<!-- a comment -->"),
        list("<Prefix><![CDATA[<p>]]></Prefix>"),
        format!("<!DOCTYPE x>{}", list("")),
        list("<Name>again</Name>"),
        list("<Prefix>p<X/></Prefix>"),
        list("<Prefix>p</Prefx>"),
        list("<Prefix>p</Prefix ><KeyCount>1</KeyCount>"),
        list("<KeyCount>many</KeyCount>"),
        list(" &bogus; "),
        list("<Contents><Key>k</Key>"),
        format!("{}<junk/>", list("")),
        format!("text{}", list("")),
        list("<Prefix/>").replace("</ListBucketResult>", ""),
    ] {
        gives_up("ListObjectsV2", &body);
    }
    // An attribute member (a grantee's `xsi:type`).
    gives_up(
        "GetBucketAcl",
        "<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi=\"x\" xsi:type=\"CanonicalUser\">\
         <ID>i</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>",
    );
    let (model, r) = output("ListObjectsV2");
    assert!(payload(&model, &r, b"<ListBucketResult>\xff</ListBucketResult>").is_none());
}

/// Every one-byte deletion from `base`, and every insertion of each of `bytes`.
fn one_byte_edits(base: &[u8], bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for i in 0..base.len() {
        out.push([&base[..i], &base[i + 1..]].concat());
        for &b in bytes {
            out.push([&base[..i], &[b][..], &base[i..]].concat());
        }
    }
    out
}

/// Every one-byte edit of a listing: where the stream answers, the tree
/// agrees. Most edits break the document (the stream must then give up,
/// as the tree errs); some keep it valid and change a value.
#[test]
fn agrees_with_the_tree_under_every_small_edit() {
    let (model, r) = output("ListObjectsV2");
    let base = LISTING.as_bytes();
    let (mut answered, mut edits) = (0, 0);
    for body in one_byte_edits(base, b"<>/&\" x;") {
        edits += 1;
        let Some(streamed) = payload(&model, &r, &body) else {
            continue;
        };
        answered += 1;
        let walked = tree(&model, &r, &body).unwrap_or_else(|e| {
            panic!(
                "the tree rejects what the stream read ({e}):\n{}",
                String::from_utf8_lossy(&body)
            )
        });
        assert_eq!(
            format!("{streamed:?}"),
            format!("{walked:?}"),
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
    // Many edits land in text and keep the document readable.
    assert!(answered * 5 > edits, "{answered} of {edits}");
}

/// A query (`ec2: false`) or ec2 output: the stream's answer against the tree's.
fn query_same(service: &str, op: &str, body: &[u8]) -> Option<bool> {
    let (model, r) = output_of(service, op);
    let ec2 = service == "ec2";
    let streamed = query_output(&model, Some(&r), body, ec2)?;
    let walked = if ec2 {
        crate::de::ec2::parse_tree(&model, Some(&r), body)
    } else {
        crate::de::query::parse_tree(&model, Some(&r), body)
    };
    Some(walked.is_ok_and(|w| format!("{w:?}") == format!("{streamed:?}")))
}

const CALLER: &str = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n\
  <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/a&amp;b</Arn>\n\
  <UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>\n\
  <ResponseMetadata><RequestId>01234567-89ab</RequestId><Other/><Empty></Empty></ResponseMetadata>\n\
</GetCallerIdentityResponse>";

const INSTANCES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\n\
  <requestId>8f7724cf-496f</requestId>\n\
  <reservationSet><item><reservationId>r-1</reservationId><ownerId>1234</ownerId><groupSet/>\n\
    <instancesSet><item><instanceId>i-1</instanceId><imageId>ami-1</imageId>\n\
      <instanceState><code>16</code><name>running</name></instanceState>\n\
      <launchTime>2024-05-01T12:00:00.000Z</launchTime><ebsOptimized>false</ebsOptimized>\n\
      <tagSet><item><key>Name</key><value>web &lt;1&gt;</value></item></tagSet>\n\
      <unknownField><a>1</a></unknownField></item></instancesSet></item></reservationSet>\n\
</DescribeInstancesResponse>";

const TOPIC: &str =
    "<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\
  <GetTopicAttributesResult><Attributes>\
    <entry><key>Owner</key><value>123456789012</value></entry>\
    <entry><value>arn:aws:sns:us-east-1:123456789012:t</value><key>TopicArn</key></entry>\
    <entry><key>Owner</key><value>again</value></entry>\
    <entry><key>DisplayName</key><value/></entry>\
  </Attributes></GetTopicAttributesResult>\
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTopicAttributesResponse>";

#[test]
fn maps_read_as_the_tree_reads_them() {
    assert_eq!(
        query_same("sns", "GetTopicAttributes", TOPIC.as_bytes()),
        Some(true)
    );
    let (model, r) = output_of("sns", "GetTopicAttributes");
    let v = Value::Map(query_output(&model, Some(&r), TOPIC.as_bytes(), false).unwrap());
    let attrs = v.get("Attributes").as_map().unwrap();
    // A repeated key replaces the value in its first place.
    let keys: Vec<_> = attrs.keys().cloned().collect();
    assert_eq!(keys, ["Owner", "TopicArn", "DisplayName"]);
    assert_eq!(attrs.get("Owner").and_then(Value::as_str), Some("again"));
    // An entry without a key, or with an element the model does not name:
    // the tree's error, so the tree's business.
    for odd in [
        TOPIC.replace("<key>DisplayName</key>", ""),
        TOPIC.replace("<key>DisplayName</key>", "<other/>"),
    ] {
        assert_eq!(
            query_same("sns", "GetTopicAttributes", odd.as_bytes()),
            None,
            "{odd}"
        );
    }
}

#[test]
fn query_and_ec2_outputs_read_as_the_tree_reads_them() {
    assert_eq!(
        query_same("sts", "GetCallerIdentity", CALLER.as_bytes()),
        Some(true)
    );
    assert_eq!(
        query_same("ec2", "DescribeInstances", INSTANCES.as_bytes()),
        Some(true)
    );
    let (model, r) = output_of("ec2", "DescribeInstances");
    let v = Value::Map(query_output(&model, Some(&r), INSTANCES.as_bytes(), true).unwrap());
    assert_eq!(
        v.get("Reservations")
            .pointer("[0].Instances[0].Tags[0].Value")
            .as_str(),
        Some("web <1>")
    );
    assert_eq!(
        v.get("ResponseMetadata").get("RequestId").as_str(),
        Some("8f7724cf-496f")
    );
    // A missing wrapper reads as an empty result; the metadata still counts.
    let bare = "<GetCallerIdentityResponse><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
    assert_eq!(
        query_same("sts", "GetCallerIdentity", bare.as_bytes()),
        Some(true)
    );
    let list = "<ListUsersResponse><ListUsersResult><IsTruncated>false</IsTruncated><Users>\
        <member><UserName>a</UserName><CreateDate>2024-01-01T00:00:00Z</CreateDate></member>\
        <member><UserName>b</UserName></member></Users></ListUsersResult></ListUsersResponse>";
    assert_eq!(query_same("iam", "ListUsers", list.as_bytes()), Some(true));
    // Metadata text with a child element, and a comment: the tree's.
    for odd in [
        CALLER.replace(
            "<RequestId>01234567-89ab</RequestId>",
            "<RequestId>x<b/></RequestId>",
        ),
        CALLER.replace("<UserId>", "<!-- c --><UserId>"),
    ] {
        assert_eq!(
            query_same("sts", "GetCallerIdentity", odd.as_bytes()),
            None,
            "{odd}"
        );
    }
}

/// [`agrees_with_the_tree_under_every_small_edit`] for the query and ec2
/// front (wrapper, metadata, `item` lists).
#[test]
fn query_and_ec2_agree_with_the_tree_under_every_small_edit() {
    for (service, op, body) in [
        ("sts", "GetCallerIdentity", CALLER),
        ("ec2", "DescribeInstances", INSTANCES),
        ("sns", "GetTopicAttributes", TOPIC),
    ] {
        let base = body.as_bytes();
        let (mut answered, mut edits) = (0, 0);
        for v in one_byte_edits(base, b"<>/& x") {
            edits += 1;
            match query_same(service, op, &v) {
                Some(true) => answered += 1,
                Some(false) => {
                    panic!("{op}: the tree differs on\n{}", String::from_utf8_lossy(&v))
                }
                None => {}
            }
        }
        assert!(answered * 5 > edits, "{op}: {answered} of {edits}");
    }
}

/// The stream tries each child's start tag as the member that followed the
/// previous one last time (and a list item as the previous item's name)
/// before scanning it: that order is a guess. Siblings here change order,
/// repeat a flattened member after others, use names that begin other
/// names, and write an expected name with an attribute, a prefix or as an
/// empty element; every one must read as the tree reads it.
#[test]
fn the_expected_next_child_is_only_a_guess() {
    let listing = concat!(
        "<ListBucketResult>",
        "<Contents><Key>a</Key><Size>1</Size><ETag>e</ETag></Contents>",
        "<Contents><Key>b</Key><Size>2</Size><ETag>f</ETag></Contents>",
        "<Contents><ETag>g</ETag><Key>c</Key><Size>3</Size></Contents>",
        "<Contents><Key a=\"1\">d</Key><ETag/><Size>4</Size></Contents>",
        "<Contents><s3:Key xmlns:s3=\"u\">e</s3:Key><Size>5</Size></Contents>",
        "<Contents><Key>f</Key><KeyX>x</KeyX><Size>6</Size><Size2>7</Size2></Contents>",
        "<Name>n</Name><KeyCount>7</KeyCount><Contents><Key>g</Key></Contents>",
        "<Contents ><Key>h</Key></Contents>",
        "</ListBucketResult>"
    );
    let v = same("ListObjectsV2", listing);
    let keys: Vec<&str> = v
        .get("Contents")
        .as_list_or_empty()
        .iter()
        .map(|c| c.get("Key").as_str().unwrap_or("-"))
        .collect();
    assert_eq!(keys, ["a", "b", "c", "d", "e", "f", "g", "h"]);
    assert_eq!(v.pointer("Contents[2].ETag").as_str(), Some("g"));
    assert_eq!(v.pointer("Contents[3].ETag").as_str(), Some(""));
    assert_eq!(v.pointer("Contents[5].Size").as_i64(), Some(6));
    assert_eq!(v.get("KeyCount").as_i64(), Some(7));

    let item = |id: &str, order: usize| {
        let parts = [
            format!("<instanceId>{id}</instanceId>"),
            "<imageId>ami-1</imageId>".to_string(),
            "<tagSet><item><key>k</key><value>v</value></item><item><key>k2</key><value/></item></tagSet>"
                .to_string(),
            "<instanceState><code>16</code><name>running</name></instanceState>".to_string(),
        ];
        let mut s = String::from("<item>");
        for i in 0..parts.len() {
            s.push_str(&parts[(i + order) % parts.len()]);
        }
        s.push_str("</item>");
        s
    };
    let instances = format!(
        "<DescribeInstancesResponse><requestId>r</requestId><reservationSet><item>\
         <reservationId>r-1</reservationId><instancesSet>{}{}{}{}</instancesSet></item>\
         <item><instancesSet><itemx><instanceId>i-9</instanceId></itemx><item/></instancesSet></item>\
         </reservationSet></DescribeInstancesResponse>",
        item("i-1", 0),
        item("i-2", 0),
        item("i-3", 1),
        item("i-4", 3),
    );
    assert_eq!(
        query_same("ec2", "DescribeInstances", instances.as_bytes()),
        Some(true),
        "{instances}"
    );
    let (model, r) = output_of("ec2", "DescribeInstances");
    let v = Value::Map(query_output(&model, Some(&r), instances.as_bytes(), true).unwrap());
    let ids: Vec<&str> = v
        .pointer("Reservations[0].Instances")
        .as_list_or_empty()
        .iter()
        .map(|i| i.get("InstanceId").as_str().unwrap_or("-"))
        .collect();
    assert_eq!(ids, ["i-1", "i-2", "i-3", "i-4"]);
    assert_eq!(
        v.pointer("Reservations[0].Instances[3].Tags[1].Key")
            .as_str(),
        Some("k2")
    );
    assert_eq!(
        v.pointer("Reservations[1].Instances[0].InstanceId")
            .as_str(),
        Some("i-9")
    );
}
