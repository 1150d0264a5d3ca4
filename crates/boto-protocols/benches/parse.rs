//! Response parsing benchmarks against real models.
//!
//! * DynamoDB `GetItem` with a realistic ten-attribute item (json protocol).
//! * S3 `ListObjectsV2` with 1,000 keys (~320 KB of XML, 1,000 timestamps),
//!   generated here so the figure is reproducible.
//! * EC2 `DescribeInstances` with 100 instances (ec2 protocol, `item` lists,
//!   nested structures), generated likewise.
//! * S3 `HeadObject`: no body, eleven headers read into an output with about
//!   fifty header members (the rest protocols' status and header binding).
//!
//! botocore takes ~107 µs and ~170 ms for these. Measured in thread CPU time
//! (`bench/cpu_time.rs`), so a busy machine does not move the figures;
//! `bench/regress.sh` guards both.

#[path = "../../../bench/cpu_time.rs"]
mod cpu_time;

use boto_model::Loader;
use boto_protocols::{parse_response, Response};
use cpu_time::ThreadCpu;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const GET_ITEM: &str = r#"{"Item":{"pk":{"S":"user#8f14e45f-ceea-467f-a0e6-1e2c3b4d5e6f"},"sk":{"S":"profile#2024-05-01"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"balance":{"N":"1234.56"},"active":{"BOOL":true},"tags":{"SS":["admin","beta","early-adopter"]},"scores":{"NS":["97","88.5","100"]},"address":{"M":{"street":{"S":"12 St James's Square"},"city":{"S":"London"},"zip":{"S":"SW1Y 4JH"}}},"history":{"L":[{"S":"login"},{"N":"1714560000"},{"NULL":true}]},"avatar":{"B":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="}}}"#;

