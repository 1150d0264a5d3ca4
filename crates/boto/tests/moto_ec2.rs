//! EC2 (ec2 protocol) end to end against moto: DescribeImages, RunInstances
//! with tag specifications, the `instance_running` waiter, the
//! DescribeInstances paginator (several pages with a page size, `search`),
//! CreateTags/DescribeTags with filters, TerminateInstances with the
//! `instance_terminated` waiter, and the error codes for unknown and
//! malformed instance ids and a dry run.

#[macro_use]
mod support;

use boto::core::runtime::waiter::WaiterConfig;
use boto::{params, ErrorKind, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{client, list_len, unique, TestResult};

fn fast() -> WaiterConfig {
    WaiterConfig {
        delay: Some(Duration::from_millis(200)),
        max_attempts: Some(40),
    }
}

#[tokio::test]
async fn instances_lifecycle_waiters_paginator_and_tags() -> TestResult {
    let ep = moto_or_skip!();
    let ec2 = client(&ep, "ec2");

    let images = ec2
        .call("DescribeImages", params! {"Owners": ["amazon"]})
        .await?;
    assert!(
        list_len(images.get("Images")) > 0,
        "moto ships Amazon images"
    );
    let image = images
        .pointer("Images[0].ImageId")
        .as_str()
        .expect("an image id")
        .to_string();
    assert!(image.starts_with("ami-"), "{image}");

    let run_tag = unique("it-ec2");
    let run = ec2
        .call(
            "RunInstances",
            params! {"ImageId": (&image), "MinCount": 2, "MaxCount": 2, "InstanceType": "t3.micro",
                     "TagSpecifications": [{"ResourceType": "instance",
                                            "Tags": [{"Key": "run", "Value": (&run_tag)}, {"Key": "team", "Value": "boto-rs"}]}]},
        )
        .await?;
    let ids: Vec<String> = run
        .get("Instances")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.get("InstanceId").as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|i| i.starts_with("i-")));
    assert_eq!(
        run.pointer("Instances[0].ImageId").as_str(),
        Some(image.as_str())
    );
    assert!(
        run.pointer("Instances[0].LaunchTime")
            .as_timestamp()
            .is_some(),
        "timestamps are parsed"
    );
    let id_values: Vec<Value> = ids.iter().map(Value::from).collect();

    let out = ec2
        .waiter("instance_running")?
        .wait(params! {"InstanceIds": (id_values)}, fast())
        .await?;
    let states: BTreeSet<&str> = out
        .get("Reservations")
        .as_list()
        .unwrap_or_default()
        .iter()
        .flat_map(|r| r.get("Instances").as_list().unwrap_or_default())
        .filter_map(|i| i.pointer("State.Name").as_str())
        .collect();
    assert_eq!(states, BTreeSet::from(["running"]));

    // Five more reservations of one instance each: DescribeInstances pages
    // by reservation, so a page size of 5 over 6 reservations gives 2 pages.
    let mut extras = Vec::new();
    for _ in 0..5 {
        let run = ec2
            .call(
                "RunInstances",
                params! {"ImageId": (&image), "MinCount": 1, "MaxCount": 1,
                         "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "run", "Value": (&run_tag)}]}]},
            )
            .await?;
        extras.push(
            run.pointer("Instances[0].InstanceId")
                .as_str()
                .expect("an id")
                .to_string(),
        );
    }
    let filter = params! {"Filters": [{"Name": "tag:run", "Values": [(&run_tag)]}]};
    let mut pages = ec2
        .paginate("DescribeInstances", filter.clone())?
        .page_size(5);
    let (mut n_pages, mut found) = (0, BTreeSet::new());
    while let Some(page) = pages.next_page().await {
        n_pages += 1;
        for r in page?.get("Reservations").as_list().unwrap_or_default() {
            for i in r.get("Instances").as_list().unwrap_or_default() {
                assert!(
                    found.insert(i.get("InstanceId").as_str().unwrap_or_default().to_string()),
                    "listed once"
                );
            }
        }
    }
    assert_eq!(n_pages, 2, "page size 5 over six reservations");
    let want: BTreeSet<String> = ids.iter().chain(&extras).cloned().collect();
    assert_eq!(want.len(), 7);
    assert_eq!(found, want);

    let mut search = ec2
        .paginate("DescribeInstances", filter.clone())?
        .search("Reservations[].Instances[].InstanceId")?;
    let mut searched = BTreeSet::new();
    while let Some(id) = search.next().await {
        searched.insert(id?.as_str().unwrap_or_default().to_string());
    }
    assert_eq!(searched, want);

    // Tags: the ones given at launch, one added later, filtered DescribeTags.
    ec2.call(
        "CreateTags",
        params! {"Resources": [(&ids[0])], "Tags": [{"Key": "role", "Value": "leader"}]},
    )
    .await?;
    let tags = ec2
        .call(
            "DescribeTags",
            params! {"Filters": [{"Name": "resource-id", "Values": [(&ids[0])]}]},
        )
        .await?;
    let pairs: BTreeSet<(String, String)> = tags
        .get("Tags")
        .as_list()
        .unwrap_or_default()
        .iter()
        .map(|t| {
            let s = |k: &str| t.get(k).as_str().unwrap_or_default().to_string();
            (s("Key"), s("Value"))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("role", "leader"),
        ("run", run_tag.as_str()),
        ("team", "boto-rs"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(pairs, expected);
    let leaders = ec2
        .call(
            "DescribeInstances",
            params! {"Filters": [{"Name": "tag:role", "Values": ["leader"]},
            {"Name": "tag:run", "Values": [(&run_tag)]}]},
        )
        .await?;
    assert_eq!(
        leaders
            .pointer("Reservations[0].Instances[0].InstanceId")
            .as_str(),
        Some(ids[0].as_str())
    );
    assert_eq!(list_len(leaders.get("Reservations")), 1);

    // Terminate everything and wait for it.
    let all: Vec<Value> = ids.iter().chain(&extras).map(Value::from).collect();
    let term = ec2
        .call("TerminateInstances", params! {"InstanceIds": (all.clone())})
        .await?;
    assert_eq!(list_len(term.get("TerminatingInstances")), 7);
    assert_eq!(
        term.pointer("TerminatingInstances[0].PreviousState.Name")
            .as_str(),
        Some("running")
    );
    let out = ec2
        .waiter("instance_terminated")?
        .wait(params! {"InstanceIds": (all)}, fast())
        .await?;
    assert_eq!(
        out.pointer("Reservations[0].Instances[0].State.Name")
            .as_str(),
        Some("terminated")
    );
    Ok(())
}

#[tokio::test]
async fn error_codes_for_bad_instance_ids() -> TestResult {
    let ep = moto_or_skip!();
    let ec2 = client(&ep, "ec2");

    let err = ec2
        .call(
            "DescribeInstances",
            params! {"InstanceIds": ["i-0123456789abcdef0"]},
        )
        .await
        .expect_err("unknown instance");
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(err.is_code("InvalidInstanceID.NotFound"), "{err:?}");
    assert_eq!(err.status(), Some(400));
    assert!(
        err.message().contains("i-0123456789abcdef0"),
        "{}",
        err.message()
    );
    assert!(
        err.request_id().is_some_and(|id| !id.is_empty()),
        "EC2 puts RequestID in the error body: {err:?}"
    );

    let err = ec2
        .call(
            "TerminateInstances",
            params! {"InstanceIds": ["i-0123456789abcdef0"]},
        )
        .await
        .expect_err("unknown instance");
    assert!(err.is_code("InvalidInstanceID.NotFound"), "{err:?}");

    // DryRun: success is reported as the DryRunOperation error, as on AWS.
    let err = ec2
        .call("DescribeRegions", params! {"DryRun": true})
        .await
        .expect_err("dry run");
    assert!(err.is_code("DryRunOperation"), "{err:?}");
    assert_eq!(err.status(), Some(412));

    // The waiter on a missing instance: InvalidInstanceID.NotFound is a retry
    // state for instance_exists, so attempts run out.
    let config = WaiterConfig {
        delay: Some(Duration::from_millis(50)),
        max_attempts: Some(2),
    };
    let err = ec2
        .waiter("instance_exists")?
        .wait(params! {"InstanceIds": ["i-0123456789abcdef0"]}, config)
        .await
        .expect_err("never exists");
    assert_eq!(err.kind(), ErrorKind::Waiter, "{err:?}");
    Ok(())
}
