//! The EC2 half of `diff_s3_ec2_more.rs`: the scenario of
//! `diff_ec2_more.py` (the EC2 classes `diff_ec2.rs` does not reach).

use crate::support::diff::*;
use crate::support::Recorder;
use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

pub fn sorted_keys(j: &Json) -> Json {
    let mut k: Vec<String> = j
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    json!(k)
}

pub fn by_id(name: &str, ids: Vec<Value>) -> Value {
    params! {"Filters": [{"Name": name, "Values": (Value::List(ids))}]}
}

pub fn id(r: &Resource) -> Value {
    r.identifiers()
        .into_iter()
        .next()
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// Resources made by earlier steps, by the names the Python side uses.
#[derive(Default)]
pub struct State(HashMap<&'static str, Resource>);

impl State {
    pub fn keep(
        &mut self,
        name: &'static str,
        o: boto_resources::ActionOutput,
    ) -> Result<Json, boto::Error> {
        let r = one(o)?;
        let j = repr(&r);
        self.0.insert(name, r);
        Ok(j)
    }
    pub fn get(&self, name: &str) -> Result<Resource, boto::Error> {
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| boto::Error::validation(format!("no {name} from an earlier step")))
    }
}

pub async fn scenario(rec: Arc<Recorder>, tag: &str) -> Result<Vec<Json>, boto::Error> {
    let ec2 = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let mut s = State::default();
    let az = "us-east-1a";
    let null = || Value::Null;

    run.step("vpc_subnet", async {
        let a = s.keep(
            "vpc",
            ec2.action("create_vpc", params! {"CidrBlock": "10.43.0.0/16"})
                .await?,
        )?;
        let vpc = s.get("vpc")?;
        let o = vpc
            .action(
                "create_subnet",
                params! {"CidrBlock": "10.43.1.0/24", "AvailabilityZone": az},
            )
            .await?;
        let b = s.keep("subnet", o)?;
        Ok(json!([a, b]))
    })
    .await;
    run.step("instance", async {
        let o = s
            .get("subnet")?
            .action(
                "create_instances",
                params! {"ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1, "Placement": {"AvailabilityZone": az}},
            )
            .await?;
        let first = o.into_resources().into_iter().next().ok_or_else(|| boto::Error::validation("no instance"))?;
        s.keep("i", boto_resources::ActionOutput::Resource(first))
    })
    .await;
    let i = s.get("i").ok();
    let i = i.as_ref();
    macro_rules! get {
        ($n:expr) => {
            s.get($n)?
        };
    }
    run.step("instance_wait_running", async {
        get!("i")
            .wait_until("running", null())
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("create_volume", async {
        s.keep(
            "vol",
            ec2.action("create_volume", params! {"AvailabilityZone": az, "Size": 2})
                .await?,
        )
    })
    .await;
    run.step("volume_load", async {
        attrs(&get!("vol"), &["size", "availability_zone", "volume_type"]).await
    })
    .await;
    run.step("volume_tags", async {
        let vol = get!("vol");
        let o = act(
            &vol,
            "create_tags",
            params! {"Tags": [{"Key": "a", "Value": tag}, {"Key": "b", "Value": "2"}]},
        )
        .await?;
        vol.reload().await?;
        let mut keys: Vec<String> = vol
            .attr("tags")
            .await?
            .as_list()
            .unwrap_or_default()
            .iter()
            .filter_map(|t| t.get("Key").as_str().map(String::from))
            .collect();
        keys.sort();
        Ok(json!([o, null, keys]))
    })
    .await;
    run.step("tag_load_delete", async {
        let t = ec2.resource("Tag", vec![id(&get!("vol")), "b".into(), "2".into()])?;
        Ok(json!([
            attrs(&t, &["resource_type"]).await?,
            act(&t, "delete", null()).await?
        ]))
    })
    .await;
    run.step("volume_attributes", async {
        let vol = get!("vol");
        Ok(json!([
            act(
                &vol,
                "describe_attribute",
                params! {"Attribute": "autoEnableIO"}
            )
            .await?,
            act(
                &vol,
                "modify_attribute",
                params! {"AutoEnableIO": {"Value": true}}
            )
            .await?
        ]))
    })
    .await;
    run.step("volume_status", async {
        let o = act(&get!("vol"), "describe_status", null()).await?;
        Ok(json!(o["VolumeStatuses"].as_array().map_or(0, Vec::len)))
    })
    .await;
    run.step("volume_enable_io", async {
        act(&get!("vol"), "enable_io", null()).await
    })
    .await;
    let attach = || params! {"InstanceId": (i.map(id).unwrap_or_default()), "Device": "/dev/sdf"};
    run.step("volume_attach", async {
        Ok(sorted_keys(
            &act(&get!("vol"), "attach_to_instance", attach()).await?,
        ))
    })
    .await;
    run.step("instance_volumes", async {
        let v = get!("i").collection("volumes")?.to_vec().await?;
        let vol = get!("vol");
        Ok(json!([v.len(), v.contains(&vol)]))
    })
    .await;
    run.step("volume_detach", async {
        Ok(sorted_keys(
            &act(&get!("vol"), "detach_from_instance", attach()).await?,
        ))
    })
    .await;
    run.step("create_snapshot", async {
        s.keep(
            "snap",
            get!("vol")
                .action(
                    "create_snapshot",
                    params! {"Description": (format!("d-{tag}"))},
                )
                .await?,
        )
    })
    .await;
    run.step("snapshot_wait_load", async {
        let snap = get!("snap");
        snap.wait_until("completed", null()).await?;
        let a = attrs(&snap, &["volume_size", "description", "state"]).await?;
        Ok(json!([null, a, out(snap.reference("volume").await?)]))
    })
    .await;
    run.step("volume_snapshots", async {
        coll(&get!("vol").collection("snapshots")?.all()).await
    })
    .await;
    run.step("snapshots_collection", async {
        let mut f = by_id("volume-id", vec![id(&get!("vol"))]);
        if let Value::Map(m) = &mut f {
            m.insert("OwnerIds", boto::value!(["self"]));
        }
        coll(&ec2.collection("snapshots")?.filter(f)).await
    })
    .await;
    run.step("snapshot_attribute", async {
        act(
            &get!("snap"),
            "describe_attribute",
            params! {"Attribute": "createVolumePermission"},
        )
        .await
    })
    .await;
    run.step("snapshot_copy", async {
        Ok(sorted_keys(
            &act(
                &get!("snap"),
                "copy",
                params! {"SourceRegion": "us-east-1", "Description": "copy"},
            )
            .await?,
        ))
    })
    .await;
    run.step("create_image", async {
        s.keep(
            "img",
            get!("i")
                .action("create_image", params! {"Name": (format!("img-{tag}"))})
                .await?,
        )
    })
    .await;
    run.step("image_wait_load", async {
        let img = get!("img");
        img.wait_until("exists", null()).await?;
        Ok(json!([null, attrs(&img, &["name", "state"]).await?]))
    })
    .await;
    run.step("image_attribute", async {
        act(
            &get!("img"),
            "describe_attribute",
            params! {"Attribute": "description"},
        )
        .await
    })
    .await;
    run.step("images_collection", async {
        let mut f = by_id("name", vec![format!("img-{tag}").into()]);
        if let Value::Map(m) = &mut f {
            m.insert("Owners", boto::value!(["self"]));
        }
        coll(&ec2.collection("images")?.filter(f)).await
    })
    .await;
    run.step("image_deregister", async {
        act(&get!("img"), "deregister", null()).await
    })
    .await;
    crate::ec2_more_b::network(&mut run, &ec2, &mut s, tag).await?;
    Ok(run.steps)
}
