use super::*;
use boto_model::Loader;

fn msg(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let h: Vec<(&str, HeaderValue<'_>)> = headers
        .iter()
        .map(|(k, v)| (*k, HeaderValue::String(v)))
        .collect();
    encode_message(&h, payload).unwrap()
}

fn parser(service: &str, op: &str) -> EventParser {
    let model = Loader::global().service_model(service).unwrap();
    let op = model.require_operation(op).unwrap().clone();
    EventParser::for_operation(&model, &op).unwrap()
}

fn select_body() -> Vec<u8> {
    [
        msg(
            &[(":message-type", "event"), (":event-type", "Records")],
            b"a,b\n",
        ),
        msg(
            &[(":message-type", "event"), (":event-type", "Stats")],
            b"<Stats><BytesScanned>10</BytesScanned><BytesProcessed>10</BytesProcessed>\
              <BytesReturned>4</BytesReturned></Stats>",
        ),
        msg(
            &[(":message-type", "event"), (":event-type", "Unknown")],
            b"",
        ),
        msg(&[(":message-type", "event"), (":event-type", "End")], b""),
    ]
    .concat()
}

async fn all(reader: Reader) -> Vec<Result<Value, Error>> {
    let mut s = EventStream::new(reader);
    let mut out = Vec::new();
    loop {
        match s.recv().await {
            Ok(Some(v)) => out.push(Ok(v)),
            Ok(None) => break,
            Err(e) => {
                out.push(Err(e));
                // After an error the stream is over.
                assert!(s.recv().await.unwrap().is_none());
                break;
            }
        }
    }
    out
}

#[tokio::test]
async fn events_equal_the_buffered_parse() {
    let p = parser("s3", "SelectObjectContent");
    assert_eq!(&*p.member, "Payload");
    assert!(!p.rpc);
    let body = select_body();
    let events: Vec<Value> = all(Reader::new(ByteStream::from_bytes(body.clone()), p))
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(events.len(), 3, "the unknown event is skipped: {events:?}");
    assert_eq!(
        events[0].pointer("Records.Payload").as_blob(),
        Some(&b"a,b\n"[..])
    );
    assert_eq!(
        events[1].pointer("Stats.Details.BytesReturned").as_i64(),
        Some(4)
    );
    assert!(events[2].get("End").as_map().is_some());
    // The buffered path (Client::call) gives the same events, plus the empty one.
    let model = Loader::global().service_model("s3").unwrap();
    let op = model.require_operation("SelectObjectContent").unwrap();
    let resp = Response {
        status: 200,
        headers: &[],
        body: &body,
    };
    let buffered = boto_protocols::parse_response(&model, op, &resp).unwrap();
    let listed: Vec<Value> = buffered
        .get("Payload")
        .as_list_or_empty()
        .iter()
        .filter(|v| !v.as_map().is_some_and(|m| m.is_empty()))
        .cloned()
        .collect();
    assert_eq!(listed, events);
}

#[tokio::test]
async fn exception_and_error_messages_end_the_stream() {
    let p = parser("bedrock-runtime", "ConverseStream");
    let body = [
        msg(
            &[(":message-type", "event"), (":event-type", "messageStart")],
            br#"{"role":"assistant"}"#,
        ),
        msg(
            &[
                (":message-type", "exception"),
                (":exception-type", "modelStreamErrorException"),
                (":content-type", "application/json"),
            ],
            br#"{"message":"model failed","originalStatusCode":500}"#,
        ),
        msg(
            &[(":message-type", "event"), (":event-type", "messageStop")],
            br#"{"stopReason":"end_turn"}"#,
        ),
    ]
    .concat();
    let out = all(Reader::new(ByteStream::from_bytes(body), p.clone())).await;
    assert_eq!(out.len(), 2);
    assert_eq!(
        out[0]
            .as_ref()
            .unwrap()
            .pointer("messageStart.role")
            .as_str(),
        Some("assistant")
    );
    let err = out[1].as_ref().unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Service);
    assert_eq!(err.code(), Some("modelStreamErrorException"));
    assert_eq!(
        err.to_string(),
        "An error occurred (modelStreamErrorException) when calling the ConverseStream \
         operation: model failed"
    );
    let se = err.service_error().unwrap();
    assert_eq!(se.shape.as_deref(), Some("ModelStreamErrorException"));
    assert_eq!(se.fields.get("originalStatusCode").as_i64(), Some(500));
    assert_eq!(
        se.fields.pointer("Error.Code").as_str(),
        Some("modelStreamErrorException")
    );

    let body = msg(
        &[
            (":message-type", "error"),
            (":error-code", "InternalError"),
            (":error-message", "try again"),
        ],
        b"",
    );
    let out = all(Reader::new(ByteStream::from_bytes(body), p)).await;
    let err = out[0].as_ref().unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Some("InternalError"), "try again")
    );
}

#[tokio::test]
async fn corrupt_and_truncated_bodies_are_errors() {
    let p = parser("s3", "SelectObjectContent");
    let good = select_body();
    // A flipped payload byte: the message checksum fails.
    let mut bad = good.clone();
    bad[20] ^= 0x40;
    let out = all(Reader::new(ByteStream::from_bytes(bad), p.clone())).await;
    let err = out.last().unwrap().as_ref().unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Response);
    assert!(err.to_string().contains("checksum"), "{err}");
    // Every cut inside a message is an error after the complete events.
    let first = decode_message(&good).unwrap().1;
    for cut in [1, 11, 12, first - 1, first + 5] {
        let out = all(Reader::new(
            ByteStream::from_bytes(good[..cut].to_vec()),
            p.clone(),
        ))
        .await;
        let err = out.last().unwrap().as_ref().unwrap_err();
        assert!(
            err.to_string().contains("truncated event stream"),
            "{cut}: {err}"
        );
        assert_eq!(out.len(), usize::from(cut > first) + 1, "{cut}");
    }
    // A huge length in a valid prelude is refused at once.
    let mut huge = (u32::MAX).to_be_bytes().to_vec();
    huge.extend(0u32.to_be_bytes());
    huge.extend(crc32(&huge).to_be_bytes());
    let mut buf = BytesMut::from(&huge[..]);
    assert!(split_frame(&mut buf).unwrap_err().contains("out of range"));
}

#[tokio::test]
async fn rpc_initial_response_comes_first() {
    let p = parser("kinesis", "SubscribeToShard");
    assert!(p.rpc);
    let body = [
        msg(
            &[
                (":message-type", "event"),
                (":event-type", "initial-response"),
            ],
            b"{}",
        ),
        msg(
            &[
                (":message-type", "event"),
                (":event-type", "SubscribeToShardEvent"),
            ],
            br#"{"Records":[],"ContinuationSequenceNumber":"7","MillisBehindLatest":0}"#,
        ),
    ]
    .concat();
    let mut r = Reader::new(ByteStream::from_bytes(body.clone()), p.clone());
    assert!(r.initial_response().await.unwrap().is_empty());
    let out = all(r).await;
    assert_eq!(
        out[0]
            .as_ref()
            .unwrap()
            .pointer("SubscribeToShardEvent.ContinuationSequenceNumber")
            .as_str(),
        Some("7")
    );
    // Without the initial-response: botocore's parser error.
    let first = decode_message(&body).unwrap().1;
    let mut r = Reader::new(ByteStream::from_bytes(body[first..].to_vec()), p);
    let err = r.initial_response().await.unwrap_err();
    assert!(err
        .to_string()
        .contains("First event was not of type initial-response"));
}
