//! Differential test against boto3: the EC2 scenario of `diff_ec2.py` with
//! boto-rs resources on the same moto server — `data` parameter sources,
//! string literals, plural responses, references (single and plural),
//! `memberName` aliases, literal-filtered collections, batch actions with
//! `[]` targets, waiters, and the injected create_tags/delete_tags.
//! Ids and IPs are numbered in order of appearance on both sides.
//! Prints `resources-diff-ec2: N passed, M failed`.

mod support;

use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};
use std::sync::Arc;
use support::diff::{compare, reprs, Normalizer, Run};
use support::*;

fn one(out: boto_resources::ActionOutput) -> Result<Resource, boto::Error> {
    out.into_resource()
        .ok_or_else(|| boto::Error::validation("expected a resource"))
}

async fn scenario(rec: Arc<Recorder>, tag: &str) -> Result<Vec<Json>, boto::Error> {
    let ec2 = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let mut vpc = None;
    let mut subnet = None;
    let mut instances = Vec::new();
    let mut sg = None;

    run.step("create_vpc", async {
        let v = one(ec2
            .action("create_vpc", params! {"CidrBlock": "10.42.0.0/16"})
            .await?)?;
        let out = json!([
            format!("{v:?}"),
            v.attr("cidr_block").await?.to_json(),
            v.attr("vpc_id").await? == *v.identifier("id").unwrap()
        ]);
        vpc = Some(v);
        Ok(out)
    })
    .await;
    let vpc = vpc.expect("vpc");
    run.step("vpc_reload", async {
        vpc.reload().await?;
        Ok(vpc.attr("state").await?.to_json())
    })
    .await;
    run.step("vpc_wait_available", async {
        vpc.wait_until("available", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("create_subnet", async {
        let s = one(vpc
            .action("create_subnet", params! {"CidrBlock": "10.42.1.0/24"})
            .await?)?;
        let out = json!(format!("{s:?}"));
        subnet = Some(s);
        Ok(out)
    })
    .await;
    let subnet = subnet.expect("subnet");
    run.step("subnet_reference_vpc", async {
        let v = subnet.reference("vpc").await?.into_resource();
        Ok(json!(format!("{:?}", v.expect("vpc"))))
    })
    .await;
    run.step("vpc_subnets_collection", async {
        Ok(reprs(&vpc.collection("subnets")?.to_vec().await?))
    })
    .await;
    run.step("create_instances_plural", async {
        instances = subnet
            .action(
                "create_instances",
                params! {"ImageId": "ami-12c6146b", "MinCount": 2, "MaxCount": 2, "InstanceType": "t2.micro"},
            )
            .await?
            .into_resources();
        Ok(reprs(&instances))
    })
    .await;
    let i0 = instances.first().cloned().expect("instances");
    let ids: Vec<Value> = instances
        .iter()
        .map(|i| i.identifier("id").cloned().unwrap_or_default())
        .collect();
    run.step("instance_wait_running", async {
        i0.wait_until("running", Value::Null).await?;
        let before = i0.attr("state").await?.get("Name").to_json();
        i0.reload().await?;
        Ok(json!([
            before,
            i0.attr("state").await?.get("Name").to_json()
        ]))
    })
    .await;
    run.step("instance_references", async {
        let s = i0
            .reference("subnet")
            .await?
            .into_resource()
            .expect("subnet");
        let v = i0.reference("vpc").await?.into_resource().expect("vpc");
        Ok(json!([format!("{s:?}"), format!("{v:?}")]))
    })
    .await;
    run.step("service_create_tags", async {
        let tags = ec2
            .action(
                "create_tags",
                params! {"Resources": (ids.clone()), "Tags": [{"Key": "team", "Value": tag}]},
            )
            .await?
            .into_resources();
        Ok(reprs(&tags))
    })
    .await;
    run.step("instances_filtered", async {
        let f = params! {"Filters": [{"Name": "tag:team", "Values": [tag]}]};
        Ok(reprs(
            &ec2.collection("instances")?.filter(f).to_vec().await?,
        ))
    })
    .await;
    run.step("instance_delete_tags", async {
        i0.action("delete_tags", params! {"Tags": [{"Key": "team"}]})
            .await?;
        Ok(json!(true))
    })
    .await;
    run.step("service_tag_subresource", async {
        let id = i0.identifier("id").cloned().unwrap_or_default();
        Ok(json!(format!(
            "{:?}",
            ec2.subresource("Tag", vec![id, "k".into(), "v".into()])?
        )))
    })
    .await;
    run.step("instance_plural_reference", async {
        Ok(reprs(
            &i0.reference("network_interfaces").await?.into_resources(),
        ))
    })
    .await;
    run.step("batch_create_tags", async {
        let f = params! {"InstanceIds": (ids.clone())};
        let out = ec2
            .collection("instances")?
            .filter(f)
            .batch_action(
                "create_tags",
                params! {"Tags": [{"Key": "batch", "Value": "1"}]},
            )
            .await?;
        Ok(json!(out.len()))
    })
    .await;
    run.step("security_group_load", async {
        let g = one(vpc
            .action(
                "create_security_group",
                params! {"GroupName": "rs-diff", "Description": "diff"},
            )
            .await?)?;
        let out = json!([
            format!("{g:?}"),
            g.attr("group_name").await?.to_json(),
            g.attr("vpc_id").await? == *vpc.identifier("id").unwrap()
        ]);
        sg = Some(g);
        Ok(out)
    })
    .await;
    run.step("security_group_delete", async {
        sg.as_ref()
            .expect("sg")
            .action("delete", Value::Null)
            .await?;
        Ok(json!(true))
    })
    .await;
    run.step("classic_address_data_param", async {
        let out = ec2
            .meta()
            .invoker()
            .invoke("AllocateAddress", params! {"Domain": "standard"})
            .await?;
        let ip = out.get("PublicIp").clone();
        let addr = ec2.resource("ClassicAddress", vec![ip.clone()])?;
        addr.action("release", Value::Null).await?;
        Ok(json!(addr.attr("public_ip").await? == ip))
    })
    .await;
    run.step("classic_addresses_literals", async {
        Ok(reprs(&ec2.collection("classic_addresses")?.to_vec().await?))
    })
    .await;
    run.step("batch_terminate", async {
        let f = params! {"InstanceIds": (ids.clone())};
        let out = ec2
            .collection("instances")?
            .filter(f)
            .batch_action("terminate", Value::Null)
            .await?;
        Ok(json!(out.len()))
    })
    .await;
    run.step("instance_wait_terminated", async {
        i0.wait_until("terminated", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("subnet_delete", async {
        subnet
            .action("delete", Value::Null)
            .await
            .map(|_| json!(true))
    })
    .await;
    run.step("vpc_delete", async {
        vpc.action("delete", Value::Null).await.map(|_| json!(true))
    })
    .await;
    Ok(run.steps)
}

fn main() {
    let (Some(endpoint), Ok(_)) = (endpoint(), std::env::var("BOTO_TEST_PYTHON")) else {
        println!(
            "skipped: BOTO_TEST_ENDPOINT and BOTO_TEST_PYTHON not set (scripts/test.sh sets them)"
        );
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = session()
        .client_with("ec2", &options(&endpoint))
        .expect("client");
    let (rs_tag, py_tag) = (unique("rs"), unique("py"));
    let rust = rt
        .block_on(scenario(Recorder::new(client), &rs_tag))
        .expect("scenario");
    let (_, failed) = compare(
        "ec2",
        &rust,
        "diff_ec2.py",
        &[&endpoint, &py_tag],
        Normalizer::new(&[(&rs_tag, "TAG")], &[]),
        Normalizer::new(&[(&py_tag, "TAG")], &[]),
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
