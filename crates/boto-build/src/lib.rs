//! Build-script support for the crates that link programs (the `boto` CLI,
//! the Python extension, `boto`'s examples, tests and benches, `bench/peers`).
//!
//! **Why.** A position-independent Rust program carries one relative
//! relocation per pointer in its read-only data: every panic location, every
//! vtable, every `&str` in a static table. The `boto` CLI has ~15,000 of them,
//! 360 KB of `.rela.dyn` that the loader reads at every start, and it dirties
//! the 200 KB of `.data.rel.ro` they point into. Linked with
//! `-z pack-relative-relocs` (DT_RELR, glibc 2.36, binutils 2.38, lld 15) the
//! same relocations take ~7 KB: the footprint probe's RSS after 20 clients
//! went from 8.0–8.3 to 7.3–7.6 MiB (issue 14).
//!
//! **When.** Only when a probe shows it is safe: the target is the host
//! (the probe's program is run), a GNU/Linux target, the linker was not
//! chosen by the user (`RUSTC_LINKER`, `-C linker`, `-C link-arg(s)` in
//! `RUSTFLAGS` leave the link alone), and a small C program linked with the
//! flag by the same driver (`cc`) links without a warning, names the
//! `GLIBC_ABI_DT_RELR` version (so a loader older than glibc 2.36 refuses
//! the program with a clear message instead of running it unrelocated) and
//! runs with its pointer relocated. `BOTO_NO_RELR=1` switches it off.
//! Anything else, and the programs are linked as before.
//!
//! In the `build.rs` of a package with binaries, examples, tests or a cdylib:
//!
//! ```no_run
//! boto_build::pack_relative_relocations();
//! ```

use std::path::Path;
use std::process::Command;

/// The linker flag this crate adds.
pub const FLAG: &str = "-Wl,-z,pack-relative-relocs";

/// What a build script sees of its environment, as far as the decision
/// goes (read from Cargo's variables by [`pack_relative_relocations`]).
#[derive(Debug, Default, Clone)]
pub struct Env {
    pub target: String,
    pub host: String,
    /// `RUSTC_LINKER`: set when the user configured a linker for the target.
    pub rustc_linker: Option<String>,
    /// `CARGO_ENCODED_RUSTFLAGS`, split on its 0x1f separators.
    pub rustflags: Vec<String>,
    /// `BOTO_NO_RELR`.
    pub opt_out: Option<String>,
}

