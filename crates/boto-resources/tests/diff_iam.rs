//! Differential test against boto3 for IAM: the scenario of `diff_iam.py`
//! (every IAM resource class; see its docstring for what moto cannot do),
//! step by step with boto-rs resources on the same moto server (method in
//! `diff_s3.rs`). Prints `resources-diff-iam: N passed, M failed`.

#[path = "diff_parts/iam_account.rs"]
mod iam_account;
mod support;

use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};
use std::sync::Arc;
use support::diff::*;
use support::*;

const DOC: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
const DOC2: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#;
const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
pub(crate) const CERT: &str = include_str!("diff_iam_cert.pem");

pub(crate) fn keep(
    slot: &mut Option<Resource>,
    o: boto_resources::ActionOutput,
) -> Result<Json, boto::Error> {
    let r = one(o)?;
    let j = repr(&r);
    *slot = Some(r);
    Ok(j)
}

async fn scenario(rec: Arc<Recorder>, p: &str) -> Result<Vec<Json>, boto::Error> {
    let iam = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let path = format!("/{p}/");
    let (un, gn, rn) = (format!("{p}-u"), format!("{p}-g"), format!("{p}-r"));
    let mut slot = None;
    macro_rules! take {
        () => {
            slot.take().expect("a resource from the previous step")
        };
    }

    run.step("create_user", async {
        keep(
            &mut slot,
            iam.action(
                "create_user",
                params! {"UserName": (un.as_str()), "Path": (path.as_str())},
            )
            .await?,
        )
    })
    .await;
    let u = take!();
    run.step("user_load", async {
        attrs(&u, &["user_name", "path", "arn"]).await
    })
    .await;
    run.step("user_reload", async {
        u.reload().await?;
        Ok(json!([null, u.attr("path").await?.to_json()]))
    })
    .await;
    run.step("create_group", async {
        keep(
            &mut slot,
            iam.action(
                "create_group",
                params! {"GroupName": (gn.as_str()), "Path": (path.as_str())},
            )
            .await?,
        )
    })
    .await;
    let g = take!();
    run.step("group_add_user", async {
        act(&g, "add_user", params! {"UserName": (un.as_str())}).await
    })
    .await;
    run.step("group_load_users", async {
        Ok(json!([
            attrs(&g, &["group_name", "path"]).await?,
            coll(&g.collection("users")?.all()).await?
        ]))
    })
    .await;
    run.step("user_groups", async {
        coll(&u.collection("groups")?.all()).await
    })
    .await;
    run.step("user_add_group", async {
        act(&u, "add_group", params! {"GroupName": (gn.as_str())}).await
    })
    .await;
    run.step("user_remove_group", async {
        act(&u, "remove_group", params! {"GroupName": (gn.as_str())}).await
    })
    .await;
    run.step("user_create_policy", async {
        keep(
            &mut slot,
            u.action(
                "create_policy",
                params! {"PolicyName": "inline", "PolicyDocument": DOC},
            )
            .await?,
        )
    })
    .await;
    let up = take!();
    run.step("user_policy_load", async {
        attrs(&up, &["policy_name", "policy_document"]).await
    })
    .await;
    run.step("user_policy_put", async {
        let o = act(&up, "put", params! {"PolicyDocument": DOC2}).await?;
        Ok(json!([o, up.attr("policy_document").await?.to_json()]))
    })
    .await;
    run.step("user_policies", async {
        coll(&u.collection("policies")?.all()).await
    })
    .await;
    run.step("user_policy_refs", async {
        Ok(json!([
            repr(&up.subresource("User", ())?),
            repr(&u.subresource("Policy", ["inline"])?)
        ]))
    })
    .await;
    run.step("user_policy_delete", async {
        act(&up, "delete", Value::Null).await
    })
    .await;
    run.step("group_create_policy", async {
        keep(
            &mut slot,
            g.action(
                "create_policy",
                params! {"PolicyName": "ginline", "PolicyDocument": DOC},
            )
            .await?,
        )
    })
    .await;
    let gp = take!();
    run.step("group_policy", async {
        Ok(json!([
            attrs(&gp, &["policy_document"]).await?,
            coll(&g.collection("policies")?.all()).await?,
            repr(&gp.subresource("Group", ())?),
            act(&gp, "put", params! {"PolicyDocument": DOC2}).await?
        ]))
    })
    .await;
    run.step("group_policy_delete", async {
        Ok(json!([
            act(&gp, "delete", Value::Null).await?,
            repr(&g.subresource("Policy", ["ginline"])?)
        ]))
    })
    .await;
    run.step("create_role", async {
        keep(
            &mut slot,
            iam.action(
                "create_role",
                params! {"RoleName": (rn.as_str()), "AssumeRolePolicyDocument": TRUST, "Path": (path.as_str())},
            )
            .await?,
        )
    })
    .await;
    let r = take!();
    run.step("role_load", async {
        attrs(&r, &["role_name", "path", "assume_role_policy_document"]).await
    })
    .await;
    run.step("assume_role_policy", async {
        let arp = r.subresource("AssumeRolePolicy", ())?;
        Ok(json!([repr(&arp), repr(&arp.subresource("Role", ())?)]))
    })
    .await;
    run.step("assume_role_policy_update", async {
        act(
            &r.subresource("AssumeRolePolicy", ())?,
            "update",
            params! {"PolicyDocument": TRUST},
        )
        .await
    })
    .await;
    run.step("role_policy_subresource", async {
        let rp = r.subresource("Policy", ["rinline"])?;
        let j = repr(&rp);
        slot = Some(rp);
        Ok(j)
    })
    .await;
    let rp = take!();
    run.step("role_policy_put_load", async {
        let o = act(&rp, "put", params! {"PolicyDocument": DOC}).await?;
        Ok(json!([
            o,
            rp.attr("policy_document").await?.to_json(),
            repr(&rp.subresource("Role", ())?)
        ]))
    })
    .await;
    run.step("role_policies", async {
        coll(&r.collection("policies")?.all()).await
    })
    .await;
    run.step("role_policy_delete", async {
        act(&rp, "delete", Value::Null).await
    })
    .await;
    run.step("create_policy", async {
        keep(
            &mut slot,
            iam.action(
                "create_policy",
                params! {"PolicyName": (format!("{p}-mp")), "PolicyDocument": DOC, "Path": (path.as_str())},
            )
            .await?,
        )
    })
    .await;
    let pol = take!();
    let arn = pol.identifier("arn").cloned().unwrap_or_default();
    run.step("policy_load", async {
        attrs(
            &pol,
            &[
                "policy_name",
                "default_version_id",
                "attachment_count",
                "path",
            ],
        )
        .await
    })
    .await;
    run.step("policy_attach", async {
        Ok(json!([
            act(&pol, "attach_user", params! {"UserName": (un.as_str())}).await?,
            act(&pol, "attach_group", params! {"GroupName": (gn.as_str())}).await?,
            act(&pol, "attach_role", params! {"RoleName": (rn.as_str())}).await?
        ]))
    })
    .await;
    run.step("policy_attached", async {
        Ok(json!([
            coll(&pol.collection("attached_users")?.all()).await?,
            coll(&pol.collection("attached_groups")?.all()).await?,
            coll(&pol.collection("attached_roles")?.all()).await?
        ]))
    })
    .await;
    run.step("attached_policies", async {
        Ok(json!([
            coll(&u.collection("attached_policies")?.all()).await?,
            coll(&g.collection("attached_policies")?.all()).await?,
            coll(&r.collection("attached_policies")?.all()).await?
        ]))
    })
    .await;
    run.step("policy_detach", async {
        Ok(json!([
            act(&pol, "detach_user", params! {"UserName": (un.as_str())}).await?,
            act(&pol, "detach_group", params! {"GroupName": (gn.as_str())}).await?,
            act(&r, "detach_policy", params! {"PolicyArn": (arn.clone())}).await?
        ]))
    })
    .await;
    run.step("user_group_attach_policy", async {
        Ok(json!([
            act(&u, "attach_policy", params! {"PolicyArn": (arn.clone())}).await?,
            act(&g, "attach_policy", params! {"PolicyArn": (arn.clone())}).await?,
            act(&r, "attach_policy", params! {"PolicyArn": (arn.clone())}).await?
        ]))
    })
    .await;
    run.step("user_group_detach_policy", async {
        Ok(json!([
            act(&u, "detach_policy", params! {"PolicyArn": (arn.clone())}).await?,
            act(&g, "detach_policy", params! {"PolicyArn": (arn.clone())}).await?,
            act(&r, "detach_policy", params! {"PolicyArn": (arn.clone())}).await?
        ]))
    })
    .await;
    run.step("create_version", async {
        keep(
            &mut slot,
            pol.action("create_version", params! {"PolicyDocument": DOC2})
                .await?,
        )
    })
    .await;
    let pv = take!();
    run.step("version_load", async {
        attrs(&pv, &["version_id", "is_default_version", "document"]).await
    })
    .await;
    run.step("version_set_default", async {
        let o = act(&pv, "set_as_default", Value::Null).await?;
        let d = pol.attr("default_version_id").await?.to_json();
        let dv = pol.reference("default_version").await?;
        Ok(json!([o, d, out(dv)]))
    })
    .await;
    run.step("policy_versions", async {
        let mut v: Vec<String> = pol
            .collection("versions")?
            .to_vec()
            .await?
            .iter()
            .map(|x| format!("{x:?}"))
            .collect();
        v.sort();
        Ok(json!(v))
    })
    .await;
    run.step("version_delete", async {
        act(
            &iam.resource("PolicyVersion", vec![arn.clone(), "v1".into()])?,
            "delete",
            Value::Null,
        )
        .await
    })
    .await;
    run.step("policies_collection", async {
        coll(
            &iam.collection("policies")?
                .filter(params! {"Scope": "Local", "PathPrefix": (path.as_str())}),
        )
        .await
    })
    .await;
    run.step("policy_delete", async {
        act(&pol, "delete", Value::Null).await
    })
    .await;
    run.step("create_instance_profile", async {
        keep(
            &mut slot,
            iam.action(
                "create_instance_profile",
                params! {"InstanceProfileName": (format!("{p}-ip")), "Path": (path.as_str())},
            )
            .await?,
        )
    })
    .await;
    let ip = take!();
    run.step("instance_profile_add_role", async {
        let o = act(&ip, "add_role", params! {"RoleName": (rn.as_str())}).await?;
        Ok(json!([o, out(ip.reference("roles").await?)]))
    })
    .await;
    run.step("role_instance_profiles", async {
        coll(&r.collection("instance_profiles")?.all()).await
    })
    .await;
    run.step("instance_profiles_collection", async {
        coll(
            &iam.collection("instance_profiles")?
                .filter(params! {"PathPrefix": (path.as_str())}),
        )
        .await
    })
    .await;
    run.step("instance_profile_remove_role", async {
        let o = act(&ip, "remove_role", params! {"RoleName": (rn.as_str())}).await?;
        ip.reload().await?;
        Ok(json!([o, null, out(ip.reference("roles").await?)]))
    })
    .await;
    run.step("instance_profile_delete", async {
        act(&ip, "delete", Value::Null).await
    })
    .await;
    run.step("roles_collection", async {
        coll(
            &iam.collection("roles")?
                .filter(params! {"PathPrefix": (path.as_str())}),
        )
        .await
    })
    .await;
    run.step("role_delete", async {
        act(&r, "delete", Value::Null).await
    })
    .await;
    iam_account::steps(&mut run, &iam, &u, &g, p).await?;
    Ok(run.steps)
}

fn main() {
    let Some(endpoint) = live() else { return };
    let (rs, py) = (unique("rsi"), unique("pyi"));
    let rust = runtime()
        .block_on(scenario(recorder("iam", &endpoint), &rs))
        .expect("scenario");
    let masked = ["AccessKeyId", "CertificateId"];
    let (_, failed) = compare(
        "iam",
        &rust,
        "diff_iam.py",
        &[&endpoint, &py],
        Normalizer::new(&[(&rs, "P")], &masked),
        Normalizer::new(&[(&py, "P")], &masked),
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
