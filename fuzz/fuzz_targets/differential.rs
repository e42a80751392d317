//! Differential fuzzing: libFuzzer's bytes decode to an operation sequence applied to the map
//! and to `BTreeMap`; any difference or structural breakage panics (a crash for libFuzzer).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(difference) = masstree_harden::differential::run(data) {
        panic!("{difference}");
    }
});
