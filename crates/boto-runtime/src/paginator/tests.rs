//! Paginator tests against a fake service that pages a fixed list.

use super::*;
use crate::http::BoxFuture;
use boto_model::{value, ServiceModel};
use serde_json::json;
use std::sync::Mutex;

pub(crate) fn tiny_model() -> Arc<ServiceModel> {
    let doc = json!({
        "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "endpointPrefix": "tiny", "serviceId": "Tiny"},
        "operations": {
            "ListThings": {"name": "ListThings", "http": {"method": "POST", "requestUri": "/"},
                           "input": {"shape": "ListIn"}, "output": {"shape": "ListOut"}},
            "DescribeThing": {"name": "DescribeThing", "http": {"method": "POST", "requestUri": "/"},
                              "input": {"shape": "ListIn"}, "output": {"shape": "ListOut"}}
        },
        "shapes": {
            "ListIn": {"type": "structure", "members": {
                "NextToken": {"shape": "S"}, "Limit": {"shape": "I"}, "MaxResults": {"shape": "S"}}},
            "ListOut": {"type": "structure", "members": {"Items": {"shape": "L"}, "NextToken": {"shape": "S"}}},
            "L": {"type": "list", "member": {"shape": "S"}},
            "S": {"type": "string"},
            "I": {"type": "integer"}
        }
    });
    ServiceModel::from_json("tiny", &doc).expect("tiny model")
}

type Handler = dyn Fn(&Value, usize) -> Result<Value, Error> + Send + Sync;

/// Records calls; answers with `handler(params, call_index)`.
pub(crate) struct Fake {
    model: Arc<ServiceModel>,
    handler: Box<Handler>,
    pub(crate) calls: Mutex<Vec<(String, Value)>>,
}

impl Fake {
    pub(crate) fn new(
        handler: impl Fn(&Value, usize) -> Result<Value, Error> + Send + Sync + 'static,
    ) -> Arc<Fake> {
        Arc::new(Fake {
            model: tiny_model(),
            handler: Box::new(handler),
            calls: Mutex::new(Vec::new()),
        })
    }
    /// Answers with `responses` in order (then repeats the last one).
    pub(crate) fn script(responses: Vec<Result<Value, String>>) -> Arc<Fake> {
        Fake::new(move |_, i| {
            let r = responses
                .get(i)
                .or(responses.last())
                .cloned()
                .unwrap_or(Ok(Value::Null));
            r.map_err(Error::response)
        })
    }
    pub(crate) fn params(&self) -> Vec<Value> {
        self.calls
            .lock()
            .map(|c| c.iter().map(|(_, p)| p.clone()).collect())
            .unwrap_or_default()
    }
}

impl Invoke for Fake {
    fn model(&self) -> &Arc<ServiceModel> {
        &self.model
    }
    fn invoke<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        let n = self.calls.lock().map(|mut c| {
            c.push((operation.to_string(), params.clone()));
            c.len() - 1
        });
        let r = (self.handler)(&params, n.unwrap_or(0));
        Box::pin(async move { r })
    }
}

/// A service listing `n` items (`i0`, `i1`, ...), `Limit` (default 3) per
/// page, with the offset as the token; also returns a `Count` and, on every
/// page, `Prefixes` and `Owner`.
fn lister(n: usize) -> Arc<Fake> {
    Fake::new(move |p, _| {
        let off = p
            .get("NextToken")
            .as_str()
            .and_then(|t| t.parse::<usize>().ok())
            .unwrap_or(0);
        let lim = match p.get("Limit") {
            Value::Integer(i) => *i as usize,
            _ => p
                .get("MaxResults")
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(3),
        };
        let end = (off + lim).min(n);
        let items: Vec<Value> = (off..end).map(|i| Value::from(format!("i{i}"))).collect();
        let mut page = value!({"Items": null, "Count": (items.len() as i64), "Prefixes": [(format!("p{off}"))],
                               "Owner": {"Name": (format!("owner{off}"))}});
        if let Some(m) = page.as_map_mut() {
            m.insert("Items", Value::List(items));
            if end < n {
                m.insert("NextToken", Value::from(end.to_string()));
            }
        }
        Ok(page)
    })
}

