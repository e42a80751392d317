//! Helpers shared by the integration tests (each test binary uses some of them).
#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// A value derived from the key (FNV-1a), so a reader can tell a wrong or torn value from the
/// right one.
pub fn value_for(key: &[u8]) -> u64 {
    key.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The next number of the workspace's one generator ([`masstree_testkit::Rng`]) whose state is
/// `seed`.
pub fn rng(seed: &mut u64) -> u64 {
    masstree_testkit::Rng::step(seed)
}

/// Lets `threads` run for `secs`, raises `stop`, and fails if they have not all finished 30 s
/// later (a deadlock or livelock), then joins them (re-raising their panics).
pub fn run_with_watchdog(threads: Vec<thread::JoinHandle<()>>, stop: &AtomicBool, secs: u64) {
    thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    let deadline = Instant::now() + Duration::from_secs(30);
    while threads.iter().any(|h| !h.is_finished()) {
        assert!(
            Instant::now() < deadline,
            "threads did not finish 30 s after stop: deadlock or livelock"
        );
        thread::sleep(Duration::from_millis(50));
    }
    for h in threads {
        h.join().unwrap();
    }
}
