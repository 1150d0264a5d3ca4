//! Links this package's programs with packed relative relocations when the
//! toolchain allows it (see `boto_build`: smaller, less resident binaries).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    boto_build::pack_relative_relocations();
}
