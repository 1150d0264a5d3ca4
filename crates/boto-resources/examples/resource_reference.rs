//! Writes the Markdown reference of every resource class of the nine
//! services (`docs/resources/<service>.md` in this crate, or the directory
//! given as the first argument), generated from the models.
//!
//! `cargo run -p boto-resources --example resource_reference`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/docs/resources").into());
    std::fs::create_dir_all(&dir)?;
    let mut index = String::from(
        "# boto-rs resource reference\n\nGenerated from boto3's `resources-1.json` models.\n\n",
    );
    for service in boto_resources::model::resource_services() {
        let md = boto_resources::introspect::markdown_reference(&service)?;
        std::fs::write(dir.join(format!("{service}.md")), md)?;
        index.push_str(&format!("- [{service}]({service}.md)\n"));
        println!("wrote {}", dir.join(format!("{service}.md")).display());
    }
    std::fs::write(dir.join("README.md"), index)?;
    Ok(())
}
