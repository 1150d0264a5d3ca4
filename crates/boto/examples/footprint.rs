//! Process-level footprint probe for `bench/regress.sh` (issue 14's last two
//! figures, which criterion cannot time): the binary itself is the size probe
//! and `rss` mode is the memory probe.
//!
//! ```text
//! footprint URL       GetItem + HeadObject against URL (the program whose
//!                     stripped size is the "binary size" figure)
//! footprint rss URL   20 clients (a Session, a DynamoDB and an S3 client each)
//!                     that made one GetItem each; prints rss_kib=N (VmRSS), and
//!                     with FOOTPRINT_SMAPS set the RSS of each mapping
//! ```
//!
//! The same work as `bench/peers`'s `size_boto` binary and its `rss` mode,
//! without compiling the AWS SDK crates. Build it with only the two models it
//! uses, as `bench/peers` does:
//! `cargo build --release -p boto --example footprint --no-default-features --features s3,dynamodb`.
//! URL is any server answering GetItem and HeadObject (regress.sh starts one).

use boto::core::auth::config::AddressingStyle;
use boto::{params, Client, ClientOptions, Session};

fn clients(url: &str) -> (Client, Client) {
    let session = Session::builder()
        .region("us-east-1")
        .credentials("AKIDBENCH", "benchsecret", None)
        .build()
        .expect("session");
    let opts = |path: bool| ClientOptions {
        endpoint_url: Some(url.to_string()),
        addressing_style: path.then_some(AddressingStyle::Path),
        ..Default::default()
    };
    let ddb = session
        .client_with("dynamodb", &opts(false))
        .expect("dynamodb");
    let s3 = session.client_with("s3", &opts(true)).expect("s3");
    (ddb, s3)
}

async fn get_item(ddb: &Client) {
    let key =
        params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}};
    let out = ddb.call("GetItem", key).await.expect("GetItem");
    assert!(
        out.pointer("Item.pk.S").as_str().is_some(),
        "GetItem answer without an item"
    );
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// With `FOOTPRINT_SMAPS` set, `rss` mode also prints where the resident
/// memory is: the RSS of each mapping, largest first (heap, the binary's
/// text and data, thread stacks), to find what a figure is made of.
fn print_smaps() {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap_or_default();
    let mut rows: Vec<(u64, String)> = Vec::new();
    let mut name = String::new();
    for line in smaps.lines() {
        if let Some(kib) = line.strip_prefix("Rss:") {
            let kib = kib
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap_or(0);
            rows.push((kib, name.clone()));
        } else if line
            .split_whitespace()
            .next()
            .is_some_and(|f| f.contains('-'))
        {
            let f: Vec<&str> = line.split_whitespace().collect();
            name = format!("{} {}", f[1], f.get(5).copied().unwrap_or("[anon]"));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (kib, name) in rows.iter().take(15) {
        println!("{kib:>8} KiB  {name}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["rss", url] => rt.block_on(async {
            let mut keep = Vec::new();
            for _ in 0..20 {
                let (ddb, s3) = clients(url);
                get_item(&ddb).await;
                keep.push((ddb, s3));
            }
            println!("rss_kib={}", rss_kib());
            if std::env::var_os("FOOTPRINT_SMAPS").is_some() {
                print_smaps();
            }
        }),
        [url] => rt.block_on(async {
            let (ddb, s3) = clients(url);
            get_item(&ddb).await;
            let head = params! {"Bucket": "bench", "Key": "photos/a.jpg"};
            s3.call("HeadObject", head).await.expect("HeadObject");
        }),
        _ => {
            eprintln!("usage: footprint URL | footprint rss URL");
            std::process::exit(2);
        }
    }
}
