//! The second half of the EC2 scenario of `diff_ec2_more.py`: network
//! interfaces and addresses, gateways and route tables, key pairs, DHCP
//! options, network ACLs, peering, placement groups, security-group rules,
//! instance actions and batch actions. Split out to keep files short.

use crate::ec2_more::{by_id, id, sorted_keys, State};
use crate::support::diff::*;
use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};

pub async fn network(
    run: &mut Run,
    ec2: &Resource,
    s: &mut State,
    tag: &str,
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
    let vpc = s.get("vpc")?;
    let subnet = s.get("subnet")?;
    let inst = s.get("i")?;

    run.step("create_eni", async {
        Ok(keep!(
            "eni",
            subnet
                .action("create_network_interface", params! {"Description": "eni"})
                .await?
        ))
    })
    .await;
    run.step("eni_load_refs", async {
        let eni = get!("eni");
        Ok(json!([
            attrs(&eni, &["description", "status"]).await?,
            out(eni.reference("subnet").await?),
            out(eni.reference("vpc").await?)
        ]))
    })
    .await;
    run.step("eni_attributes", async {
        let eni = get!("eni");
        Ok(json!([
            act(
                &eni,
                "modify_attribute",
                params! {"Description": {"Value": "eni2"}}
            )
            .await?,
            act(
                &eni,
                "describe_attribute",
                params! {"Attribute": "description"}
            )
            .await?
        ]))
    })
    .await;
    run.step("eni_private_ips", async {
        act(
            &get!("eni"),
            "assign_private_ip_addresses",
            params! {"SecondaryPrivateIpAddressCount": 1},
        )
        .await
    })
    .await;
    run.step("eni_collections", async {
        let eni = get!("eni");
        Ok(json!([
            subnet
                .collection("network_interfaces")?
                .to_vec()
                .await?
                .contains(&eni),
            vpc.collection("network_interfaces")?
                .to_vec()
                .await?
                .contains(&eni)
        ]))
    })
    .await;
    run.step("vpc_address", async {
        let out = ec2
            .meta()
            .invoker()
            .invoke("AllocateAddress", params! {"Domain": "vpc"})
            .await?;
        let addr = ec2.resource("VpcAddress", vec![out.get("AllocationId").clone()])?;
        Ok(keep!("addr", boto_resources::ActionOutput::Resource(addr)))
    })
    .await;
    run.step("vpc_address_load", async {
        attrs(&get!("addr"), &["domain", "allocation_id"]).await
    })
    .await;
    run.step("vpc_address_associate", async {
        let eni = id(&get!("eni"));
        Ok(sorted_keys(
            &act(
                &get!("addr"),
                "associate",
                params! {"NetworkInterfaceId": eni},
            )
            .await?,
        ))
    })
    .await;
    run.step("vpc_address_association", async {
        let addr = get!("addr");
        addr.reload().await?;
        Ok(json!([null, out(addr.reference("association").await?)]))
    })
    .await;
    let association = || async {
        get!("addr")
            .reference("association")
            .await?
            .into_resource()
            .ok_or_else(|| boto::Error::validation("no association"))
    };
    run.step("association_load", async {
        let a = association().await?;
        let ip = attrs(&a, &["public_ip"]).await?;
        Ok(json!([
            ip == attrs(&get!("addr"), &["public_ip"]).await?,
            out(a.reference("address").await?)
        ]))
    })
    .await;
    run.step("association_delete", async {
        act(&association().await?, "delete", null()).await
    })
    .await;
    run.step("vpc_addresses_collection", async {
        let f = params! {"AllocationIds": [(id(&get!("addr")))]};
        coll(&ec2.collection("vpc_addresses")?.filter(f)).await
    })
    .await;
    run.step("vpc_address_release", async {
        act(&get!("addr"), "release", null()).await
    })
    .await;
    run.step("eni_delete", async {
        act(&get!("eni"), "delete", null()).await
    })
    .await;
    run.step("internet_gateway", async {
        let a = keep!("igw", ec2.action("create_internet_gateway", null()).await?);
        Ok(json!([
            a,
            act(&get!("igw"), "attach_to_vpc", params! {"VpcId": (id(&vpc))}).await?
        ]))
    })
    .await;
    run.step("igw_load", async {
        Ok(json!([
            attrs(&get!("igw"), &["attachments"]).await?,
            coll(&vpc.collection("internet_gateways")?.all()).await?
        ]))
    })
    .await;
    run.step("route_table", async {
        let a = keep!("rt", vpc.action("create_route_table", null()).await?);
        Ok(json!([a, out(get!("rt").reference("vpc").await?)]))
    })
    .await;
    run.step("rt_associate", async {
        Ok(keep!(
            "assoc",
            get!("rt")
                .action("associate_with_subnet", params! {"SubnetId": (id(&subnet))})
                .await?
        ))
    })
    .await;
    run.step("association_reference_without_data", async {
        Ok(out(get!("assoc").reference("route_table").await?))
    })
    .await;
    run.step("create_route", async {
        let igw = id(&get!("igw"));
        let a = keep!(
            "route",
            get!("rt")
                .action(
                    "create_route",
                    params! {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}
                )
                .await?
        );
        Ok(json!([
            a,
            repr(&get!("route").subresource("RouteTable", ())?)
        ]))
    })
    .await;
    run.step("rt_plural_references", async {
        let rt = get!("rt");
        rt.reload().await?;
        Ok(json!([
            null,
            out(rt.reference("associations").await?),
            out(rt.reference("routes").await?)
        ]))
    })
    .await;
    run.step("association_references", async {
        let assocs = get!("rt").reference("associations").await?.into_resources();
        let mut v = Vec::new();
        for a in &assocs {
            v.push(out(a.reference("route_table").await?));
        }
        for a in &assocs {
            v.push(out(a.reference("subnet").await?));
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("route_replace_delete", async {
        let route = get!("route");
        let igw = id(&get!("igw"));
        Ok(json!([
            act(&route, "replace", params! {"GatewayId": igw}).await?,
            act(&route, "delete", null()).await?
        ]))
    })
    .await;
    run.step("route_tables_collection", async {
        Ok(json!(ec2
            .collection("route_tables")?
            .filter(by_id("vpc-id", vec![id(&vpc)]))
            .to_vec()
            .await?
            .len()))
    })
    .await;
    run.step("rt_disassociate_delete", async {
        Ok(json!([
            act(&get!("assoc"), "delete", null()).await?,
            act(&get!("rt"), "delete", null()).await?
        ]))
    })
    .await;
    run.step("igw_detach_delete", async {
        let igw = get!("igw");
        Ok(json!([
            act(&igw, "detach_from_vpc", params! {"VpcId": (id(&vpc))}).await?,
            act(&igw, "delete", null()).await?
        ]))
    })
    .await;
    let kp_name = format!("kp-{tag}");
    run.step("key_pair", async {
        let a = keep!(
            "kp",
            ec2.action("create_key_pair", params! {"KeyName": (kp_name.as_str())})
                .await?
        );
        let kp = get!("kp");
        let material = kp.attr("key_material").await?;
        Ok(json!([
            a,
            kp.attr("key_name").await?.to_json(),
            material.as_str().is_some_and(|m| !m.is_empty())
        ]))
    })
    .await;
    let key_pairs = ec2
        .collection("key_pairs")?
        .filter(params! {"KeyNames": [(kp_name.as_str())]});
    run.step("key_pair_info", async {
        let mut v = Vec::new();
        for k in key_pairs.to_vec().await? {
            let fp = k.attr("key_fingerprint").await?;
            v.push(json!([
                repr(&k),
                fp.as_str().is_some_and(|f| !f.is_empty()),
                k.attr("key_name").await?.to_json()
            ]));
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("key_pairs_collection", async { coll(&key_pairs).await })
        .await;
    run.step("key_pair_delete", async {
        act(&get!("kp"), "delete", null()).await
    })
    .await;
    crate::ec2_more_c::rest(run, ec2, s, tag, &vpc, &inst).await
}
