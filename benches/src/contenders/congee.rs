//! `congee`, an adaptive radix tree over 8-byte keys.

use super::{Contender, ScanSupport, Scanned};

/// `congee`, an adaptive radix tree (ART) over 8-byte keys.
pub struct Congee(congee::Congee<usize, usize>);

/// The 8-byte key as congee's integer key (big-endian, so integer order is byte order).
#[inline]
fn art_key(key: &[u8]) -> usize {
    let bytes: [u8; 8] = key.try_into().expect("congee takes 8-byte keys only");
    u64::from_be_bytes(bytes) as usize
}

impl Contender for Congee {
    const NAME: &'static str = "congee";
    const ONLY_8_BYTE_KEYS: bool = true;
    type Session<'a> = congee::epoch::Guard;

    fn new() -> Self {
        Self(congee::Congee::default())
    }
    #[inline]
    fn session(&self) -> Self::Session<'_> {
        self.0.pin()
    }
    #[inline]
    fn get(&self, s: &Self::Session<'_>, key: &[u8]) -> Option<u64> {
        self.0.get(&art_key(key), s).map(|v| v as u64)
    }
    #[inline]
    fn insert(&self, s: &Self::Session<'_>, key: &[u8], value: u64) {
        self.0
            .insert(art_key(key), value as usize, s)
            .expect("congee ran out of memory");
    }
    #[inline]
    fn update(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        self.0
            .compute_if_present(&art_key(key), |v| Some(v.wrapping_add(1)), s)
            .is_some()
    }
    #[inline]
    fn remove(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        self.0.remove(&art_key(key), s).is_some()
    }

    /// congee's `range(start, end, buffer)` copies up to `buffer.len()` ascending entries of
    /// `[start, end)` into the buffer; there is no descending scan. Longer scans refill a
    /// 128-entry buffer from one past the last key read (the exclusive end `usize::MAX` leaves
    /// out a key of all `0xff` bytes, which the random key sets practically never hold).
    const SCANS: ScanSupport = ScanSupport::Forward;
    #[inline]
    fn scan(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let mut at = from.map_or(0, art_key);
        let mut buffer = [(0usize, 0usize); ART_SCAN_CHUNK];
        let mut out = Scanned::default();
        while out.entries < n {
            let want = (n - out.entries).min(ART_SCAN_CHUNK);
            let got = self.0.range(&at, &usize::MAX, &mut buffer[..want], s);
            for &(_, v) in &buffer[..got] {
                out.add(v as u64);
            }
            if got < want {
                break;
            }
            match buffer[got - 1].0.checked_add(1) {
                Some(next) => at = next,
                None => break,
            }
        }
        Some(out)
    }
}

/// Entries congee copies out per `range` call in a scan.
const ART_SCAN_CHUNK: usize = 128;
