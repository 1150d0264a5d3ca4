//! `boto s3 ls`: buckets, or objects and `PRE` prefixes, with aws-cli's columns.
//!
//! Replaces aws-cli's `ListCommand` (`customizations/s3/subcommands.py`):
//! timestamps in the local time zone as `YYYY-MM-DD HH:MM:SS`, sizes
//! right-aligned in 10 columns (or `--human-readable`), `PRE name/` lines
//! right-aligned in 30, page by page, `--summarize` totals, and exit 1 when
//! a key prefix matched nothing.

use super::args::S3Args;
use super::config::human_readable_size;
use super::path::find_bucket_key;
use crate::driver::print;
use crate::error::CliError;
use crate::exec::map_error;
use boto::{params, Value};

/// `YYYY-MM-DD HH:MM:SS` in the local time zone (aws-cli's `_make_last_mod_str`).
pub fn local_time(t: &boto::Timestamp) -> String {
    let secs = t.epoch_secs() as libc::time_t;
    // SAFETY: localtime_r writes only into `tm`, which we own.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    if !ok {
        let s = t.to_iso8601();
        return s.get(..19).unwrap_or(&s).replace('T', " ");
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        tm.tm_year as i64 + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

struct Lister {
    human: bool,
    total_objects: u64,
    total_size: u64,
    out: String,
}

impl Lister {
    fn size(&self, n: u64) -> String {
        let s = if self.human {
            human_readable_size(n)
        } else {
            n.to_string()
        };
        format!("{s:>10}")
    }

    /// One page; returns false when it was empty.
    fn page(&mut self, page: &Value, basename: bool) -> bool {
        let prefixes = page.get("CommonPrefixes").as_list().unwrap_or_default();
        let contents = page.get("Contents").as_list().unwrap_or_default();
        if prefixes.is_empty() && contents.is_empty() {
            return false;
        }
        for p in prefixes {
            let full = p.get("Prefix").as_str().unwrap_or_default();
            let parts: Vec<&str> = full.split('/').collect();
            let name = if parts.len() >= 2 {
                parts[parts.len() - 2]
            } else {
                ""
            };
            self.out.push_str(&format!("{:>30} {name}/\n", "PRE"));
        }
        for c in contents {
            let size = c.get("Size").as_i64().unwrap_or(0).max(0) as u64;
            self.total_objects += 1;
            self.total_size += size;
            let key = c.get("Key").as_str().unwrap_or_default();
            let name = if basename {
                key.rsplit('/').next().unwrap_or(key)
            } else {
                key
            };
            let when = c
                .get("LastModified")
                .as_timestamp()
                .map(|t| local_time(&t))
                .unwrap_or_default();
            let line = format!("{when:<19} {} {name}\n", self.size(size));
            self.out.push_str(&line);
        }
        true
    }

    fn flush(&mut self) {
        print(&std::mem::take(&mut self.out));
    }
}

pub async fn run(client: &boto::Client, a: &S3Args) -> Result<i32, CliError> {
    let raw = a.paths.first().map(String::as_str).unwrap_or("s3://");
    let path = raw.strip_prefix("s3://").unwrap_or(raw);
    let (bucket, key) = find_bucket_key(path);
    let mut l = Lister {
        human: a.human_readable,
        total_objects: 0,
        total_size: 0,
        out: String::new(),
    };
    let mut first_page_empty = false;
    if bucket.is_empty() {
        let mut pages = client
            .paginate("ListBuckets", params! {})
            .map_err(|e| map_error(&e))?;
        if let Some(n) = a.page_size {
            pages = pages.page_size(n);
        }
        while let Some(page) = pages.next_page().await {
            let page = page.map_err(|e| map_error(&e))?;
            for b in page.get("Buckets").as_list().unwrap_or_default() {
                let when = b
                    .get("CreationDate")
                    .as_timestamp()
                    .map(|t| local_time(&t))
                    .unwrap_or_default();
                let name = b.get("Name").as_str().unwrap_or_default();
                l.out.push_str(&format!("{when:<19} {name}\n"));
            }
            l.flush();
        }
    } else {
        let mut p = params! {"Bucket": (bucket.as_str()), "Prefix": (key.as_str())};
        if let Some(m) = p.as_map_mut() {
            if !a.recursive {
                m.insert("Delimiter", Value::String("/".into()));
            }
            if let Some(rp) = &a.request_payer {
                m.insert("RequestPayer", Value::String(rp.as_str().into()));
            }
        }
        let mut pages = client
            .paginate("ListObjectsV2", p)
            .map_err(|e| map_error(&e))?;
        if let Some(n) = a.page_size {
            pages = pages.page_size(n);
        }
        let mut first = true;
        while let Some(page) = pages.next_page().await {
            let page = page.map_err(|e| map_error(&e))?;
            let had = l.page(&page, !a.recursive);
            if first && !had {
                first_page_empty = true;
            }
            first = false;
            l.flush();
        }
    }
    if a.summarize {
        let size = if a.human_readable {
            human_readable_size(l.total_size)
        } else {
            l.total_size.to_string()
        };
        print(&format!(
            "\nTotal Objects: {}\n{:>15}{size}\n",
            l.total_objects, "Total Size: "
        ));
    }
    Ok(if !key.is_empty() && first_page_empty {
        1
    } else {
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_aws_cli() {
        let mut l = Lister {
            human: false,
            total_objects: 0,
            total_size: 0,
            out: String::new(),
        };
        let page = Value::from_json(&serde_json::json!({
            "CommonPrefixes": [{"Prefix": "a/b/"}],
            "Contents": [{"Key": "a/x y.txt", "Size": 1234}]
        }));
        assert!(l.page(&page, true));
        assert_eq!(
            l.out,
            format!("{}PRE b/\n{:19}       1234 x y.txt\n", " ".repeat(27), "")
        );
        assert_eq!(l.total_size, 1234);
        l.human = true;
        assert_eq!(l.size(1536), "   1.5 KiB");
        assert!(!l.page(&Value::from_json(&serde_json::json!({})), true));
    }

    #[test]
    fn local_time_has_the_right_shape() {
        let s = local_time(&boto::Timestamp::from_epoch_secs(86400 * 365));
        assert_eq!(s.len(), 19);
        assert_eq!(&s[4..5], "-");
    }
}
