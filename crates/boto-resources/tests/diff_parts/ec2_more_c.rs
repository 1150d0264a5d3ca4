//! The last part of the EC2 scenario of `diff_ec2_more.py`: DHCP options,
//! network ACLs, peering, placement groups, security-group rules, instance
//! actions, batch actions and cleanup.

use crate::ec2_more::{id, sorted_keys, State};
use crate::support::diff::*;
use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};

pub async fn rest(
    run: &mut Run,
    ec2: &Resource,
    s: &mut State,
    tag: &str,
    vpc: &Resource,
    inst: &Resource,
) -> Result<(), boto::Error> {
    let null = || Value::Null;
    macro_rules! get {
        ($n:expr) => {
            s.get($n)?
        };
    }
    macro_rules! keep {
        ($n:expr, $o:expr) => {{
            let o = $o;
            s.keep($n, o)?
        }};
    }
    run.step("dhcp_options", async {
        let a = keep!(
            "dhcp",
            ec2.action(
                "create_dhcp_options",
                params! {"DhcpConfigurations": [{"Key": "domain-name", "Values": ["example.com"]}]}
            )
            .await?
        );
        Ok(json!([
            a,
            attrs(&get!("dhcp"), &["dhcp_configurations"]).await?
        ]))
    })
    .await;
    run.step("dhcp_associate", async {
        let o = act(
            &get!("dhcp"),
            "associate_with_vpc",
            params! {"VpcId": (id(vpc))},
        )
        .await?;
        vpc.reload().await?;
        Ok(json!([o, null, out(vpc.reference("dhcp_options").await?)]))
    })
    .await;
    run.step("dhcp_collection", async {
        let f = params! {"DhcpOptionsIds": [(id(&get!("dhcp")))]};
        coll(&ec2.collection("dhcp_options_sets")?.filter(f)).await
    })
    .await;
    run.step("dhcp_delete", async {
        Ok(json!([
            act(
                vpc,
                "associate_dhcp_options",
                params! {"DhcpOptionsId": "default"}
            )
            .await?,
            act(&get!("dhcp"), "delete", null()).await?
        ]))
    })
    .await;
    run.step("network_acl", async {
        let a = keep!("acl", vpc.action("create_network_acl", null()).await?);
        Ok(json!([a, out(get!("acl").reference("vpc").await?)]))
    })
    .await;
    run.step("acl_entries", async {
        let acl = get!("acl");
        let entry = |action: &str| {
            params! {"RuleNumber": 100, "Protocol": "-1", "RuleAction": action, "Egress": false, "CidrBlock": "0.0.0.0/0"}
        };
        let a = act(&acl, "create_entry", entry("allow")).await?;
        let b = act(&acl, "replace_entry", entry("deny")).await?;
        acl.reload().await?;
        let n = acl.attr("entries").await?.as_list().map_or(0, <[Value]>::len);
        let c = act(&acl, "delete_entry", params! {"RuleNumber": 100, "Egress": false}).await?;
        Ok(json!([a, b, null, n, c]))
    })
    .await;
    run.step("acl_collection_delete", async {
        let acl = get!("acl");
        let found = vpc
            .collection("network_acls")?
            .to_vec()
            .await?
            .contains(&acl);
        Ok(json!([found, act(&acl, "delete", null()).await?]))
    })
    .await;
    run.step("peering", async {
        let a = keep!(
            "vpc2",
            ec2.action("create_vpc", params! {"CidrBlock": "10.44.0.0/16"})
                .await?
        );
        let peer = id(&get!("vpc2"));
        let b = keep!(
            "pcx",
            vpc.action(
                "request_vpc_peering_connection",
                params! {"PeerVpcId": peer}
            )
            .await?
        );
        Ok(json!([a, b]))
    })
    .await;
    run.step("peering_wait_refs", async {
        let pcx = get!("pcx");
        pcx.wait_until("exists", null()).await?;
        Ok(json!([
            null,
            out(pcx.reference("accepter_vpc").await?),
            out(pcx.reference("requester_vpc").await?),
            pcx.attr("status").await?.get("Code").to_json()
        ]))
    })
    .await;
    run.step("peering_accept", async {
        let pcx = get!("pcx");
        let o = sorted_keys(&act(&pcx, "accept", null()).await?);
        pcx.reload().await?;
        Ok(json!([
            o,
            null,
            pcx.attr("status").await?.get("Code").to_json()
        ]))
    })
    .await;
    run.step("peering_collections", async {
        let f = params! {"VpcPeeringConnectionIds": [(id(&get!("pcx")))]};
        let pcx = get!("pcx");
        let accepted = get!("vpc2").collection("accepted_vpc_peering_connections")?;
        let requested = vpc.collection("requested_vpc_peering_connections")?;
        Ok(json!([
            accepted.to_vec().await?.contains(&pcx),
            requested.to_vec().await?.contains(&pcx),
            coll(&ec2.collection("vpc_peering_connections")?.filter(f)).await?
        ]))
    })
    .await;
    run.step("peering_reject_delete", async {
        Ok(json!([act(&get!("pcx"), "delete", null()).await?]))
    })
    .await;
    let pg_name = format!("pg-{tag}");
    run.step("placement_group", async {
        act(
            ec2,
            "create_placement_group",
            params! {"GroupName": (pg_name.as_str()), "Strategy": "cluster"},
        )
        .await
    })
    .await;
    let pg = ec2.resource("PlacementGroup", [pg_name.as_str()])?;
    run.step("placement_group_load", async {
        Ok(json!([
            repr(&pg),
            attrs(&pg, &["strategy", "state"]).await?
        ]))
    })
    .await;
    run.step("placement_group_collections", async {
        let f = params! {"GroupNames": [(pg_name.as_str())]};
        Ok(json!([
            coll(&pg.collection("instances")?.all()).await?,
            coll(&ec2.collection("placement_groups")?.filter(f)).await?
        ]))
    })
    .await;
    run.step("placement_group_delete", async {
        act(&pg, "delete", null()).await
    })
    .await;
    run.step("security_group_rules", async {
        let sg_name = format!("sg-{tag}");
        let a = keep!(
            "sg",
            vpc.action("create_security_group", params! {"GroupName": (sg_name.as_str()), "Description": "d"})
                .await?
        );
        let sg = get!("sg");
        let rule = params! {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"};
        let perms = params! {"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]};
        Ok(json!([
            a,
            act(&sg, "authorize_ingress", rule.clone()).await?["Return"],
            act(&sg, "revoke_ingress", rule).await?["Return"],
            act(&sg, "authorize_egress", perms.clone()).await?["Return"],
            act(&sg, "revoke_egress", perms).await?["Return"],
            coll(&vpc.collection("security_groups")?.filter(params! {"GroupNames": [(sg_name.as_str())]})).await?,
            act(&sg, "delete", null()).await?
        ]))
    })
    .await;
    run.step("instance_attributes", async {
        Ok(json!([
            act(
                inst,
                "describe_attribute",
                params! {"Attribute": "instanceType"}
            )
            .await?,
            act(
                inst,
                "modify_attribute",
                params! {"InstanceType": {"Value": "t2.small"}}
            )
            .await?
        ]))
    })
    .await;
    run.step("instance_monitor", async {
        let a = act(inst, "monitor", null()).await?;
        let b = act(inst, "unmonitor", null()).await?;
        let n = |j: &Json| j["InstanceMonitorings"].as_array().map_or(0, Vec::len);
        Ok(json!([n(&a), n(&b)]))
    })
    .await;
    run.step("instance_console_output", async {
        Ok(sorted_keys(&act(inst, "console_output", null()).await?))
    })
    .await;
    run.step("instance_references", async {
        Ok(json!([
            out(inst.reference("image").await?),
            out(inst.reference("placement_group").await?),
            out(inst.reference("key_pair").await?)
        ]))
    })
    .await;
    let mine = ec2
        .collection("instances")?
        .filter(params! {"InstanceIds": [(id(inst))]});
    let batch = |name: &'static str| {
        let mine = mine.clone();
        async move { Ok::<usize, boto::Error>(mine.batch_action(name, Value::Null).await?.len()) }
    };
    run.step("batch_stop", async { Ok(json!(batch("stop").await?)) })
        .await;
    run.step("instance_wait_stopped", async {
        inst.wait_until("stopped", null()).await.map(|_| Json::Null)
    })
    .await;
    run.step("batch_start", async { Ok(json!(batch("start").await?)) })
        .await;
    run.step("batch_monitor", async {
        Ok(json!([batch("monitor").await?, batch("unmonitor").await?]))
    })
    .await;
    run.step("batch_reboot", async { Ok(json!(batch("reboot").await?)) })
        .await;
    run.step("terminate", async {
        let o = act(inst, "terminate", null()).await?;
        inst.wait_until("terminated", null()).await?;
        Ok(json!([
            o["TerminatingInstances"].as_array().map_or(0, Vec::len),
            null
        ]))
    })
    .await;
    run.step("cleanup", async {
        let mut v = Vec::new();
        for n in ["snap", "vol", "subnet", "vpc", "vpc2"] {
            v.push(act(&get!(n), "delete", null()).await?);
        }
        Ok(Json::Array(v))
    })
    .await;
    Ok(())
}
