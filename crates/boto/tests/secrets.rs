//! Secrets never appear in `Debug`/`Display` of sessions, clients,
//! credentials, errors, or the redacted wire log of a signed request.

use boto::{params, ClientOptions, Session};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET";
const TOKEN: &str = "FQoGZXIvYXdzEXAMPLEsessionTOKENzz";

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(SECRET),
        "{what} leaks the secret key: {text}"
    );
    assert!(
        !text.contains(TOKEN),
        "{what} leaks the session token: {text}"
    );
}

#[tokio::test]
async fn nothing_prints_secrets() {
    let session = Session::builder()
        .region("us-east-1")
        .credentials("AKIDEXAMPLE", SECRET, Some(TOKEN))
        .build()
        .unwrap();
    assert_clean("Session Debug", &format!("{session:?}"));
    let creds = session.credentials().await.unwrap();
    assert_eq!(
        creds.secret_access_key(),
        SECRET,
        "the credentials are really there"
    );
    assert_clean("Credentials Debug", &format!("{creds:?}"));

    // A closed port: the call fails with a dispatch error after retries.
    let options = ClientOptions {
        endpoint_url: Some("http://127.0.0.1:9".into()),
        max_attempts: Some(1),
        ..Default::default()
    };
    let client = session.client_with("sqs", &options).unwrap();
    assert_clean("Client Debug", &format!("{client:?}"));
    let err = client.call("ListQueues", params! {}).await.unwrap_err();
    assert_clean("Error Display", &err.to_string());
    assert_clean("Error Debug", &format!("{err:?}"));

    // A signed request carries the token on the wire; the log form redacts it.
    let req = client.prepare("ListQueues", params! {}).await.unwrap();
    assert!(
        req.headers.iter().any(|(_, v)| v == TOKEN),
        "the token is sent"
    );
    assert_clean(
        "redacted headers",
        &format!("{:?}", boto::core::runtime::redact_headers(&req.headers)),
    );

    // A validation error echoes parameters, never credentials.
    let err = client
        .call("SendMessage", params! {"QueueUrl": 5})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto::ErrorKind::Validation);
    assert_clean("validation error", &format!("{err} {err:?}"));
}
