//! Helpers shared by the integration tests.

/// A value derived from the key (FNV-1a), so a reader can tell a wrong or torn value from the
/// right one.
pub fn value_for(key: &[u8]) -> u64 {
    key.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
