//! Switching profiles on the default session, like `boto3.setup_default_session(profile_name=...)`.
//!
//! Writes a throwaway config file, points `AWS_CONFIG_FILE` at it, and switches between two profiles.

use boto::{default_session, setup_default_session};

fn main() -> Result<(), boto::Error> {
    let dir = std::env::temp_dir().join(format!("boto-rs-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| boto::Error::construction(e.to_string()))?;
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[default]\nregion = us-east-1\n\n[profile eu]\nregion = eu-west-1\n",
    )
    .map_err(|e| boto::Error::construction(e.to_string()))?;
    std::env::set_var("AWS_CONFIG_FILE", &config);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
    // Region from the environment would win over the profiles' (as in boto3).
    std::env::remove_var("AWS_REGION");
    std::env::remove_var("AWS_DEFAULT_REGION");
    std::env::remove_var("AWS_PROFILE");

    let s = default_session()?;
    println!(
        "default session: profile {}, region {:?}, profiles {:?}",
        s.profile_name(),
        s.region(),
        s.available_profiles()
    );
    setup_default_session(Some("eu"), None)?;
    let s = default_session()?;
    println!(
        "after switch:    profile {}, region {:?}",
        s.profile_name(),
        s.region()
    );
    let sqs = s.client("sqs")?;
    println!(
        "an SQS client from it resolves region {:?}",
        sqs.config().region
    );
    match setup_default_session(Some("nope"), None) {
        Err(e) => println!("unknown profile: {}", e.report()),
        Ok(_) => println!("unexpected success"),
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
