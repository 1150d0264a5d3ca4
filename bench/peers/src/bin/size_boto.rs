//! Binary-size probe: GetItem and HeadObject with boto-rs only (bench/peers.sh
//! reports the stripped size). URL in argv[1].
fn main() {
    let url = std::env::args().nth(1).expect("url");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let session = boto::Session::builder()
            .region("us-east-1")
            .credentials("AKIDBENCH", "benchsecret", None)
            .build()
            .unwrap();
        let opts = boto::ClientOptions {
            endpoint_url: Some(url),
            ..Default::default()
        };
        let ddb = session.client_with("dynamodb", &opts).unwrap();
        let s3 = session.client_with("s3", &opts).unwrap();
        let key = boto::params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}}};
        ddb.call("GetItem", key).await.unwrap();
        s3.call("HeadObject", boto::params! {"Bucket": "bench", "Key": "a"})
            .await
            .unwrap();
    });
}
