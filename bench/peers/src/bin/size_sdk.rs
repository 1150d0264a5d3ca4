//! Binary-size probe: GetItem and HeadObject with aws-sdk-rust only (bench/peers.sh
//! reports the stripped size). URL in argv[1].
fn main() {
    let url = std::env::args().nth(1).expect("url");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use aws_sdk_dynamodb::config as dc;
        use aws_sdk_s3::config as sc;
        let ddb = aws_sdk_dynamodb::Client::from_conf(
            dc::Builder::new()
                .behavior_version(dc::BehaviorVersion::latest())
                .region(dc::Region::new("us-east-1"))
                .endpoint_url(&url)
                .credentials_provider(dc::Credentials::new(
                    "AKIDBENCH",
                    "benchsecret",
                    None,
                    None,
                    "bench",
                ))
                .build(),
        );
        let s3 = aws_sdk_s3::Client::from_conf(
            sc::Builder::new()
                .behavior_version(sc::BehaviorVersion::latest())
                .region(sc::Region::new("us-east-1"))
                .endpoint_url(&url)
                .force_path_style(true)
                .credentials_provider(sc::Credentials::new(
                    "AKIDBENCH",
                    "benchsecret",
                    None,
                    None,
                    "bench",
                ))
                .build(),
        );
        use aws_sdk_dynamodb::types::AttributeValue as A;
        ddb.get_item()
            .table_name("users")
            .key("pk", A::S("user#12345".into()))
            .send()
            .await
            .unwrap();
        s3.head_object()
            .bucket("bench")
            .key("a")
            .send()
            .await
            .unwrap();
    });
}
