//! The second half of the IAM differential scenario (`diff_iam.rs`,
//! `diff_iam.py`): access keys, login profiles, certificates, SAML
//! providers, MFA devices, the account-wide classes and the users
//! collection. Split out to keep files short.

use crate::support::diff::*;
use crate::{keep, CERT};
use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};

/// Runs the steps after the role and policy ones, on `u` and `g`.
pub async fn steps(
    run: &mut Run,
    iam: &Resource,
    u: &Resource,
    g: &Resource,
    p: &str,
) -> Result<(), boto::Error> {
    let path = format!("/{p}/");
    let un = format!("{p}-u");
    let mut slot = None;
    macro_rules! take {
        () => {
            slot.take().expect("a resource from the previous step")
        };
    }
    run.step("create_access_key_pair", async {
        let akp = one(u.action("create_access_key_pair", Value::Null).await?)?;
        let secret = akp.id_str("secret").map_or(0, str::len);
        let j = json!([
            akp.id_str("user_name"),
            secret,
            akp.attr("status").await?.to_json()
        ]);
        slot = Some(akp);
        Ok(j)
    })
    .await;
    let akp = take!();
    let key_id = akp.identifier("id").cloned().unwrap_or_default();
    run.step("access_key_pair_actions", async {
        Ok(json!([
            act(&akp, "deactivate", Value::Null).await?,
            act(&akp, "activate", Value::Null).await?
        ]))
    })
    .await;
    run.step("user_access_keys", async {
        let mut v = Vec::new();
        for k in u.collection("access_keys")?.to_vec().await? {
            v.push(json!([
                k.id_str("user_name"),
                k.identifier("id") == Some(&key_id)
            ]));
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("access_key", async {
        let ak = u.subresource("AccessKey", vec![key_id.clone()])?;
        Ok(json!([
            repr(
                &u.subresource("AccessKey", ["AKIAEXAMPLE"])?
                    .subresource("User", ())?
            ),
            act(&ak, "deactivate", Value::Null).await?,
            act(&ak, "activate", Value::Null).await?
        ]))
    })
    .await;
    run.step("access_key_delete", async {
        act(
            &u.subresource("AccessKey", vec![key_id.clone()])?,
            "delete",
            Value::Null,
        )
        .await
    })
    .await;
    run.step("create_login_profile", async {
        keep(
            &mut slot,
            u.action(
                "create_login_profile",
                params! {"Password": "Pa55word!x", "PasswordResetRequired": true},
            )
            .await?,
        )
    })
    .await;
    let lp = take!();
    run.step("login_profile_load", async {
        Ok(json!([
            attrs(&lp, &["user_name", "password_reset_required"]).await?,
            repr(&lp.subresource("User", ())?),
            repr(&u.subresource("LoginProfile", ())?)
        ]))
    })
    .await;
    run.step("login_profile_update_delete", async {
        Ok(json!([
            act(&lp, "update", params! {"Password": "Pa55word!y"}).await?,
            act(&lp, "delete", Value::Null).await?
        ]))
    })
    .await;
    run.step("signing_certificate", async {
        act(
            iam,
            "create_signing_certificate",
            params! {"UserName": (un.as_str()), "CertificateBody": CERT},
        )
        .await
    })
    .await;
    let mut certs = Vec::new();
    run.step("user_signing_certificates", async {
        certs = u.collection("signing_certificates")?.to_vec().await?;
        Ok(json!([
            certs.len(),
            repr(
                &u.subresource("SigningCertificate", ["X"])?
                    .subresource("User", ())?
            )
        ]))
    })
    .await;
    run.step("signing_certificate_actions", async {
        let c = certs
            .first()
            .ok_or_else(|| boto::Error::validation("no certificate"))?;
        Ok(json!([
            act(c, "deactivate", Value::Null).await?,
            act(c, "activate", Value::Null).await?,
            act(c, "delete", Value::Null).await?
        ]))
    })
    .await;
    run.step("server_certificate", async {
        keep(
            &mut slot,
            iam.action(
                "create_server_certificate",
                params! {"ServerCertificateName": (format!("{p}-cert")), "CertificateBody": CERT, "PrivateKey": "not-checked", "Path": (path.as_str())},
            )
            .await?,
        )
    })
    .await;
    let cert = take!();
    run.step("server_certificate_load", async {
        let m = cert.attr("server_certificate_metadata").await?;
        let body = cert.attr("certificate_body").await?;
        let head: String = body.as_str().unwrap_or_default().chars().take(27).collect();
        Ok(json!([m.get("ServerCertificateName").to_json(), head]))
    })
    .await;
    run.step("server_certificates_collection", async {
        let all = iam
            .collection("server_certificates")?
            .filter(params! {"PathPrefix": (path.as_str())})
            .to_vec()
            .await?;
        let mine: Vec<Resource> = all
            .into_iter()
            .filter(|c| format!("{c:?}").contains(p))
            .collect();
        Ok(reprs(&mine))
    })
    .await;
    run.step("server_certificate_update", async {
        act(
            &cert,
            "update",
            params! {"NewServerCertificateName": (format!("{p}-cert2"))},
        )
        .await
    })
    .await;
    run.step("server_certificate_delete", async {
        act(
            &iam.resource("ServerCertificate", [format!("{p}-cert2")])?,
            "delete",
            Value::Null,
        )
        .await
    })
    .await;
    run.step("server_certificate_delete_original", async {
        act(&cert, "delete", Value::Null).await
    })
    .await;
    let (m, n) = ("m".repeat(1000), "n".repeat(1000));
    run.step("saml_provider", async {
        keep(
            &mut slot,
            iam.action(
                "create_saml_provider",
                params! {"SAMLMetadataDocument": (m.as_str()), "Name": (format!("{p}-saml"))},
            )
            .await?,
        )
    })
    .await;
    let saml = take!();
    run.step("saml_load_update", async {
        let same = saml.attr("saml_metadata_document").await?.as_str() == Some(m.as_str());
        Ok(json!([
            same,
            act(
                &saml,
                "update",
                params! {"SAMLMetadataDocument": (n.as_str())}
            )
            .await?
        ]))
    })
    .await;
    run.step("saml_collection_delete", async {
        let all = coll(&iam.collection("saml_providers")?.all()).await?;
        Ok(json!([
            all.to_string().contains(&format!("{p}-saml")),
            act(&saml, "delete", Value::Null).await?
        ]))
    })
    .await;
    run.step("virtual_mfa", async {
        keep(
            &mut slot,
            iam.action(
                "create_virtual_mfa_device",
                params! {"VirtualMFADeviceName": (format!("{p}-mfa")), "Path": (path.as_str())},
            )
            .await?,
        )
    })
    .await;
    let vm = take!();
    let serial = vm.identifier("serial_number").cloned().unwrap_or_default();
    run.step("enable_mfa", async {
        keep(
            &mut slot,
            u.action(
                "enable_mfa",
                params! {"SerialNumber": (serial.clone()), "AuthenticationCode1": "123456", "AuthenticationCode2": "654321"},
            )
            .await?,
        )
    })
    .await;
    let mfa = take!();
    run.step("user_mfa_devices", async {
        Ok(json!([
            coll(&u.collection("mfa_devices")?.all()).await?,
            repr(
                &u.subresource("MfaDevice", ["sn"])?
                    .subresource("User", ())?
            )
        ]))
    })
    .await;
    run.step("virtual_mfa_user_reference", async {
        let mut v = Vec::new();
        for d in iam
            .collection("virtual_mfa_devices")?
            .filter(params! {"AssignmentStatus": "Assigned"})
            .to_vec()
            .await?
        {
            if d.id_str("serial_number").is_some_and(|s| s.contains(p)) {
                v.push(out(d.reference("user").await?));
            }
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("mfa_resync", async {
        act(
            &mfa,
            "resync",
            params! {"AuthenticationCode1": "111111", "AuthenticationCode2": "222222"},
        )
        .await
    })
    .await;
    run.step("mfa_disassociate", async {
        act(&mfa, "disassociate", Value::Null).await
    })
    .await;
    run.step("mfa_associate", async {
        Ok(json!([
            act(
                &mfa,
                "associate",
                params! {"AuthenticationCode1": "123456", "AuthenticationCode2": "654321"}
            )
            .await?,
            act(&mfa, "disassociate", Value::Null).await?
        ]))
    })
    .await;
    run.step("virtual_mfa_delete", async {
        act(&vm, "delete", Value::Null).await
    })
    .await;
    run.step("password_policy", async {
        keep(
            &mut slot,
            iam.action(
                "create_account_password_policy",
                params! {"MinimumPasswordLength": 12},
            )
            .await?,
        )
    })
    .await;
    let pp = take!();
    run.step("password_policy_load_update", async {
        let a = pp.attr("minimum_password_length").await?.to_json();
        let o = act(&pp, "update", params! {"MinimumPasswordLength": 14}).await?;
        Ok(json!([
            a,
            o,
            pp.attr("minimum_password_length").await?.to_json()
        ]))
    })
    .await;
    run.step("password_policy_delete", async {
        Ok(json!([
            act(&pp, "delete", Value::Null).await?,
            act(
                &iam.resource("AccountPasswordPolicy", ())?,
                "delete",
                Value::Null
            )
            .await?
        ]))
    })
    .await;
    run.step("account_summary", async {
        let s = iam.resource("AccountSummary", ())?;
        let mut keys: Vec<String> = s
            .attr("summary_map")
            .await?
            .as_map()
            .map(|m| m.keys().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        keys.sort();
        keys.truncate(5);
        Ok(json!([keys, repr(&s)]))
    })
    .await;
    run.step("current_user", async {
        let a = attrs(&iam.resource("CurrentUser", ())?, &["user_name", "path"]).await?;
        Ok(json!([
            a,
            out(iam.resource("CurrentUser", ())?.reference("user").await?)
        ]))
    })
    .await;
    for c in ["access_keys", "mfa_devices", "signing_certificates"] {
        run.step(&format!("current_user_{c}"), async {
            coll(&iam.resource("CurrentUser", ())?.collection(c)?.all()).await
        })
        .await;
    }
    run.step("change_password", async {
        act(
            iam,
            "change_password",
            params! {"OldPassword": "a", "NewPassword": "b"},
        )
        .await
    })
    .await;
    run.step("account_alias", async {
        let alias: String = p.to_lowercase().chars().take(20).collect();
        act(
            iam,
            "create_account_alias",
            params! {"AccountAlias": (format!("{alias}-alias"))},
        )
        .await
    })
    .await;
    run.step("create_users", async {
        let mut v = Vec::new();
        for i in 0..4 {
            v.push(
                act(
                    iam,
                    "create_user",
                    params! {"UserName": (format!("{p}-m{i}")), "Path": (path.as_str())},
                )
                .await?,
            );
        }
        Ok(Json::Array(v))
    })
    .await;
    let users = iam
        .collection("users")?
        .filter(params! {"PathPrefix": (path.as_str())});
    run.step("users_page_size", async { coll(&users.page_size(2)).await })
        .await;
    run.step("users_limit", async {
        coll(&users.page_size(2).limit(3)).await
    })
    .await;
    run.step("users_pages", async {
        let mut pages = users.page_size(2).pages();
        let mut sizes = Vec::new();
        while let Some(pg) = pages.next().await {
            sizes.push(json!(pg?.len()));
        }
        Ok(Json::Array(sizes))
    })
    .await;
    run.step("groups_collection", async {
        coll(
            &iam.collection("groups")?
                .filter(params! {"PathPrefix": (path.as_str())}),
        )
        .await
    })
    .await;
    run.step("user_update_rename", async {
        act(
            &iam.resource("User", [format!("{p}-m0")])?,
            "update",
            params! {"NewUserName": (format!("{p}-m9"))},
        )
        .await
    })
    .await;
    run.step("group_update_rename", async {
        let g2 = format!("{p}-g2");
        Ok(json!([
            act(g, "update", params! {"NewGroupName": (g2.as_str())}).await?,
            act(
                &iam.resource("Group", [g2.as_str()])?,
                "delete",
                Value::Null
            )
            .await?
        ]))
    })
    .await;
    run.step("delete_users", async {
        let mut v = Vec::new();
        for x in users.all().to_vec().await? {
            if x.id_str("name") != Some(un.as_str()) {
                v.push(act(&x, "delete", Value::Null).await?);
            }
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("user_delete", async {
        Ok(json!([
            act(u, "delete", Value::Null).await?,
            act(u, "delete", Value::Null).await?
        ]))
    })
    .await;
    Ok(())
}
