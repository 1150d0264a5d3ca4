//! rest-json and json: Lambda functions (create, get, list, delete) and Secrets Manager versions and errors.

use super::*;

#[tokio::test]
async fn lambda_create_get_list_delete() -> TestResult {
    let ep = moto_or_skip!();
    let iam = client(&ep, "iam");
    let lambda = client(&ep, "lambda");
    let name = unique("it-fn");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = iam
        .call(
            "CreateRole",
            params! {"RoleName": (format!("{name}-role")), "AssumeRolePolicyDocument": policy},
        )
        .await?;
    let role_arn = role
        .pointer("Role.Arn")
        .as_str()
        .expect("role ARN")
        .to_string();

    let handler = b"def handler(event, context):\n    return {'echo': event}\n";
    let zip = zip_stored(&[("handler.py", &handler[..])]);
    let created = lambda
        .call(
            "CreateFunction",
            params! {"FunctionName": (&name), "Runtime": "python3.12", "Role": (&role_arn),
            "Handler": "handler.handler", "Code": {"ZipFile": (Value::blob(zip.clone()))},
            "Description": "boto-rs integration test", "Timeout": 5, "MemorySize": 256,
            "Environment": {"Variables": {"MODE": "test"}}, "Tags": {"team": "boto-rs"}},
        )
        .await?;
    assert_eq!(created.get("FunctionName").as_str(), Some(name.as_str()));
    assert_eq!(created.get("CodeSize").as_i64(), Some(zip.len() as i64));
    assert_eq!(created.get("MemorySize").as_i64(), Some(256));
    assert_eq!(
        created.pointer("Environment.Variables.MODE").as_str(),
        Some("test")
    );
    let fn_arn = created
        .get("FunctionArn")
        .as_str()
        .expect("function ARN")
        .to_string();
    assert!(fn_arn.ends_with(&format!(":function:{name}")), "{fn_arn}");

    let got = lambda
        .call("GetFunction", params! {"FunctionName": (&name)})
        .await?;
    assert_eq!(
        got.pointer("Configuration.Handler").as_str(),
        Some("handler.handler")
    );
    assert_eq!(got.pointer("Configuration.Timeout").as_i64(), Some(5));
    assert_eq!(got.pointer("Tags.team").as_str(), Some("boto-rs"));
    // The function name is a URI label: an ARN works too (percent-encoded ':').
    let by_arn = lambda
        .call(
            "GetFunctionConfiguration",
            params! {"FunctionName": (&fn_arn)},
        )
        .await?;
    assert_eq!(
        by_arn.get("Description").as_str(),
        Some("boto-rs integration test")
    );

    let all = lambda
        .paginate("ListFunctions", params! {})?
        .build_full_result()
        .await?;
    assert!(all
        .get("Functions")
        .as_list()
        .unwrap_or_default()
        .iter()
        .any(|f| f.get("FunctionName").as_str() == Some(&name)));

    lambda
        .call("DeleteFunction", params! {"FunctionName": (&name)})
        .await?;
    let err = lambda
        .call("GetFunction", params! {"FunctionName": (&name)})
        .await
        .expect_err("deleted");
    assert!(err.is_code("ResourceNotFoundException"), "{err:?}");
    assert_eq!(err.status(), Some(404));
    Ok(())
}

#[tokio::test]
async fn secretsmanager_versions_and_errors() -> TestResult {
    let ep = moto_or_skip!();
    let sm = client(&ep, "secretsmanager");
    let name = unique("it-secret");
    let created = sm
        .call("CreateSecret", params! {"Name": (&name), "SecretString": "{\"password\":\"hunter2\"}", "Description": "d"})
        .await?;
    let arn = created.get("ARN").as_str().expect("ARN").to_string();
    let v1 = created
        .get("VersionId")
        .as_str()
        .expect("VersionId")
        .to_string();

    let got = sm
        .call("GetSecretValue", params! {"SecretId": (&name)})
        .await?;
    assert_eq!(
        got.get("SecretString").as_str(),
        Some("{\"password\":\"hunter2\"}")
    );
    assert_eq!(got.get("ARN").as_str(), Some(arn.as_str()));
    assert!(
        got.get("CreatedDate").as_timestamp().is_some(),
        "epoch-seconds timestamps are parsed"
    );

    let blob = vec![0u8, 1, 2, 254, 255];
    let put = sm
        .call(
            "PutSecretValue",
            params! {"SecretId": (&arn), "SecretBinary": (Value::blob(blob.clone()))},
        )
        .await?;
    let v2 = put
        .get("VersionId")
        .as_str()
        .expect("VersionId")
        .to_string();
    assert_ne!(v1, v2);
    let got = sm
        .call("GetSecretValue", params! {"SecretId": (&name)})
        .await?;
    assert_eq!(got.get("SecretBinary").as_blob(), Some(&blob[..]));
    let old = sm
        .call(
            "GetSecretValue",
            params! {"SecretId": (&name), "VersionId": (&v1)},
        )
        .await?;
    assert_eq!(
        old.get("SecretString").as_str(),
        Some("{\"password\":\"hunter2\"}")
    );

    let listed = sm
        .paginate(
            "ListSecrets",
            params! {"Filters": [{"Key": "name", "Values": [(&name)]}]},
        )?
        .build_full_result()
        .await?;
    assert_eq!(
        listed.pointer("SecretList[0].Name").as_str(),
        Some(name.as_str())
    );
    assert_eq!(list_len(listed.get("SecretList")), 1);

    sm.call(
        "DeleteSecret",
        params! {"SecretId": (&name), "ForceDeleteWithoutRecovery": true},
    )
    .await?;
    let err = sm
        .call("GetSecretValue", params! {"SecretId": (&name)})
        .await
        .expect_err("deleted");
    assert!(err.is_code("ResourceNotFoundException"), "{err:?}");
    assert!(!err.message().is_empty());
    Ok(())
}
