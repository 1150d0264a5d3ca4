//! SQS message MD5 checks.
//!
//! SQS returns MD5 digests of what it stored (`MD5OfMessageBody`,
//! `MD5OfMessageAttributes`, `MD5OfMessageSystemAttributes`) and of what it
//! delivers (`MD5OfBody`). Comparing them with the request or the received
//! message catches corruption in transit. botocore does not do this; the Java,
//! .NET and Go SDKs do, with the attribute digest algorithm implemented in
//! [`attributes_md5`]. A mismatch is a response error.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor};
use boto_model::{Map, Value};
use md5::{Digest, Md5};

/// `sqs.md5`: see the module docs.
#[derive(Debug, Default)]
pub struct MessageMd5;

impl Interceptor for MessageMd5 {
    fn name(&self) -> &'static str {
        "sqs.md5"
    }

    fn modify_after_parse(
        &self,
        call: &CallInfo<'_>,
        params: &Value,
        output: &mut Value,
    ) -> Result<(), Error> {
        match &*call.operation.name {
            "SendMessage" => check_sent(params, output, "SendMessage"),
            "SendMessageBatch" => {
                let entries = params.get("Entries").as_list().unwrap_or_default();
                for result in output.get("Successful").as_list().unwrap_or_default() {
                    let id = result.get("Id").as_str();
                    if let Some(entry) = entries.iter().find(|e| e.get("Id").as_str() == id) {
                        let what = format!("SendMessageBatch entry {}", id.unwrap_or(""));
                        check_sent(entry, result, &what)?;
                    }
                }
                Ok(())
            }
            "ReceiveMessage" => {
                for msg in output.get("Messages").as_list().unwrap_or_default() {
                    let id = msg.get("MessageId").as_str().unwrap_or("");
                    if let (Some(body), Some(md5)) =
                        (msg.get("Body").as_str(), msg.get("MD5OfBody").as_str())
                    {
                        compare(
                            &hex_md5(body.as_bytes()),
                            md5,
                            &format!("body of received message {id}"),
                        )?;
                    }
                    if let (Value::Map(attrs), Some(md5)) = (
                        msg.get("MessageAttributes"),
                        msg.get("MD5OfMessageAttributes").as_str(),
                    ) {
                        compare(
                            &attributes_md5(attrs),
                            md5,
                            &format!("attributes of received message {id}"),
                        )?;
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Checks one sent message (`request` has MessageBody/MessageAttributes/
/// MessageSystemAttributes, `result` the returned digests).
fn check_sent(request: &Value, result: &Value, what: &str) -> Result<(), Error> {
    if let (Some(body), Some(md5)) = (
        request.get("MessageBody").as_str(),
        result.get("MD5OfMessageBody").as_str(),
    ) {
        compare(
            &hex_md5(body.as_bytes()),
            md5,
            &format!("message body of {what}"),
        )?;
    }
    for (attrs, digest, label) in [
        (
            "MessageAttributes",
            "MD5OfMessageAttributes",
            "message attributes",
        ),
        (
            "MessageSystemAttributes",
            "MD5OfMessageSystemAttributes",
            "message system attributes",
        ),
    ] {
        if let (Value::Map(a), Some(md5)) = (request.get(attrs), result.get(digest).as_str()) {
            if !a.is_empty() {
                compare(&attributes_md5(a), md5, &format!("{label} of {what}"))?;
            }
        }
    }
    Ok(())
}

fn compare(calculated: &str, returned: &str, what: &str) -> Result<(), Error> {
    if calculated.eq_ignore_ascii_case(returned.trim()) {
        return Ok(());
    }
    Err(Error::response(format!(
        "MD5 returned by SQS does not match the calculation on the original request ({what}): \
         calculated {calculated}, SQS returned {returned}"
    )))
}

fn hex_md5(data: &[u8]) -> String {
    Md5::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The digest SQS computes over message (system) attributes: for each
/// attribute in name order, the length-prefixed (4-byte big-endian) name and
/// data type, then a transport byte (1 string, 2 binary, 3 string list,
/// 4 binary list) and the length-prefixed value(s).
pub fn attributes_md5(attrs: &Map) -> String {
    fn put(h: &mut Md5, bytes: &[u8]) {
        h.update((bytes.len() as u32).to_be_bytes());
        h.update(bytes);
    }
    fn bytes(v: &Value) -> Option<&[u8]> {
        match v {
            Value::Blob(b) => Some(b),
            Value::String(s) => Some(s.as_bytes()),
            _ => None,
        }
    }
    let mut names: Vec<&boto_model::Key> = attrs.keys().collect();
    names.sort();
    let mut h = Md5::new();
    for name in names {
        let v = &attrs[name.as_str()];
        put(&mut h, name.as_bytes());
        put(&mut h, v.get("DataType").as_str().unwrap_or("").as_bytes());
        if let Some(s) = v.get("StringValue").as_str() {
            h.update([1u8]);
            put(&mut h, s.as_bytes());
        } else if let Some(b) = bytes(v.get("BinaryValue")) {
            h.update([2u8]);
            put(&mut h, b);
        } else if let Some(list) = v
            .get("StringListValues")
            .as_list()
            .filter(|l| !l.is_empty())
        {
            h.update([3u8]);
            for s in list {
                put(&mut h, s.as_str().unwrap_or("").as_bytes());
            }
        } else if let Some(list) = v
            .get("BinaryListValues")
            .as_list()
            .filter(|l| !l.is_empty())
        {
            h.update([4u8]);
            for b in list {
                put(&mut h, bytes(b).unwrap_or_default());
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;

    fn v(j: serde_json::Value) -> Value {
        Value::from_json(&j)
    }

    #[test]
    fn body_md5_matches_and_mismatches() {
        let h = Harness::new("sqs", "SendMessage");
        let params = v(serde_json::json!({"QueueUrl": "q", "MessageBody": "hello"}));
        let mut ok = v(serde_json::json!({"MD5OfMessageBody": "5d41402abc4b2a76b9719d911017c592"}));
        MessageMd5
            .modify_after_parse(&h.call(), &params, &mut ok)
            .unwrap();
        let mut bad =
            v(serde_json::json!({"MD5OfMessageBody": "00000000000000000000000000000000"}));
        let err = MessageMd5
            .modify_after_parse(&h.call(), &params, &mut bad)
            .unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Response);
        assert!(
            err.message().contains("5d41402abc4b2a76b9719d911017c592"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn attribute_md5_known_values() {
        // The digest spelled out byte by byte (the Java SDK's MessageMD5ChecksumHandler layout).
        let attrs = v(serde_json::json!({"Attr1": {"DataType": "String", "StringValue": "value"}}));
        let want = {
            let mut h = Md5::new();
            for part in [&b"Attr1"[..], b"String"] {
                h.update((part.len() as u32).to_be_bytes());
                h.update(part);
            }
            h.update([1u8]);
            h.update(5u32.to_be_bytes());
            h.update(b"value");
            h.finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        assert_eq!(attributes_md5(attrs.as_map().unwrap()), want);
        // Order independence: names are sorted.
        let a = v(
            serde_json::json!({"b": {"DataType": "Number", "StringValue": "1"},
                                     "a": {"DataType": "String", "StringValue": "x"}}),
        );
        let b = v(
            serde_json::json!({"a": {"DataType": "String", "StringValue": "x"},
                                     "b": {"DataType": "Number", "StringValue": "1"}}),
        );
        assert_eq!(
            attributes_md5(a.as_map().unwrap()),
            attributes_md5(b.as_map().unwrap())
        );
    }

    #[test]
    fn batch_and_receive() {
        let h = Harness::new("sqs", "SendMessageBatch");
        let params = v(serde_json::json!({"QueueUrl": "q", "Entries": [
            {"Id": "a", "MessageBody": "hello"}, {"Id": "b", "MessageBody": "world"}]}));
        let mut out = v(serde_json::json!({"Successful": [
            {"Id": "b", "MD5OfMessageBody": "7d793037a0760186574b0282f2f435e7"},
            {"Id": "a", "MD5OfMessageBody": "5d41402abc4b2a76b9719d911017c592"}], "Failed": []}));
        MessageMd5
            .modify_after_parse(&h.call(), &params, &mut out)
            .unwrap();
        let mut out = v(
            serde_json::json!({"Successful": [{"Id": "b", "MD5OfMessageBody": "5d41402abc4b2a76b9719d911017c592"}]}),
        );
        assert!(MessageMd5
            .modify_after_parse(&h.call(), &params, &mut out)
            .is_err());

        let h = Harness::new("sqs", "ReceiveMessage");
        let attrs = v(serde_json::json!({"k": {"DataType": "Binary", "BinaryValue": null}}));
        let mut attrs = attrs;
        if let Some(m) = attrs
            .as_map_mut()
            .and_then(|m| m.get_mut("k"))
            .and_then(Value::as_map_mut)
        {
            m.insert("BinaryValue", Value::blob(vec![0u8, 1, 2]));
        }
        let md5 = attributes_md5(attrs.as_map().unwrap());
        let mut out = Value::Map(
            [(
                "Messages".to_string(),
                Value::List(vec![Value::Map(
                    [
                        ("MessageId".to_string(), Value::String("m1".into())),
                        ("Body".to_string(), Value::String("hello".into())),
                        (
                            "MD5OfBody".to_string(),
                            Value::String("5d41402abc4b2a76b9719d911017c592".into()),
                        ),
                        ("MessageAttributes".to_string(), attrs.clone()),
                        (
                            "MD5OfMessageAttributes".to_string(),
                            Value::String(md5.into()),
                        ),
                    ]
                    .into_iter()
                    .collect(),
                )]),
            )]
            .into_iter()
            .collect(),
        );
        MessageMd5
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        if let Some(Value::List(l)) = out.as_map_mut().and_then(|m| m.get_mut("Messages")) {
            if let Some(m) = l[0].as_map_mut() {
                m.insert("Body", Value::String("tampered".into()));
            }
        }
        let err = MessageMd5
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap_err();
        assert!(err.message().contains("m1"));
    }
}
