//! `boto ... --print-request` against botocore's request for the same call.
//!
//! `--print-request` prints the signed request `boto` would send (one JSON
//! object: `method`, `url`, `headers`, `body_base64`). This test checks that
//! request is the one botocore builds for the same call, across every
//! protocol: query (STS, IAM), ec2, json 1.0/1.1 (DynamoDB, SQS, Kinesis,
//! CloudWatch), rest-xml (S3), rest-json (Lambda) and smithy-rpc-v2-cbor.
//! That covers the CLI's argument parsing (shorthand, JSON, blobs,
//! timestamps, files) together with the runtime's serializers, endpoint
//! resolution and service customizations; SimpleDB's SigV2 form signature
//! (checked with botocore's `SigV2Auth`), DynamoDB's account endpoint
//! (the credentials' account id) and Timestream's endpoint discovery (the
//! first request is `DescribeEndpoints`) too, and the URLs presigned for the
//! source region that EC2 `CopySnapshot` and RDS `CopyDBSnapshot` carry in
//! their bodies: botocore's clock is pinned to the `X-Amz-Date` of boto's URL,
//! so those URLs (query order, region, signature) must be equal byte for byte.
//!
//! botocore's side comes from [`BOTOCORE_SIDE`], run with the Python of the
//! aws-cli v1 venv that `scripts/test.sh` installs (`BOTO_TEST_AWSCLI`;
//! botocore 1.43.64 there, three patch releases behind the pinned models —
//! none of these operations changed in between). It creates a client with the
//! same region, credentials and endpoint, captures the `AWSPreparedRequest` in
//! a `before-send` handler and stops the call there by raising, so nothing is
//! sent; `boto --print-request` does not send either. Set
//! `BOTO_TEST_BOTOCORE_PYTHON` to use another Python with botocore.
//!
//! Compared: method; URL (scheme, host and path exactly, the query as a
//! multiset of percent-decoded pairs); body semantically (JSON equal, form
//! pairs equal, XML trees equal, CBOR decoded equal — decoded for both sides
//! by the same Python code); headers by name and value except those listed in
//! [`IGNORED_HEADERS`], with `Content-Length` and `X-Amz-Content-SHA256`
//! compared only when the body bytes are equal (JSON whitespace differs).
//! Prints `print-request: N passed, M failed`.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Headers whose values legitimately differ per SDK or per call.
const IGNORED_HEADERS: &[(&str, &str)] = &[
    ("authorization", "signature over the date and SDK-specific headers"),
    ("x-amz-date", "signing time"),
    ("user-agent", "names the SDK"),
    ("x-amz-user-agent", "names the SDK"),
    ("amz-sdk-invocation-id", "random per call"),
    (
        "expect",
        "botocore sends `Expect: 100-continue` with every S3 upload body; boto only from 2 MiB \
         (`expect_continue_threshold`, boto-runtime customizations/s3 `ExpectContinue`)",
    ),
    (
        "amz-sdk-request",
        "retry mode: botocore's default is legacy (`attempt=1`), boto's standard (`attempt=1; max=5`)",
    ),
];

/// Headers that depend on the exact body bytes, compared only when those are equal.
const BODY_BYTE_HEADERS: &[&str] = &["content-length", "x-amz-content-sha256"];

/// Request parameters holding idempotency tokens (random UUIDs when not given).
const IDEMPOTENCY_TOKENS: &[&str] = &["ClientToken"];

/// An endpoint that is never contacted (neither side sends the request).
const LOCAL_ENDPOINT: &str = "http://127.0.0.1:9";

struct Case {
    name: &'static str,
    /// `boto` arguments (without `--print-request`).
    cli: Vec<String>,
    /// botocore service name and client method.
    service: &'static str,
    method: &'static str,
    /// botocore parameters; `{"$b64": ...}` is a bytes value.
    params: Value,
    endpoint_url: Option<&'static str>,
    /// The credentials' account id (`AWS_ACCOUNT_ID` for boto, `aws_account_id` for botocore).
    account_id: Option<&'static str>,
}