fn list_objects_body(n: usize) -> String {
    let mut s = String::with_capacity(n * 330 + 600);
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    s.push_str(r#"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>example-bucket</Name><Prefix>photos/</Prefix>"#);
    s.push_str(&format!(
        "<KeyCount>{n}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
    ));
    for i in 0..n {
        s.push_str(&format!(
            "<Contents><Key>photos/2024/05/{i:06}/IMG_{i:06}-holiday-at-the-seaside.jpg</Key>\
             <LastModified>2024-05-{:02}T{:02}:{:02}:{:02}.000Z</LastModified>\
             <ETag>&quot;{:032x}&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>\
             <ChecksumType>FULL_OBJECT</ChecksumType><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            i % 28 + 1,
            i % 24,
            i % 60,
            (i * 7) % 60,
            (i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834),
            1_000_000 + i * 37,
        ));
    }
    s.push_str("<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>");
    s.push_str("</ListBucketResult>");
    s
}

fn describe_instances_body(n: usize) -> String {
    let mut s = String::with_capacity(n * 3000 + 300);
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    s.push_str(r#"<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">"#);
    s.push_str("<requestId>8f7724cf-496f-496e-8fe3-example</requestId><reservationSet>");
    for i in 0..n {
        s.push_str(&format!(
            "<item><reservationId>r-{i:017x}</reservationId><ownerId>123456789012</ownerId><groupSet/>\
             <instancesSet><item><instanceId>i-{i:017x}</instanceId><imageId>ami-0abcdef1234567890</imageId>\
             <instanceState><code>16</code><name>running</name></instanceState>\
             <privateDnsName>ip-10-0-{a}-{b}.ec2.internal</privateDnsName><dnsName/><reason/>\
             <keyName>deploy-key</keyName><amiLaunchIndex>0</amiLaunchIndex><productCodes/>\
             <instanceType>m5.large</instanceType><launchTime>2024-05-01T12:{m:02}:00.000Z</launchTime>\
             <placement><availabilityZone>us-east-1a</availabilityZone><groupName/><tenancy>default</tenancy></placement>\
             <monitoring><state>disabled</state></monitoring><subnetId>subnet-0123456789abcdef0</subnetId>\
             <vpcId>vpc-0123456789abcdef0</vpcId><privateIpAddress>10.0.{a}.{b}</privateIpAddress>\
             <sourceDestCheck>true</sourceDestCheck>\
             <groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>web</groupName></item></groupSet>\
             <architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>\
             <blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-{i:017x}</volumeId>\
             <status>attached</status><attachTime>2024-05-01T12:{m:02}:01.000Z</attachTime>\
             <deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>\
             <virtualizationType>hvm</virtualizationType><clientToken/>\
             <tagSet><item><key>Name</key><value>web-{i}</value></item><item><key>env</key><value>prod</value></item>\
             <item><key>team</key><value>payments &amp; billing</value></item></tagSet>\
             <hypervisor>xen</hypervisor><ebsOptimized>false</ebsOptimized><enaSupport>true</enaSupport>\
             <cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>\
             <hibernationOptions><configured>false</configured></hibernationOptions>\
             <metadataOptions><state>applied</state><httpTokens>required</httpTokens>\
             <httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions>\
             <enclaveOptions><enabled>false</enabled></enclaveOptions><platformDetails>Linux/UNIX</platformDetails>\
             <usageOperation>RunInstances</usageOperation><bootMode>uefi-preferred</bootMode>\
             </item></instancesSet></item>",
            a = i / 250,
            b = i % 250,
            m = i % 60,
        ));
    }
    s.push_str("</reservationSet></DescribeInstancesResponse>");
    s
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn bench(c: &mut Criterion<ThreadCpu>) {
    let loader = Loader::global();

    let ddb = loader.service_model("dynamodb").expect("dynamodb model");
    let get_item = ddb.operation("GetItem").expect("GetItem");
    let h = headers(&[
        ("Server", "Server"),
        ("Date", "Wed, 01 May 2024 12:00:00 GMT"),
        ("Content-Type", "application/x-amz-json-1.0"),
        ("Content-Length", "640"),
        ("Connection", "keep-alive"),
        (
            "x-amzn-RequestId",
            "GJ7A3KQ8M1NQ5U2B4V6C8D0E2F4G6H8I9J0K1L2M3N4O5P6Q7R8",
        ),
        ("x-amz-crc32", "3245321145"),
    ]);
    let resp = Response {
        status: 200,
        headers: &h,
        body: GET_ITEM.as_bytes(),
    };
    let v = parse_response(&ddb, get_item, &resp).expect("GetItem parses");
    assert_eq!(v.pointer("Item.address.M.city.S").as_str(), Some("London"));
    c.bench_function("dynamodb GetItem (10 attributes)", |b| {
        b.iter(|| parse_response(&ddb, get_item, black_box(&resp)).unwrap())
    });

    let s3 = loader.service_model("s3").expect("s3 model");
    let list = s3.operation("ListObjectsV2").expect("ListObjectsV2");
    let body = list_objects_body(1000);
    let h = headers(&[
        ("x-amz-id-2", "ef8yU9AS1ed4OpIszj7UDNEHGran"),
        ("x-amz-request-id", "318BC8BC143432E5"),
        ("Date", "Wed, 01 May 2024 12:00:00 GMT"),
        ("x-amz-bucket-region", "us-east-1"),
        ("Content-Type", "application/xml"),
        ("Transfer-Encoding", "chunked"),
        ("Server", "AmazonS3"),
    ]);
    let resp = Response {
        status: 200,
        headers: &h,
        body: body.as_bytes(),
    };
    let v = parse_response(&s3, list, &resp).expect("ListObjectsV2 parses");
    assert_eq!(v.get("Contents").as_list().map(<[_]>::len), Some(1000));
    assert!(v
        .pointer("Contents[999].LastModified")
        .as_timestamp()
        .is_some());
    let kb = body.len() / 1024;
    c.bench_function(&format!("s3 ListObjectsV2 (1000 keys, {kb} KB)"), |b| {
        b.iter(|| parse_response(&s3, list, black_box(&resp)).unwrap())
    });

    let ec2 = loader.service_model("ec2").expect("ec2 model");
    let describe = ec2
        .operation("DescribeInstances")
        .expect("DescribeInstances");
    let body = describe_instances_body(100);
    let h = headers(&[
        ("Content-Type", "text/xml;charset=UTF-8"),
        ("Transfer-Encoding", "chunked"),
        ("Date", "Wed, 01 May 2024 12:00:00 GMT"),
        ("Server", "AmazonEC2"),
    ]);
    let resp = Response {
        status: 200,
        headers: &h,
        body: body.as_bytes(),
    };
    let v = parse_response(&ec2, describe, &resp).expect("DescribeInstances parses");
    assert_eq!(v.get("Reservations").as_list().map(<[_]>::len), Some(100));
    assert_eq!(
        v.pointer("Reservations[99].Instances[0].Tags[2].Value")
            .as_str(),
        Some("payments & billing")
    );
    let kb = body.len() / 1024;
    c.bench_function(
        &format!("ec2 DescribeInstances (100 instances, {kb} KB)"),
        |b| b.iter(|| parse_response(&ec2, describe, black_box(&resp)).unwrap()),
    );

    let head = s3.operation("HeadObject").expect("HeadObject");
    let h = headers(&[
        ("x-amz-id-2", "Xk3b0q2vQ8i1d7tZ0hYb0mG3l6u5Q9k2vJx0gHq7Q5k="),
        ("x-amz-request-id", "4442587FB7D0A2F9"),
        ("Last-Modified", "Wed, 12 Oct 2023 17:50:00 GMT"),
        ("ETag", "\"fba9dede5f27731c9771645a39863328\""),
        ("x-amz-server-side-encryption", "AES256"),
        ("x-amz-meta-owner", "ada"),
        ("x-amz-version-id", "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd"),
        ("Accept-Ranges", "bytes"),
        ("Content-Type", "text/plain"),
        ("Content-Length", "434234"),
        ("Server", "AmazonS3"),
    ]);
    let resp = Response {
        status: 200,
        headers: &h,
        body: b"",
    };
    let v = parse_response(&s3, head, &resp).expect("HeadObject parses");
    assert_eq!(v.get("ContentLength").as_i64(), Some(434234));
    assert_eq!(v.pointer("Metadata.owner").as_str(), Some("ada"));
    assert!(v.get("LastModified").as_timestamp().is_some());
    c.bench_function("s3 HeadObject (11 headers)", |b| {
        b.iter(|| parse_response(&s3, head, black_box(&resp)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = bench
}
criterion_main!(benches);
