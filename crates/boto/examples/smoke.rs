//! Quick smoke test against a local endpoint: `BOTO_TEST_ENDPOINT=http://127.0.0.1:PORT cargo run --example smoke`.
use boto::{params, ClientOptions, Session};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), boto::Error> {
    let endpoint = std::env::var("BOTO_TEST_ENDPOINT").expect("set BOTO_TEST_ENDPOINT");
    let session = Session::builder().region("us-east-1").credentials("testing", "testing", None).build()?;
    let opts = ClientOptions { endpoint_url: Some(endpoint), ..Default::default() };
    let sts = session.client_with("sts", &opts)?;
    println!("{}", sts.call("GetCallerIdentity", params! {}).await?);
    let s3 = session.client_with("s3", &opts)?;
    s3.call("CreateBucket", params! {"Bucket": "smoke"}).await?;
    s3.call("PutObject", params! {"Bucket": "smoke", "Key": "a/b.txt", "Body": (boto::Value::blob(b"hello".to_vec()))}).await?;
    println!("{}", s3.call("ListObjectsV2", params! {"Bucket": "smoke"}).await?);
    let ddb = session.client_with("dynamodb", &opts)?;
    println!("{}", ddb.call("ListTables", params! {}).await?);
    match s3.call("GetObject", params! {"Bucket": "smoke", "Key": "nope"}).await {
        Err(e) => println!("expected error: {e}"),
        Ok(v) => println!("unexpected: {v}"),
    }
    Ok(())
}
