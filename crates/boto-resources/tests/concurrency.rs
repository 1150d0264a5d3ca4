//! One resource and one collection shared by 16 async tasks and 8 threads
//! (blocking twin) doing loads, reloads, attribute reads, actions and
//! iteration at once — against moto, and against a fake invoker (which
//! also counts that concurrent first loads make a single call).

mod support;

use boto::{params, Value};
use boto_resources::ResourceExt as _;
use std::sync::Arc;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn first_loads_are_single_flight() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    fake.respond("HeadObject", boto::value!({"ContentLength": 3}));
    let obj = s3.resource("Object", ["b", "k"])?;
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let o = obj.clone();
            tokio::spawn(async move { o.attr("content_length").await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await??, Value::Integer(3));
    }
    assert_eq!(fake.ops(), vec!["HeadObject"]);
    Ok(())
}

#[test]
fn shared_by_16_tasks_and_8_threads_against_moto() -> TestResult {
    let Some(ep) = endpoint() else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return Ok(());
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()?;
    let s3 = session().resource_with("s3", &options(&ep))?;
    let name = unique("res-conc");
    let (obj, objects) = rt.block_on(async {
        s3.action("create_bucket", params! {"Bucket": (name.as_str())})
            .await?;
        let bucket = s3.resource("Bucket", [name.as_str()])?;
        for i in 0..30 {
            bucket
                .subresource("Object", [format!("k/{i:02}")])?
                .action("put", params! {"Body": (Value::blob(vec![1u8; 4]))})
                .await?;
        }
        let obj = bucket.subresource("Object", ["k/05"])?;
        let objects = bucket
            .collection("objects")?
            .filter(params! {"Prefix": "k/"})
            .page_size(7);
        Ok::<_, boto::Error>((obj, objects))
    })?;

    let errors = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = (0..16)
        .map(|t| {
            let (obj, objects, errors) = (obj.clone(), objects.clone(), errors.clone());
            rt.spawn(async move {
                for round in 0..3 {
                    let r: Result<(), boto::Error> = async {
                        match (t + round) % 4 {
                            0 => {
                                obj.reload().await?;
                                assert_eq!(obj.attr("content_length").await?, Value::Integer(4));
                            }
                            1 => assert_eq!(objects.to_vec().await?.len(), 30),
                            2 => {
                                obj.action("put", params! {"Body": (Value::blob(vec![2u8; 4]))})
                                    .await?;
                            }
                            _ => {
                                obj.wait_until("exists", Value::Null).await?;
                                assert_eq!(objects.limit(9).to_vec().await?.len(), 9);
                            }
                        }
                        Ok(())
                    }
                    .await;
                    if let Err(e) = r {
                        eprintln!("task {t}: {e}");
                        errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let obj = boto_resources::blocking::Resource::new(obj.clone());
            let objects = boto_resources::blocking::Resource::new(objects.parent().clone());
            let errors = errors.clone();
            std::thread::spawn(move || {
                for round in 0..3 {
                    let r: Result<(), boto::Error> = (|| {
                        if (t + round) % 2 == 0 {
                            obj.load()?;
                            assert_eq!(obj.attr("content_length")?, Value::Integer(4));
                        } else {
                            let n = objects
                                .collection("objects")?
                                .filter(params! {"Prefix": "k/"})
                                .page_size(11)
                                .items()
                                .count();
                            assert_eq!(n, 30);
                        }
                        Ok(())
                    })();
                    if let Err(e) = r {
                        eprintln!("thread {t}: {e}");
                        errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    rt.block_on(async {
        for t in tasks {
            t.await.expect("task");
        }
    });
    assert_eq!(errors.load(std::sync::atomic::Ordering::Relaxed), 0);
    rt.block_on(async {
        objects.all().batch_action("delete", Value::Null).await?;
        s3.resource("Bucket", [name.as_str()])?
            .action("delete", Value::Null)
            .await?;
        Ok::<_, boto::Error>(())
    })?;
    Ok(())
}
