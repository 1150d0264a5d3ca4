//! The committed Markdown reference (`docs/resources/`) matches what the
//! models generate; `BOTO_BLESS=1` rewrites it.

#[test]
fn committed_reference_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/resources");
    let bless = std::env::var("BOTO_BLESS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for service in boto_resources::model::resource_services() {
        let md = boto_resources::introspect::markdown_reference(&service).expect("reference");
        let path = dir.join(format!("{service}.md"));
        if bless {
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(&path, &md).expect("write");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(md.as_str()) {
            stale.push(service);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/resources is stale for {stale:?}: run `cargo run -p boto-resources --example resource_reference`"
    );
}
