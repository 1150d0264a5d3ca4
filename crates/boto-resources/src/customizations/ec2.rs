//! EC2: `create_tags` on the service resource (boto3's `ec2/createtags.py`:
//! CreateTags, then one `Tag` resource per resource × tag) and
//! `delete_tags` on instances (`ec2/deletetags.py`: DeleteTags with
//! `Resources = [instance id]`).

use crate::params::user_params;
use crate::response::ActionOutput;
use crate::Resource;
use boto::{Error, Value};

/// `ec2.create_tags(Resources=[...], Tags=[{Key, Value}, ...])` → the `Tag` resources.
pub async fn create_tags(ec2: &Resource, params: Value) -> Result<Vec<Resource>, Error> {
    let p = user_params("ec2.create_tags", params)?;
    ec2.ctx().call("CreateTags", Value::Map(p.clone())).await?;
    let mut out = Vec::new();
    for resource in p
        .get("Resources")
        .and_then(Value::as_list)
        .unwrap_or_default()
    {
        for tag in p.get("Tags").and_then(Value::as_list).unwrap_or_default() {
            out.push(ec2.resource(
                "Tag",
                vec![
                    resource.clone(),
                    tag.get("Key").clone(),
                    tag.get("Value").clone(),
                ],
            )?);
        }
    }
    Ok(out)
}

/// `instance.delete_tags(Tags=[...])`: DeleteTags on this instance.
pub async fn delete_tags(instance: &Resource, params: Value) -> Result<Value, Error> {
    let mut p = user_params("ec2.Instance.delete_tags", params)?;
    let id = instance.identifier("Id").cloned().unwrap_or_default();
    p.insert("Resources", Value::List(vec![id]));
    instance.ctx().call("DeleteTags", Value::Map(p)).await
}

pub(crate) async fn create_tags_action(r: &Resource, params: Value) -> Result<ActionOutput, Error> {
    create_tags(r, params).await.map(ActionOutput::Resources)
}

pub(crate) async fn delete_tags_action(r: &Resource, params: Value) -> Result<ActionOutput, Error> {
    delete_tags(r, params).await.map(ActionOutput::Data)
}