fn case(
    name: &'static str,
    cli: &[&str],
    service: &'static str,
    method: &'static str,
    params: Value,
) -> Case {
    Case {
        name,
        cli: cli.iter().map(|s| s.to_string()).collect(),
        service,
        method,
        params,
        endpoint_url: None,
        account_id: None,
    }
}

fn cases(body_file: &str) -> Vec<Case> {
    let queue = "https://sqs.us-east-1.amazonaws.com/123456789012/compat-queue";
    let mut put_object = case(
        "s3api put-object (rest-xml, file body, headers from parameters)",
        &[
            "s3api",
            "put-object",
            "--bucket",
            "compat-bucket",
            "--key",
            "dir/a b+c.txt",
            "--body",
            body_file,
            "--content-type",
            "text/plain",
            "--metadata",
            "Owner=me,k2=v2",
            "--tagging",
            "a=b&c=d",
            "--cache-control",
            "max-age=60",
        ],
        "s3",
        "put_object",
        json!({"Bucket": "compat-bucket", "Key": "dir/a b+c.txt",
               "Body": {"$b64": "aGVsbG8gYm90bwo="}, "ContentType": "text/plain",
               "Metadata": {"Owner": "me", "k2": "v2"}, "Tagging": "a=b&c=d",
               "CacheControl": "max-age=60"}),
    );
    // Over https botocore sends S3 uploads aws-chunked with a trailing
    // checksum, which boto does only when asked (`trailing_checksums`, see
    // ARCHITECTURE.md); over http both compute the checksum up front.
    put_object.endpoint_url = Some(LOCAL_ENDPOINT);
    // DynamoDB's account endpoints: the endpoint is resolved after the
    // credentials, whose account id picks `<account>.ddb.<region>`.
    let mut account_endpoint = case(
        "dynamodb get-item (account id from the credentials, account endpoint)",
        &[
            "dynamodb",
            "get-item",
            "--table-name",
            "t",
            "--key",
            r#"{"pk": {"S": "a"}}"#,
        ],
        "dynamodb",
        "get_item",
        json!({"TableName": "t", "Key": {"pk": {"S": "a"}}}),
    );
    account_endpoint.account_id = Some("123456789012");
    vec![
        account_endpoint,
        // Timestream requires endpoint discovery: with nothing cached, the
        // first request of any operation is DescribeEndpoints.
        case(
            "timestream-query query (endpoint discovery: DescribeEndpoints first)",
            &["timestream-query", "query", "--query-string", "SELECT 1"],
            "timestream-query",
            "query",
            json!({"QueryString": "SELECT 1"}),
        ),
        case(
            "timestream-write describe-database (endpoint discovery: DescribeEndpoints first)",
            &["timestream-write", "describe-database", "--database-name", "db"],
            "timestream-write",
            "describe_database",
            json!({"DatabaseName": "db"}),
        ),
        // SimpleDB is signed with SigV2: auth fields and Signature in the form body.
        case(
            "sdb list-domains (query, SigV2 in the form body)",
            &["sdb", "list-domains", "--max-number-of-domains", "5"],
            "sdb",
            "list_domains",
            json!({"MaxNumberOfDomains": 5}),
        ),
        case(
            "sdb put-attributes (SigV2, encoded names and values)",
            &[
                "sdb",
                "put-attributes",
                "--domain-name",
                "my-domain",
                "--item-name",
                "item/1 é",
                "--attributes",
                "Name=color,Value=red blue,Replace=true",
                "Name=size,Value=a+b~c*d",
            ],
            "sdb",
            "put_attributes",
            json!({"DomainName": "my-domain", "ItemName": "item/1 é",
                   "Attributes": [{"Name": "color", "Value": "red blue", "Replace": true},
                                  {"Name": "size", "Value": "a+b~c*d"}]}),
        ),
        case(
            "sdb select (SigV2, quoted expression)",
            &[
                "sdb",
                "select",
                "--select-expression",
                "select * from `my-domain` where color = 'red'",
            ],
            "sdb",
            "select",
            json!({"SelectExpression": "select * from `my-domain` where color = 'red'"}),
        ),
        case(
            "sts get-caller-identity (query)",
            &["sts", "get-caller-identity"],
            "sts",
            "get_caller_identity",
            json!({}),
        ),
        case(
            "iam create-user (query, nested list)",
            &[
                "iam",
                "create-user",
                "--user-name",
                "compat-user",
                "--path",
                "/compat/",
                "--tags",
                "Key=team,Value=cli",
                "Key=env,Value=test",
            ],
            "iam",
            "create_user",
            json!({"UserName": "compat-user", "Path": "/compat/",
                   "Tags": [{"Key": "team", "Value": "cli"}, {"Key": "env", "Value": "test"}]}),
        ),
        case(
            "sqs send-message (json 1.0, map of structures)",
            &[
                "sqs",
                "send-message",
                "--queue-url",
                queue,
                "--message-body",
                "hello {\"json\": true}",
                "--delay-seconds",
                "5",
                "--message-attributes",
                r#"{"attr":{"DataType":"String","StringValue":"v"},"num":{"DataType":"Number","StringValue":"1.5"}}"#,
            ],
            "sqs",
            "send_message",
            json!({"QueueUrl": queue, "MessageBody": "hello {\"json\": true}", "DelaySeconds": 5,
                   "MessageAttributes": {"attr": {"DataType": "String", "StringValue": "v"},
                                         "num": {"DataType": "Number", "StringValue": "1.5"}}}),
        ),
        case(
            "dynamodb put-item (json 1.0, attribute values incl. binary)",
            &[
                "dynamodb",
                "put-item",
                "--table-name",
                "compat-table",
                "--item",
                r#"{"pk":{"S":"a"},"n":{"N":"1.50"},"b":{"B":"aGk="},"l":{"L":[{"BOOL":true},{"NULL":true},{"SS":["x","y"]}]},"m":{"M":{"inner":{"N":"-3"}}}}"#,
                "--condition-expression",
                "attribute_not_exists(pk)",
                "--return-consumed-capacity",
                "TOTAL",
            ],
            "dynamodb",
            "put_item",
            json!({"TableName": "compat-table",
                   "Item": {"pk": {"S": "a"}, "n": {"N": "1.50"}, "b": {"B": {"$b64": "aGk="}},
                            "l": {"L": [{"BOOL": true}, {"NULL": true}, {"SS": ["x", "y"]}]},
                            "m": {"M": {"inner": {"N": "-3"}}}},
                   "ConditionExpression": "attribute_not_exists(pk)",
                   "ReturnConsumedCapacity": "TOTAL"}),
        ),
        case(
            "kinesis put-record (json 1.1, blob)",
            &[
                "kinesis",
                "put-record",
                "--stream-name",
                "compat-stream",
                "--data",
                "aGVsbG8ga2luZXNpcw==",
                "--partition-key",
                "pk-1",
                "--explicit-hash-key",
                "42",
            ],
            "kinesis",
            "put_record",
            json!({"StreamName": "compat-stream", "Data": {"$b64": "aGVsbG8ga2luZXNpcw=="},
                   "PartitionKey": "pk-1", "ExplicitHashKey": "42"}),
        ),
        case(
            // The model lists smithy-rpc-v2-cbor, json and query; botocore
            // prefers json (PRIORITY_ORDERED_SUPPORTED_PROTOCOLS), so does boto.
            "cloudwatch put-metric-data (json 1.0 by protocol priority, timestamp, floats)",
            &[
                "cloudwatch",
                "put-metric-data",
                "--namespace",
                "Compat/Test",
                "--metric-data",
                r#"[{"MetricName":"latency","Dimensions":[{"Name":"host","Value":"h1"}],"Timestamp":"2024-01-02T03:04:05Z","Values":[1.5,2,0.25],"Counts":[1,2,3],"Unit":"Milliseconds"}]"#,
            ],
            "cloudwatch",
            "put_metric_data",
            json!({"Namespace": "Compat/Test",
                   "MetricData": [{"MetricName": "latency", "Dimensions": [{"Name": "host", "Value": "h1"}],
                                   "Timestamp": "2024-01-02T03:04:05Z", "Values": [1.5, 2, 0.25],
                                   "Counts": [1, 2, 3], "Unit": "Milliseconds"}]}),
        ),
        case(
            "partnercentral-revenue-measurement list-revenue-attributions (smithy-rpc-v2-cbor, timestamp)",
            &[
                "partnercentral-revenue-measurement",
                "list-revenue-attributions",
                "--catalog",
                "AWS",
                "--identifiers",
                "ra-0123456789abcdef",
                "ra-fedcba9876543210",
                "--created-after",
                "2024-01-02T03:04:05Z",
                "--sort-order",
                "ASCENDING",
                "--max-results",
                "7",
            ],
            "partnercentral-revenue-measurement",
            "list_revenue_attributions",
            json!({"Catalog": "AWS", "Identifiers": ["ra-0123456789abcdef", "ra-fedcba9876543210"],
                   "CreatedAfter": "2024-01-02T03:04:05Z", "SortOrder": "ASCENDING", "MaxResults": 7}),
        ),
        put_object,
        case(
            "s3api list-objects-v2 (rest-xml, query string, virtual host)",
            &[
                "s3api",
                "list-objects-v2",
                "--bucket",
                "compat-bucket",
                "--prefix",
                "dir/a b",
                "--delimiter",
                "/",
                "--max-keys",
                "10",
                "--start-after",
                "dir/0",
            ],
            "s3",
            "list_objects_v2",
            json!({"Bucket": "compat-bucket", "Prefix": "dir/a b", "Delimiter": "/",
                   "MaxKeys": 10, "StartAfter": "dir/0"}),
        ),
        case(
            "s3api create-bucket (rest-xml body)",
            &[
                "s3api",
                "create-bucket",
                "--bucket",
                "compat-bucket",
                "--create-bucket-configuration",
                "LocationConstraint=eu-west-1",
                "--acl",
                "private",
            ],
            "s3",
            "create_bucket",
            json!({"Bucket": "compat-bucket", "ACL": "private",
                   "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}),
        ),
        case(
            "s3api head-object (rest-xml, timestamp and range headers)",
            &[
                "s3api",
                "head-object",
                "--bucket",
                "compat-bucket",
                "--key",
                "k/ü.txt",
                "--if-modified-since",
                "2024-01-02T03:04:05Z",
                "--range",
                "bytes=0-9",
                "--version-id",
                "v1",
            ],
            "s3",
            "head_object",
            json!({"Bucket": "compat-bucket", "Key": "k/ü.txt",
                   "IfModifiedSince": "2024-01-02T03:04:05Z", "Range": "bytes=0-9", "VersionId": "v1"}),
        ),
        case(
            "lambda list-functions (rest-json, query string)",
            &[
                "lambda",
                "list-functions",
                "--function-version",
                "ALL",
                "--master-region",
                "us-east-1",
                "--no-paginate",
            ],
            "lambda",
            "list_functions",
            json!({"FunctionVersion": "ALL", "MasterRegion": "us-east-1"}),
        ),
        case(
            "lambda tag-resource (rest-json, ARN in the path, JSON body)",
            &[
                "lambda",
                "tag-resource",
                "--resource",
                "arn:aws:lambda:us-east-1:123456789012:function:compat-fn",
                "--tags",
                "team=cli,env=test",
            ],
            "lambda",
            "tag_resource",
            json!({"Resource": "arn:aws:lambda:us-east-1:123456789012:function:compat-fn",
                   "Tags": {"team": "cli", "env": "test"}}),
        ),
        case(
            "ec2 describe-instances (ec2, filters)",
            &[
                "ec2",
                "describe-instances",
                "--filters",
                "Name=instance-state-name,Values=running,pending",
                "Name=tag:Name,Values=web server",
                "--instance-ids",
                "i-0123456789abcdef0",
                "i-0fedcba9876543210",
                "--dry-run",
            ],
            "ec2",
            "describe_instances",
            json!({"Filters": [{"Name": "instance-state-name", "Values": ["running", "pending"]},
                               {"Name": "tag:Name", "Values": ["web server"]}],
                   "InstanceIds": ["i-0123456789abcdef0", "i-0fedcba9876543210"], "DryRun": true}),
        ),
        // botocore `inject_presigned_url_ec2`: PresignedUrl (a GET presigned
        // for us-west-2) and DestinationRegion join the body.
        case(
            "ec2 copy-snapshot (ec2, URL presigned for the source region)",
            &[
                "ec2",
                "copy-snapshot",
                "--description",
                "nightly copy",
                "--encrypted",
                "--source-region",
                "us-west-2",
                "--source-snapshot-id",
                "snap-0123456789abcdef0",
            ],
            "ec2",
            "copy_snapshot",
            json!({"Description": "nightly copy", "Encrypted": true, "SourceRegion": "us-west-2",
                   "SourceSnapshotId": "snap-0123456789abcdef0"}),
        ),
        // botocore `inject_presigned_url_rds`: SourceRegion is not sent; the
        // PreSignedUrl carries DestinationRegion, which RDS's model lacks.
        case(
            "rds copy-db-snapshot (query, SourceRegion becomes a presigned URL)",
            &[
                "rds",
                "copy-db-snapshot",
                "--source-db-snapshot-identifier",
                "arn:aws:rds:us-west-2:123456789012:snapshot:rds:db1-2026-12-01-00-00",
                "--target-db-snapshot-identifier",
                "db1-copy",
                "--kms-key-id",
                "alias/copy key",
                "--source-region",
                "us-west-2",
            ],
            "rds",
            "copy_db_snapshot",
            json!({"SourceDBSnapshotIdentifier": "arn:aws:rds:us-west-2:123456789012:snapshot:rds:db1-2026-12-01-00-00",
                   "TargetDBSnapshotIdentifier": "db1-copy", "KmsKeyId": "alias/copy key",
                   "SourceRegion": "us-west-2"}),
        ),
        case(
            "ec2 run-instances (ec2, idempotency token, tag specifications)",
            &[
                "ec2",
                "run-instances",
                "--image-id",
                "ami-12c6146b",
                "--min-count",
                "1",
                "--max-count",
                "2",
                "--instance-type",
                "t3.micro",
                "--tag-specifications",
                "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=env,Value=test}]",
            ],
            "ec2",
            "run_instances",
            json!({"ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 2, "InstanceType": "t3.micro",
                   "TagSpecifications": [{"ResourceType": "instance",
                       "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "env", "Value": "test"}]}]}),
        ),
    ]
}

/// botocore's side: reads `{"region", "cases": [...]}` on stdin and prints,
/// per case, the captured request and both bodies decoded by content type.
const BOTOCORE_SIDE: &str = r#"
import base64, datetime, io, json, re, sys, urllib.parse
import xml.etree.ElementTree as ET
import botocore, botocore.auth, botocore.session
from botocore.parsers import BaseCBORParser


class Captured(Exception):
    pass


def to_param(v):
    if isinstance(v, dict):
        if set(v) == {"$b64"}:
            return base64.b64decode(v["$b64"])
        return {k: to_param(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_param(x) for x in v]
    return v


def jsonable(v):
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, datetime.datetime):
        return {"$timestamp": v.timestamp()}
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    return v


def xml_tree(e):
    return {"tag": e.tag, "attrib": dict(sorted(e.attrib.items())),
            "text": (e.text or "").strip(), "children": [xml_tree(c) for c in e]}


def decode(body, content_type):
    ct = (content_type or "").split(";")[0].strip().lower()
    if not body:
        return {"kind": "empty"}
    try:
        if ct == "application/cbor":
            item = BaseCBORParser().parse_data_item(io.BytesIO(body))
            return {"kind": "cbor", "value": jsonable(item)}
        if "json" in ct:
            return {"kind": "json", "value": json.loads(body)}
        if ct == "application/x-www-form-urlencoded":
            pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True,
                                           strict_parsing=True)
            return {"kind": "form", "value": sorted([k, v] for k, v in pairs)}
        if body.lstrip().startswith(b"<"):
            return {"kind": "xml", "value": xml_tree(ET.fromstring(body))}
    except Exception as e:
        return {"kind": "undecodable", "error": str(e),
                "value": base64.b64encode(body).decode()}
    return {"kind": "bytes", "value": base64.b64encode(body).decode()}


def body_bytes(body):
    if body is None:
        return b""
    if hasattr(body, "read"):
        pos = body.tell() if hasattr(body, "tell") else None
        data = body.read()
        if pos is not None:
            body.seek(pos)
        body = data
    if isinstance(body, str):
        body = body.encode()
    return bytes(body)


def header(headers, name):
    for k, v in headers.items():
        if k.lower() == name:
            return v
    return None


def pinned_clock(boto_body):
    # A URL presigned inside boto's body (EC2 PresignedUrl, RDS PreSignedUrl):
    # botocore signs at the same second, so its URL must equal boto's.
    m = re.search(rb"X-Amz-Date(?:=|%3D)([0-9]{8}T[0-9]{6}Z)", boto_body)
    if not m:
        return None
    return datetime.datetime.strptime(m.group(1).decode(), "%Y%m%dT%H%M%SZ")


spec = json.load(sys.stdin)
real_clock = botocore.auth.get_current_datetime
session = botocore.session.get_session()
out = {"botocore_version": botocore.__version__, "cases": {}}
for case in spec["cases"]:
    captured = {}

    def before_send(request, **kwargs):
        captured["req"] = request
        raise Captured()

    pinned = pinned_clock(base64.b64decode(case.get("boto_body_base64") or ""))
    botocore.auth.get_current_datetime = (lambda *a, **k: pinned) if pinned else real_clock
    try:
        client = session.create_client(
            case["service"], region_name=spec["region"],
            aws_access_key_id="testing", aws_secret_access_key="testing",
            aws_account_id=case.get("account_id"),
            endpoint_url=case.get("endpoint_url"))
        client.meta.events.register("before-send", before_send)
        getattr(client, case["method"])(**to_param(case["params"]))
        out["cases"][case["name"]] = {"error": "the call returned without sending"}
        continue
    except Captured:
        pass
    except Exception as e:
        out["cases"][case["name"]] = {"error": f"{type(e).__name__}: {e}"}
        continue
    req = captured["req"]
    body = body_bytes(req.body)
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
    boto_body = base64.b64decode(case.get("boto_body_base64") or "")
    boto_ct = header(case.get("boto_headers") or {}, "content-type")
    sigv2_ok = None
    if b"SignatureVersion=2" in body:
        # botocore signs SigV2 with the time of day; check boto's own
        # signature with botocore's SigV2Auth instead of comparing values.
        from botocore.auth import SigV2Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        params = dict(urllib.parse.parse_qsl(boto_body.decode(), keep_blank_values=True))
        given = params.pop("Signature", None)
        signer = SigV2Auth(Credentials("testing", "testing"))
        _, expected = signer.calc_signature(AWSRequest(method="POST", url=case["boto_url"]), params)
        sigv2_ok = given == expected
    out["cases"][case["name"]] = {
        "sigv2_signature_valid": sigv2_ok,
        "method": req.method,
        "url": req.url,
        "headers": headers,
        "body_base64": base64.b64encode(body).decode(),
        "decoded": decode(body, header(headers, "content-type")),
        "boto_decoded": decode(boto_body, boto_ct or header(headers, "content-type")),
    }
json.dump(out, sys.stdout)
"#;

/// The Python with botocore: `BOTO_TEST_BOTOCORE_PYTHON`, else the aws-cli venv's.
fn botocore_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BOTO_TEST_BOTOCORE_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let aws = PathBuf::from(std::env::var_os("BOTO_TEST_AWSCLI")?);
    let py = aws.parent()?.join("python");
    py.exists().then_some(py)
}

/// Environment shared by both sides: fixed credentials and region, no config files.
fn clean_env(c: &mut Command, home: &std::path::Path) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("AWS_") {
            c.env_remove(&k);
        }
    }
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("HOME", home);
}

fn run_boto(case: &Case, home: &std::path::Path) -> Result<Value, String> {
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    clean_env(&mut c, home);
    if let Some(ep) = case.endpoint_url {
        c.args(["--endpoint-url", ep]);
    }
    if let Some(account) = case.account_id {
        c.env("AWS_ACCOUNT_ID", account);
    }
    c.args(&case.cli).arg("--print-request");
    let o = c.output().map_err(|e| format!("cannot run boto: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "boto exited with {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    serde_json::from_slice(&o.stdout).map_err(|e| {
        format!(
            "--print-request output is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn run_botocore(python: &PathBuf, input: &Value, home: &std::path::Path) -> Value {
    use std::io::Write;
    let script = home.join("botocore_side.py");
    std::fs::write(&script, BOTOCORE_SIDE).expect("write the botocore script");
    let mut c = Command::new(python);
    clean_env(&mut c, home);
    let mut child = c
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run botocore's python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "botocore script failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("botocore script prints JSON")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(Ok(n)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(n);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(scheme://authority/path, sorted decoded query pairs)`.
fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    pairs.sort();
    (base.to_string(), pairs)
}

fn headers_of(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces idempotency-token values in a decoded body (any protocol).
fn drop_tokens(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for t in IDEMPOTENCY_TOKENS {
                if let Some(slot) = m.get_mut(*t) {
                    *slot = json!("<token>");
                }
            }
            m.values_mut().for_each(drop_tokens);
        }
        Value::Array(a) => {
            // form pairs: ["ClientToken", "..."]
            if a.len() == 2
                && a[0]
                    .as_str()
                    .is_some_and(|k| IDEMPOTENCY_TOKENS.contains(&k))
            {
                a[1] = json!("<token>");
            } else {
                a.iter_mut().for_each(drop_tokens);
            }
        }
        _ => {}
    }
}

/// Masks SigV2's per-request `Timestamp` and `Signature` form pairs.
fn drop_sigv2_time(v: &mut Value) {
    if let Some(pairs) = v.get_mut("value").and_then(Value::as_array_mut) {
        for p in pairs {
            if matches!(p[0].as_str(), Some("Timestamp" | "Signature")) {
                p[1] = json!("<per request>");
            }
        }
    }
}

fn compare(boto: &Value, botocore: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(e) = botocore.get("error") {
        return vec![format!("botocore failed: {e}")];
    }
    if boto["method"] != botocore["method"] {
        problems.push(format!(
            "method: boto {} botocore {}",
            boto["method"], botocore["method"]
        ));
    }
    let (b_base, b_query) = split_url(boto["url"].as_str().unwrap_or(""));
    let (c_base, c_query) = split_url(botocore["url"].as_str().unwrap_or(""));
    if b_base != c_base {
        problems.push(format!("url: boto {b_base} botocore {c_base}"));
    }
    if b_query != c_query {
        problems.push(format!("query: boto {b_query:?} botocore {c_query:?}"));
    }
    let bytes_equal = boto["body_base64"].as_str().unwrap_or("")
        == botocore["body_base64"].as_str().unwrap_or("");
    let mut b_body = botocore["boto_decoded"].clone();
    let mut c_body = botocore["decoded"].clone();
    drop_tokens(&mut b_body);
    drop_tokens(&mut c_body);
    if let Some(valid) = botocore["sigv2_signature_valid"].as_bool() {
        // SigV2: the timestamp (and so the signature) differ per second;
        // boto's signature was checked by botocore's SigV2Auth instead.
        if !valid {
            problems.push("SigV2 Signature is not what botocore's SigV2Auth computes".into());
        }
        drop_sigv2_time(&mut b_body);
        drop_sigv2_time(&mut c_body);
    }
    if b_body != c_body {
        problems.push(format!("body: boto {b_body} botocore {c_body}"));
    }
    let ignored = |k: &str| {
        IGNORED_HEADERS.iter().any(|(h, _)| *h == k)
            || (!bytes_equal && BODY_BYTE_HEADERS.contains(&k))
    };
    let bh = headers_of(&boto["headers"]);
    let ch = headers_of(&botocore["headers"]);
    for k in bh
        .keys()
        .chain(ch.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        if ignored(k) {
            continue;
        }
        match (bh.get(k), ch.get(k)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => problems.push(format!("header {k}: boto {a:?} botocore {b:?}")),
        }
    }
    problems
}

#[test]
fn print_request_matches_botocore() {
    let Some(python) = botocore_python() else {
        eprintln!("skipping print-request comparison: BOTO_TEST_AWSCLI (aws-cli v1 venv with botocore) is not set");
        return;
    };
    let home = std::env::temp_dir().join(format!("boto-print-request-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let body_file = home.join("body.txt");
    std::fs::write(&body_file, "hello boto\n").unwrap();
    let cases = cases(body_file.to_str().unwrap());
    assert!(cases.len() >= 10);

    let mut boto_side = Vec::new();
    let mut input = Vec::new();
    for c in &cases {
        let b = run_boto(c, &home);
        let (headers, body) = match &b {
            Ok(v) => (v["headers"].clone(), v["body_base64"].clone()),
            Err(_) => (Value::Null, Value::Null),
        };
        let url = b.as_ref().map(|v| v["url"].clone()).unwrap_or(Value::Null);
        input.push(
            json!({"name": c.name, "service": c.service, "method": c.method,
                          "params": c.params, "endpoint_url": c.endpoint_url,
                          "account_id": c.account_id, "boto_url": url,
                          "boto_headers": headers, "boto_body_base64": body}),
        );
        boto_side.push(b);
    }
    let out = run_botocore(
        &python,
        &json!({"region": "us-east-1", "cases": input}),
        &home,
    );
    let _ = std::fs::remove_dir_all(&home);
    println!(
        "comparing against botocore {}",
        out["botocore_version"].as_str().unwrap_or("?")
    );

    let (mut passed, mut failed) = (0, 0);
    let mut report = String::new();
    for (c, b) in cases.iter().zip(&boto_side) {
        let problems = match b {
            Err(e) => vec![e.clone()],
            Ok(b) => compare(b, &out["cases"][c.name]),
        };
        if problems.is_empty() {
            passed += 1;
            println!("ok   {}", c.name);
        } else {
            failed += 1;
            report.push_str(&format!("FAIL {}\n  {}\n", c.name, problems.join("\n  ")));
        }
    }
    print!("{report}");
    // Written to the stdout handle, not `println!`, so the summary shows in
    // `cargo test` output (and scripts/test.sh's summary) without --nocapture.
    let summary = format!("\nprint-request: {passed} passed, {failed} failed\n");
    let _ = std::io::Write::write_all(&mut std::io::stdout(), summary.as_bytes());
    assert_eq!(
        failed, 0,
        "--print-request differs from botocore:\n{report}"
    );
}
