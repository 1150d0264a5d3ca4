//! Start an EC2 instance and wait until it is running, then describe instances with a paginator.
//!
//! `BOTO_TEST_ENDPOINT=http://127.0.0.1:PORT cargo run --example ec2_wait`

use boto::{params, ClientOptions, Session};
use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), boto::Error> {
    let endpoint = std::env::var("BOTO_TEST_ENDPOINT").ok();
    let mut session = Session::builder().region("us-east-1");
    if endpoint.is_some() {
        session = session.credentials("testing", "testing", None);
    }
    let ec2 = session.build()?.client_with(
        "ec2",
        &ClientOptions {
            endpoint_url: endpoint,
            ..Default::default()
        },
    )?;

    let images = ec2.call("DescribeImages", params! {}).await?;
    let image = images
        .pointer("Images[0].ImageId")
        .as_str()
        .unwrap_or("ami-12c6146b")
        .to_string();
    let run = ec2
        .call(
            "RunInstances",
            params! {"ImageId": (image), "MinCount": 1, "MaxCount": 1, "InstanceType": "t3.micro"},
        )
        .await?;
    let id = run
        .pointer("Instances[0].InstanceId")
        .as_str()
        .unwrap_or_default()
        .to_string();
    println!("started {id}");

    let config = boto::core::runtime::waiter::WaiterConfig {
        delay: Some(Duration::from_millis(500)),
        max_attempts: Some(20),
    };
    ec2.waiter("instance_running")?
        .wait(params! {"InstanceIds": [(id.clone())]}, config)
        .await?;
    println!("{id} is running");

    let all = ec2
        .paginate("DescribeInstances", params! {})?
        .build_full_result()
        .await?;
    let ids = boto::core::runtime::jmespath::search("Reservations[].Instances[].InstanceId", &all)
        .map_err(|e| boto::Error::construction(e.to_string()))?;
    println!("instances: {ids:?}");
    ec2.call("TerminateInstances", params! {"InstanceIds": [(id)]})
        .await?;
    Ok(())
}
