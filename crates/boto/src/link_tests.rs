//! The build script's packed relocations (`boto_build`) really reach the
//! link: this test binary is linked like the package's programs, so its own
//! dynamic section shows whether they were packed.

/// `(tag, value)` pairs of the running executable's dynamic section
/// (64-bit little-endian ELF, which is where `boto_build` acts).
fn dynamic_entries() -> Vec<(u64, u64)> {
    let elf = std::fs::read("/proc/self/exe").expect("read /proc/self/exe");
    let u16_at = |o: usize| u16::from_le_bytes(elf[o..o + 2].try_into().unwrap()) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(elf[o..o + 4].try_into().unwrap());
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap());
    assert_eq!(&elf[..4], b"\x7fELF");
    assert_eq!((elf[4], elf[5]), (2, 1), "64-bit little-endian ELF");
    let (phoff, phentsize, phnum) = (u64_at(0x20) as usize, u16_at(0x36), u16_at(0x38));
    let dynamic = (0..phnum)
        .map(|i| phoff + i * phentsize)
        .find(|&ph| u32_at(ph) == 2) // PT_DYNAMIC
        .expect("a dynamically linked executable");
    let (off, size) = (
        u64_at(dynamic + 8) as usize,
        u64_at(dynamic + 0x20) as usize,
    );
    (off..off + size)
        .step_by(16)
        .map(|e| (u64_at(e), u64_at(e + 8)))
        .take_while(|&(tag, _)| tag != 0)
        .collect()
}

#[test]
fn packed_relocations_reach_the_link_when_the_probe_allows_them() {
    const DT_RELR: u64 = 36;
    const DT_RELACOUNT: u64 = 0x6fff_fff9;
    if !cfg!(all(
        target_os = "linux",
        target_env = "gnu",
        target_pointer_width = "64"
    )) {
        return;
    }
    let entries = dynamic_entries();
    let relr = entries.iter().any(|&(t, _)| t == DT_RELR);
    let relative_rela = entries
        .iter()
        .find(|&&(t, _)| t == DT_RELACOUNT)
        .map_or(0, |&(_, v)| v);
    match option_env!("BOTO_PACKED_RELOCS") {
        Some(_) => {
            assert!(relr, "the probe passed but the test binary has no DT_RELR");
            // Unpacked, this test binary has ~2,500 of them.
            assert!(
                relative_rela < 100,
                "{relative_rela} RELA relative relocations left"
            );
        }
        // The probe said no (or the user's RUSTFLAGS chose the link): nothing
        // of ours to check.
        None => eprintln!("boto_build did not pack relocations here (DT_RELR: {relr})"),
    }
}