impl Env {
    fn from_cargo() -> Env {
        let var = |k: &str| std::env::var(k).ok();
        Env {
            target: var("TARGET").unwrap_or_default(),
            host: var("HOST").unwrap_or_default(),
            rustc_linker: var("RUSTC_LINKER").filter(|s| !s.is_empty()),
            rustflags: var("CARGO_ENCODED_RUSTFLAGS")
                .map(|s| {
                    s.split('\x1f')
                        .filter(|f| !f.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            opt_out: var("BOTO_NO_RELR"),
        }
    }
}

/// Why the flag is not even probed for, or `None` when the probe should run.
pub fn skip_reason(env: &Env) -> Option<&'static str> {
    if env
        .opt_out
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "0")
    {
        return Some("BOTO_NO_RELR is set");
    }
    if env.target.is_empty() || env.target != env.host {
        return Some("cross-compiling: the probe's program could not be run");
    }
    if !(env.target.contains("-linux-gnu")) {
        return Some("not a GNU/Linux target");
    }
    if env.rustc_linker.is_some() {
        return Some("a linker is configured for the target");
    }
    let user_link = env
        .rustflags
        .iter()
        .any(|f| f.contains("linker") || f.contains("link-arg") || f.contains("fuse-ld"));
    if user_link {
        return Some("RUSTFLAGS choose the linker or its arguments");
    }
    None
}

/// The probe's program: a pointer in writable data that only a relocation
/// makes right, read through `volatile` so the compiler cannot fold it.
const PROBE_C: &str = "static int target;\n\
static int *volatile ptr = &target;\n\
int main(void) { return ptr == &target ? 0 : 1; }\n";

/// Links and runs the probe in `dir` with `driver`; `Ok(())` when the flag
/// is safe to use, else why not.
pub fn probe(driver: &str, dir: &Path) -> Result<(), String> {
    let src = dir.join("relr-probe.c");
    let exe = dir.join("relr-probe");
    std::fs::write(&src, PROBE_C).map_err(|e| format!("writing the probe: {e}"))?;
    let out = Command::new(driver)
        .args(["-fPIE", "-pie", "-O1"])
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .arg(FLAG)
        .output()
        .map_err(|e| format!("running {driver}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{driver} could not link with {FLAG}"));
    }
    let stderr = String::from_utf8_lossy(&out.stderr).to_ascii_lowercase();
    if stderr.contains("warning") || stderr.contains("ignored") {
        return Err(format!("{driver} warned about {FLAG}"));
    }
    let bytes = std::fs::read(&exe).map_err(|e| format!("reading the probe: {e}"))?;
    if !contains(&bytes, b"GLIBC_ABI_DT_RELR") {
        return Err("the C library has no GLIBC_ABI_DT_RELR version (glibc < 2.36)".into());
    }
    let ran = Command::new(&exe)
        .status()
        .map_err(|e| format!("running the probe: {e}"))?;
    if !ran.success() {
        return Err("the probe ran with its pointer unrelocated".into());
    }
    Ok(())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// For a build script: adds [`FLAG`] to this package's linked targets when
/// [`skip_reason`] and [`probe`] allow it. Returns whether it did.
pub fn pack_relative_relocations() -> bool {
    println!("cargo:rerun-if-env-changed=BOTO_NO_RELR");
    let env = Env::from_cargo();
    if skip_reason(&env).is_some() {
        return false;
    }
    let Some(dir) = std::env::var_os("OUT_DIR") else {
        return false;
    };
    if probe("cc", Path::new(&dir)).is_err() {
        return false;
    }
    println!("cargo:rustc-link-arg={FLAG}");
    // Lets a test check that the flag reached the link.
    println!("cargo:rustc-env=BOTO_PACKED_RELOCS=1");
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Env {
        Env {
            target: "x86_64-unknown-linux-gnu".into(),
            host: "x86_64-unknown-linux-gnu".into(),
            ..Env::default()
        }
    }

    #[test]
    fn probes_only_a_native_gnu_linux_build_with_the_default_linker() {
        assert_eq!(skip_reason(&host()), None);
        let cross = Env {
            target: "aarch64-unknown-linux-gnu".into(),
            ..host()
        };
        assert!(skip_reason(&cross).unwrap().contains("cross"));
        let musl = Env {
            target: "x86_64-unknown-linux-musl".into(),
            host: "x86_64-unknown-linux-musl".into(),
            ..Env::default()
        };
        assert_eq!(skip_reason(&musl), Some("not a GNU/Linux target"));
        let linker = Env {
            rustc_linker: Some("clang".into()),
            ..host()
        };
        assert!(skip_reason(&linker).is_some());
        for flags in [
            &["-C", "link-arg=-fuse-ld=mold"][..],
            &["-Clinker=clang"][..],
            &["-C", "link-args=-Wl,-z,nopack-relative-relocs"][..],
        ] {
            let env = Env {
                rustflags: flags.iter().map(|s| s.to_string()).collect(),
                ..host()
            };
            assert!(skip_reason(&env).is_some(), "{flags:?}");
        }
        let other_flags = Env {
            rustflags: vec!["-C".into(), "force-frame-pointers=yes".into()],
            ..host()
        };
        assert_eq!(skip_reason(&other_flags), None);
    }

    #[test]
    fn opt_out_wins_unless_empty_or_zero() {
        for (v, skipped) in [("1", true), ("yes", true), ("0", false), ("", false)] {
            let env = Env {
                opt_out: Some(v.into()),
                ..host()
            };
            assert_eq!(skip_reason(&env).is_some(), skipped, "BOTO_NO_RELR={v:?}");
        }
    }

    #[test]
    fn a_missing_driver_is_a_reason_not_a_panic() {
        let dir = std::env::temp_dir().join(format!("boto-build-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let r = probe("/nonexistent/boto-build-cc", &dir);
        std::fs::remove_dir_all(&dir).ok();
        assert!(r
            .unwrap_err()
            .contains("running /nonexistent/boto-build-cc"));
    }
}