fn spec(config: serde_json::Value) -> Arc<PaginatorSpec> {
    let mut s = PaginatorSpec::from_json(&config).expect("spec");
    s.check_against(&tiny_model(), "ListThings").expect("check");
    Arc::new(s)
}

fn basic() -> Arc<PaginatorSpec> {
    spec(
        json!({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "Limit", "result_key": "Items"}),
    )
}

fn pager(fake: &Arc<Fake>, spec: Arc<PaginatorSpec>) -> Paginator {
    Paginator::with_spec(fake.clone(), "ListThings", value!({"Filter": "x"}), spec)
        .expect("paginator")
}

async fn all_items(mut p: Paginator) -> Result<(Vec<Value>, Option<String>), Error> {
    let mut out = Vec::new();
    while let Some(page) = p.next_page().await {
        out.extend(
            page?
                .get("Items")
                .as_list()
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
    }
    Ok((out, p.resume_token().map(str::to_owned)))
}

#[tokio::test]
async fn chains_tokens_until_none() {
    let fake = lister(7);
    let (items, resume) = all_items(pager(&fake, basic())).await.expect("pages");
    assert_eq!(items.len(), 7);
    assert_eq!(resume, None);
    let tokens: Vec<Value> = fake
        .params()
        .iter()
        .map(|p| p.get("NextToken").clone())
        .collect();
    assert_eq!(tokens, vec![Value::Null, "3".into(), "6".into()]);
    assert!(fake
        .params()
        .iter()
        .all(|p| p.get("Filter") == &Value::from("x")));
    assert_eq!(
        fake.calls.lock().map(|c| c[0].0.clone()).ok().as_deref(),
        Some("ListThings")
    );
}

#[tokio::test]
async fn max_items_truncates_and_resumes_to_the_same_items() {
    let (full, _) = all_items(pager(&lister(11), basic())).await.expect("full");
    for max in 1..=12u64 {
        for page_size in [2u64, 3, 5] {
            let fake = lister(11);
            let mut got = Vec::new();
            let mut token: Option<String> = None;
            for _ in 0..20 {
                let mut p = pager(&fake, basic()).max_items(max).page_size(page_size);
                if let Some(t) = &token {
                    p = p.starting_token(t.clone());
                }
                let (items, resume) = all_items(p).await.expect("run");
                assert!(
                    items.len() as u64 <= max,
                    "max {max} size {page_size}: {items:?}"
                );
                got.extend(items);
                token = resume;
                if token.is_none() {
                    break;
                }
            }
            assert_eq!(got, full, "max {max} page size {page_size}");
        }
    }
}

#[tokio::test]
async fn truncation_token_is_botocores() {
    let fake = lister(7);
    let p = pager(&fake, basic()).max_items(4);
    let full = p.build_full_result().await.expect("full");
    assert_eq!(full.get("Items"), &value!(["i0", "i1", "i2", "i3"]));
    // base64 of {"NextToken": "3", "boto_truncate_amount": 1}
    assert_eq!(
        full.get("NextToken").as_str(),
        Some("eyJOZXh0VG9rZW4iOiAiMyIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9")
    );
    // On a page boundary the token has no truncate amount; a first-page cut has a null token.
    let full = pager(&lister(7), basic())
        .max_items(3)
        .build_full_result()
        .await
        .expect("full");
    assert_eq!(
        full.get("NextToken").as_str().and_then(token::decode),
        Some(
            value!({"NextToken": "3"})
                .as_map()
                .cloned()
                .unwrap_or_default()
        )
    );
    let full = pager(&lister(7), basic())
        .max_items(1)
        .build_full_result()
        .await
        .expect("full");
    let t = full
        .get("NextToken")
        .as_str()
        .and_then(token::decode)
        .map(Value::Map);
    assert_eq!(
        t,
        Some(value!({"NextToken": null, "boto_truncate_amount": 1}))
    );
}

#[tokio::test]
async fn page_size_goes_to_limit_key_with_its_type() {
    let fake = lister(5);
    all_items(pager(&fake, basic()).page_size(2))
        .await
        .expect("run");
    assert!(fake
        .params()
        .iter()
        .all(|p| p.get("Limit") == &Value::Integer(2)));
    assert_eq!(fake.params().len(), 3);

    let s = spec(
        json!({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "Items"}),
    );
    assert!(s.limit_is_string);
    let fake = lister(5);
    all_items(pager(&fake, s).page_size(4)).await.expect("run");
    assert_eq!(fake.params()[0].get("MaxResults"), &Value::from("4"));

    let s = spec(
        json!({"input_token": "NextToken", "output_token": "NextToken", "result_key": "Items"}),
    );
    let err = all_items(pager(&lister(5), s).page_size(4))
        .await
        .expect_err("no limit key");
    assert!(
        err.message()
            .contains("PageSize parameter is not supported"),
        "{err}"
    );
}

#[tokio::test]
async fn full_result_aggregates_result_keys_and_keeps_first_non_aggregate_keys() {
    let s = spec(
        json!({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "Limit",
                        "result_key": ["Items", "Prefixes", "Count"], "non_aggregate_keys": ["Owner.Name"]}),
    );
    let full = pager(&lister(7), s)
        .build_full_result()
        .await
        .expect("full");
    assert_eq!(full.get("Items").as_list().map(<[Value]>::len), Some(7));
    assert_eq!(full.get("Prefixes"), &value!(["p0", "p3", "p6"]));
    assert_eq!(full.get("Count"), &Value::Integer(7));
    assert_eq!(full.get("Owner"), &value!({"Name": "owner0"}));
    assert_eq!(full.get("NextToken"), &Value::Null);
}

#[tokio::test]
async fn resuming_empties_secondary_keys_of_the_first_page() {
    let s = spec(
        json!({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "Limit",
                        "result_key": ["Items", "Prefixes", "Count"]}),
    );
    let first = pager(&lister(7), s.clone())
        .max_items(2)
        .build_full_result()
        .await
        .expect("first");
    let token = first
        .get("NextToken")
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let rest = pager(&lister(7), s)
        .starting_token(token)
        .build_full_result()
        .await
        .expect("rest");
    assert_eq!(rest.get("Items"), &value!(["i2", "i3", "i4", "i5", "i6"]));
    // The first page's prefixes were already returned; counts are kept (botocore does the same).
    assert_eq!(rest.get("Prefixes"), &value!(["p3", "p6"]));
    assert_eq!(rest.get("Count"), &Value::Integer(7));
}

#[tokio::test]
async fn same_token_twice_is_an_error_after_the_page() {
    let fake = Fake::script(vec![
        Ok(value!({"Items": [1], "NextToken": "a"})),
        Ok(value!({"Items": [2], "NextToken": "a"})),
    ]);
    let mut p = pager(&fake, basic());
    assert!(p.next_page().await.is_some_and(|r| r.is_ok()));
    assert!(p.next_page().await.is_some_and(|r| r.is_ok()));
    let err = p.next_page().await.and_then(Result::err).expect("error");
    assert!(
        err.message()
            .contains("The same next token was received twice"),
        "{err}"
    );
    assert!(p.next_page().await.is_none());
    assert_eq!(fake.params().len(), 2);
}

#[tokio::test]
async fn more_results_false_stops_despite_a_token() {
    let s = spec(
        json!({"input_token": "NextToken", "output_token": "NextToken", "more_results": "IsTruncated",
                        "result_key": "Items"}),
    );
    let fake = Fake::script(vec![
        Ok(value!({"Items": [1], "NextToken": "a", "IsTruncated": true})),
        Ok(value!({"Items": [2], "NextToken": "b", "IsTruncated": false})),
    ]);
    let full = pager(&fake, s).build_full_result().await.expect("full");
    assert_eq!(full.get("Items"), &value!([1, 2]));
    assert_eq!(fake.params().len(), 2);
}

#[tokio::test]
async fn multiple_tokens_and_expression_output_tokens() {
    let s = spec(
        json!({"input_token": ["Marker", "KeyMarker"], "output_token": ["NextMarker || Items[-1]", "NextKey"],
                        "result_key": "Items"}),
    );
    let fake = Fake::script(vec![
        Ok(value!({"Items": ["a", "b"], "NextKey": "k1"})),
        Ok(value!({"Items": ["c"], "NextMarker": "m2"})),
        Ok(value!({"Items": []})),
    ]);
    let mut p = pager(&fake, s);
    while let Some(r) = p.next_page().await {
        r.expect("page");
    }
    let params = fake.params();
    assert_eq!(params[1].get("Marker"), &Value::from("b"));
    assert_eq!(params[1].get("KeyMarker"), &Value::from("k1"));
    assert_eq!(params[2].get("Marker"), &Value::from("m2"));
    assert_eq!(
        params[2].get("KeyMarker"),
        &Value::Null,
        "a null token is removed from the request"
    );
}

#[tokio::test]
async fn legacy_and_bad_starting_tokens() {
    let fake = lister(7);
    let (items, _) = all_items(pager(&fake, basic()).starting_token("3___1"))
        .await
        .expect("legacy");
    assert_eq!(items.first(), Some(&Value::from("i4")));
    assert_eq!(fake.params()[0].get("NextToken"), &Value::from("3"));
    let fake = lister(7);
    let (items, _) = all_items(pager(&fake, basic()).starting_token("6"))
        .await
        .expect("opaque");
    assert_eq!(items, vec![Value::from("i6")]);
    let err = all_items(pager(&lister(7), basic()).starting_token("a___b___c"))
        .await
        .expect_err("bad");
    assert!(err.message().contains("Bad starting token"), "{err}");
}

#[tokio::test]
async fn search_flattens_lists_across_pages() {
    let mut s = pager(&lister(5), basic())
        .search("Items[?@ != 'i1']")
        .expect("search");
    let mut got = Vec::new();
    while let Some(v) = s.next().await {
        got.push(v.expect("item"));
    }
    assert_eq!(
        got,
        vec![Value::from("i0"), "i2".into(), "i3".into(), "i4".into()]
    );
    let mut s = pager(&lister(5), basic())
        .search("Owner.Name")
        .expect("search");
    assert_eq!(
        s.next().await.and_then(Result::ok),
        Some(Value::from("owner0"))
    );
    assert!(pager(&lister(1), basic()).search("Items[").is_err());
}

async fn next_of<S: futures_core::Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
}

