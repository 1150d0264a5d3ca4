//! `aws.parseArn`.
//!
//! Follows botocore's `ArnParser`: split on the first five colons, require
//! non-empty partition, service and resource (region and account may be
//! empty), and expose the resource as `resourceId`, split on both `:` and
//! `/`. Slices borrow from the input when it is borrowed.

use std::rc::Rc;

use crate::value::{Arn, Str, Val};

pub(crate) fn parse_arn<'a>(input: &Str<'a>) -> Option<Arn<'a>> {
    let s: &str = input;
    if !s.starts_with("arn:") {
        return None;
    }
    // Byte ranges of the six colon-separated fields.
    let mut ranges = Vec::with_capacity(6);
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b':' && ranges.len() < 5 {
            ranges.push(start..i);
            start = i + 1;
        }
    }
    if ranges.len() < 5 {
        return None;
    }
    ranges.push(start..s.len());
    let [_, partition, service, region, account, resource] =
        <[std::ops::Range<usize>; 6]>::try_from(ranges).ok()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let mut resource_id = Vec::new();
    let mut seg_start = resource.start;
    for (i, b) in s[resource.clone()].bytes().enumerate() {
        if b == b':' || b == b'/' {
            let at = resource.start + i;
            resource_id.push(Val::Str(input.slice(seg_start..at)));
            seg_start = at + 1;
        }
    }
    resource_id.push(Val::Str(input.slice(seg_start..resource.end)));
    Some(Arn {
        partition: input.slice(partition),
        service: input.slice(service),
        region: input.slice(region),
        account_id: input.slice(account),
        resource_id: Rc::new(resource_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<serde_json::Value> {
        parse_arn(&Str::Borrowed(s)).map(|a| Val::Arn(Rc::new(a)).to_json())
    }

    #[test]
    fn valid() {
        assert_eq!(
            parse("arn:aws:s3:::myBucket/key").unwrap(),
            serde_json::json!({"partition":"aws","service":"s3","region":"","accountId":"",
                "resourceId":["myBucket","key"]})
        );
        assert_eq!(
            parse("arn:aws:kinesis:us-east-1:1234567890:stream/mystream:foo").unwrap()
                ["resourceId"],
            serde_json::json!(["stream", "mystream", "foo"])
        );
        assert_eq!(
            parse("arn:aws:s3:us-east-2:012345678:outpost:").unwrap()["resourceId"],
            serde_json::json!(["outpost", ""])
        );
        assert_eq!(
            parse("arn:aws:s3:us-east-1:abcd:a:b:c").unwrap()["accountId"],
            serde_json::json!("abcd")
        );
    }

    #[test]
    fn invalid() {
        assert_eq!(parse("asdf"), None);
        assert_eq!(parse("arn:aws:this-is-not-an-arn:foo"), None);
        assert_eq!(parse("arn:aws:s3:us-west-2:123456789012:"), None);
        assert_eq!(parse("arn:aws::us-west-2:123456789012:resource-id"), None);
        assert_eq!(parse("arn::s3:us-west-2:123456789012:resource-id"), None);
        assert_eq!(parse("ARN:aws:s3:::b"), None);
    }
}
