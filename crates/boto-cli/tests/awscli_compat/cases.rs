//! The commands compared with aws-cli v1, by output format.

use super::*;

pub(super) fn cases(ctx: &Ctx, sfx: &str) -> Vec<Case> {
    use Fmt::*;
    let bucket = format!("compat-{sfx}");
    let table = format!("compat-{sfx}");
    let name = format!("compat-{sfx}");
    let path = format!("/compat-{sfx}/");
    let b = bucket.as_str();
    let t = table.as_str();

    // ---- setup, with boto ----
    let body = ctx.home.join("body.txt");
    std::fs::write(&body, "hello\n").unwrap();
    let body = body.to_str().unwrap();
    ctx.setup(&["s3api", "create-bucket", "--bucket", b]);
    for k in ["k1", "k2", "k3", "dir/k4", "dir/k5"] {
        ctx.setup(&[
            "s3api",
            "put-object",
            "--bucket",
            b,
            "--key",
            k,
            "--body",
            body,
        ]);
    }
    ctx.setup(&[
        "s3api",
        "put-object",
        "--bucket",
        b,
        "--key",
        "meta.txt",
        "--body",
        body,
        "--content-type",
        "text/plain",
        "--metadata",
        "owner=me,team=cli",
    ]);
    ctx.setup(&[
        "dynamodb",
        "create-table",
        "--table-name",
        t,
        "--attribute-definitions",
        "AttributeName=pk,AttributeType=S",
        "AttributeName=sk,AttributeType=N",
        "--key-schema",
        "AttributeName=pk,KeyType=HASH",
        "AttributeName=sk,KeyType=RANGE",
        "--billing-mode",
        "PAY_PER_REQUEST",
    ]);
    let items = [
        r#"{"pk":{"S":"a"},"sk":{"N":"1"},"name":{"S":"first"},"tags":{"SS":["x","y"]}}"#,
        r#"{"pk":{"S":"a"},"sk":{"N":"2"},"price":{"N":"1.50"},"ok":{"BOOL":true},"nothing":{"NULL":true}}"#,
        r#"{"pk":{"S":"a"},"sk":{"N":"3"},"list":{"L":[{"N":"1"},{"S":"two"},{"M":{"deep":{"S":"yes"}}}]},"bin":{"B":"aGk="}}"#,
        r#"{"pk":{"S":"b"},"sk":{"N":"1"},"note":{"S":"tab\there, unicode ünï"}}"#,
    ];
    for item in items {
        ctx.setup(&["dynamodb", "put-item", "--table-name", t, "--item", item]);
    }
    let tag = |kind: &str| format!("ResourceType={kind},Tags=[{{Key=Name,Value={name}}}]");
    let vpc = ctx.setup(&[
        "ec2",
        "create-vpc",
        "--cidr-block",
        "10.77.0.0/16",
        "--tag-specifications",
        &tag("vpc"),
        "--query",
        "Vpc.VpcId",
        "--output",
        "text",
    ]);
    let sg = ctx.setup(&[
        "ec2",
        "create-security-group",
        "--group-name",
        &name,
        "--description",
        "awscli compat",
        "--vpc-id",
        &vpc,
        "--query",
        "GroupId",
        "--output",
        "text",
    ]);
    ctx.setup(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &sg,
        "--ip-permissions",
        "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.0.0/8,Description=ssh}]",
    ]);
    ctx.setup(&[
        "ec2",
        "run-instances",
        "--image-id",
        "ami-12c6146b",
        "--min-count",
        "2",
        "--max-count",
        "2",
        "--instance-type",
        "t3.micro",
        "--tag-specifications",
        &tag("instance"),
    ]);
    let queue = ctx.setup(&[
        "sqs",
        "create-queue",
        "--queue-name",
        &name,
        "--attributes",
        "VisibilityTimeout=45,DelaySeconds=2",
        "--query",
        "QueueUrl",
        "--output",
        "text",
    ]);
    ctx.setup(&[
        "iam",
        "create-user",
        "--user-name",
        &name,
        "--path",
        &path,
        "--tags",
        "Key=team,Value=cli",
    ]);

    // --max-items resumption: the token boto prints must resume in both CLIs.
    let first = ctx.setup(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        b,
        "--max-items",
        "2",
        "--query",
        "NextToken",
        "--output",
        "json",
    ]);
    let token: String = serde_json::from_str(&first).expect("--max-items 2 prints a NextToken");

    let by_tag = format!("Name=tag:Name,Values={name}");
    let q_bucket = format!("Buckets[?Name=='{b}'].Name");
    let q_table = format!("TableNames[?@=='{t}']");
    let key = r#"{"pk":{"S":"a"},"sk":{"N":"3"}}"#;
    let kce = ["--key-condition-expression", "pk = :p"];
    let eav = ["--expression-attribute-values", r#"{":p":{"S":"a"}}"#];
    #[rustfmt::skip]
    let cases = vec![
        // S3
        case(Json, &["s3api", "list-buckets"]),
        case(Text, &["s3api", "list-buckets", "--query", &q_bucket]),
        case(Table, &["s3api", "list-buckets", "--query", &q_bucket]),
        case(Json, &["s3api", "list-objects-v2", "--bucket", b]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b]),
        case(Table, &["s3api", "list-objects-v2", "--bucket", b]),
        case(Yaml, &["s3api", "list-objects-v2", "--bucket", b]),
        case(Json, &["s3api", "list-objects-v2", "--bucket", b, "--query", "Contents[].Key"]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b, "--query", "Contents[].[Key,Size]"]),
        case(Table, &["s3api", "list-objects-v2", "--bucket", b, "--query", "Contents[].{K:Key,S:Size}"]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b, "--prefix", "dir/", "--delimiter", "/"]),
        case(Json, &["s3api", "list-objects-v2", "--bucket", b, "--delimiter", "/"]),
        case(Json, &["s3api", "head-object", "--bucket", b, "--key", "meta.txt"]),
        case(Text, &["s3api", "head-object", "--bucket", b, "--key", "meta.txt"]),
        case(Table, &["s3api", "head-object", "--bucket", b, "--key", "meta.txt"]),
        case(Json, &["s3api", "get-bucket-location", "--bucket", b]),
        case(Json, &["s3api", "list-objects-v2", "--bucket", b, "--max-items", "2"]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b, "--max-items", "2"]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b, "--max-items", "2", "--query", "NextToken"]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b, "--max-items", "3", "--query", "Contents[].Key"]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b, "--page-size", "2"]),
        case(Json, &["s3api", "list-objects-v2", "--bucket", b, "--max-items", "2", "--starting-token", &token]),
        case(Text, &["s3api", "list-objects-v2", "--bucket", b, "--max-items", "2", "--starting-token", &token]),
        case(Table, &["s3api", "list-objects-v2", "--bucket", b, "--max-items", "2", "--starting-token", &token]),
        case(Json, &["s3api", "list-objects-v2", "--bucket", b, "--starting-token", &token, "--page-size", "1"]),
        // DynamoDB
        case(Json, &["dynamodb", "list-tables"]),
        case(Text, &["dynamodb", "list-tables", "--query", &q_table]),
        case(Json, &["dynamodb", "describe-table", "--table-name", t]),
        case(Text, &["dynamodb", "describe-table", "--table-name", t]),
        case(Table, &["dynamodb", "describe-table", "--table-name", t]),
        case(Json, &["dynamodb", "get-item", "--table-name", t, "--key", key]),
        case(Text, &["dynamodb", "get-item", "--table-name", t, "--key", key]),
        case(Json, &["dynamodb", "scan", "--table-name", t]),
        case(Text, &["dynamodb", "scan", "--table-name", t]),
        case(Table, &["dynamodb", "scan", "--table-name", t]),
        case(Yaml, &["dynamodb", "scan", "--table-name", t]),
        case(Text, &["dynamodb", "scan", "--table-name", t, "--page-size", "1"]),
        case(Json, &["dynamodb", "scan", "--table-name", t, "--max-items", "3", "--page-size", "2"]),
        case(Json, &["dynamodb", "query", "--table-name", t, kce[0], kce[1], eav[0], eav[1]]),
        case(Text, &["dynamodb", "query", "--table-name", t, kce[0], kce[1], eav[0], eav[1]]),
        case(Table, &["dynamodb", "query", "--table-name", t, kce[0], kce[1], eav[0], eav[1], "--no-scan-index-forward"]),
        // EC2
        case(Json, &["ec2", "describe-instances", "--filters", &by_tag]),
        case(Text, &["ec2", "describe-instances", "--filters", &by_tag]),
        case(Table, &["ec2", "describe-instances", "--filters", &by_tag]),
        case(Text, &["ec2", "describe-instances", "--filters", &by_tag, "--query", "Reservations[].Instances[].[InstanceId,State.Name,InstanceType]"]),
        case(Json, &["ec2", "describe-vpcs", "--vpc-ids", &vpc]),
        case(Text, &["ec2", "describe-vpcs", "--vpc-ids", &vpc]),
        case(Table, &["ec2", "describe-vpcs", "--vpc-ids", &vpc]),
        case(Json, &["ec2", "describe-security-groups", "--group-ids", &sg]),
        case(Text, &["ec2", "describe-security-groups", "--group-ids", &sg]),
        case(Table, &["ec2", "describe-security-groups", "--group-ids", &sg]),
        case(Yaml, &["ec2", "describe-security-groups", "--group-ids", &sg]),
        // SQS
        case(Json, &["sqs", "list-queues", "--queue-name-prefix", &name]),
        case(Text, &["sqs", "list-queues", "--queue-name-prefix", &name]),
        case(Json, &["sqs", "get-queue-attributes", "--queue-url", &queue, "--attribute-names", "All"]),
        case(Table, &["sqs", "get-queue-attributes", "--queue-url", &queue, "--attribute-names", "All"]),
        // IAM
        case(Json, &["iam", "list-users", "--path-prefix", &path]),
        case(Text, &["iam", "list-users", "--path-prefix", &path]),
        case(Table, &["iam", "list-users", "--path-prefix", &path]),
        case(Json, &["iam", "get-user", "--user-name", &name]),
        case(Yaml, &["iam", "get-user", "--user-name", &name]),
        // STS
        case(Json, &["sts", "get-caller-identity"]),
        case(Text, &["sts", "get-caller-identity"]),
        case(Table, &["sts", "get-caller-identity"]),
        case(Yaml, &["sts", "get-caller-identity"]),
        case(Text, &["sts", "get-caller-identity", "--query", "Account"]),
        // Errors: the message on stderr; boto exits 254 for service errors and
        // 252 for parameter errors (aws-cli v2's codes), v1 255 for both.
        case(Error(254), &["s3api", "head-object", "--bucket", b, "--key", "missing"]),
        case(Error(254), &["dynamodb", "describe-table", "--table-name", &format!("{t}-missing")]),
        case(Error(254), &["iam", "get-user", "--user-name", &format!("{name}-missing")]),
        case(Error(254), &["sqs", "send-message", "--queue-url", &format!("{queue}-missing"), "--message-body", "x"]),
        case(Error(252), &["s3api", "head-object", "--bucket", b, "--key", ""]),
    ];
    cases
}