#[tokio::test]
async fn streams_pages_and_items() {
    let mut pages = pager(&lister(7), basic()).into_stream();
    let mut n = 0;
    while let Some(p) = next_of(&mut pages).await {
        p.expect("page");
        n += 1;
    }
    assert_eq!(n, 3);
    assert!(next_of(&mut pages).await.is_none());
    let mut items = pager(&lister(4), basic())
        .search("Items")
        .expect("search")
        .into_stream();
    let mut got = Vec::new();
    while let Some(v) = next_of(&mut items).await {
        got.push(v.expect("item"));
    }
    assert_eq!(got.len(), 4);
}

#[tokio::test]
async fn service_errors_end_the_iteration() {
    let fake = Fake::script(vec![
        Ok(value!({"Items": [1], "NextToken": "a"})),
        Err("boom".into()),
    ]);
    let mut p = pager(&fake, basic());
    assert!(p.next_page().await.is_some_and(|r| r.is_ok()));
    assert!(p.next_page().await.is_some_and(|r| r.is_err()));
    assert!(p.next_page().await.is_none());
}

#[test]
fn real_models_load_and_suggest() {
    let Ok(s3) = boto_model::Loader::global().service_model("s3") else {
        return;
    };
    assert!(paginator_names(&s3).iter().any(|n| n == "ListObjectsV2"));
    let spec = PaginatorSpec::load(&s3, "list_objects_v2").expect("s3 paginator");
    assert_eq!(spec.input_token, vec!["ContinuationToken".to_string()]);
    assert_eq!(
        spec.result_keys().collect::<Vec<_>>(),
        vec!["Contents", "CommonPrefixes"]
    );
    let err = PaginatorSpec::load(&s3, "list_object_v2").expect_err("typo");
    assert!(
        err.message().contains("did you mean \"list_objects_v2\""),
        "{err}"
    );
    assert!(PaginatorSpec::load(&s3, "GetObject").is_err());
    assert!(paginator_names(&tiny_model()).is_empty());
}
