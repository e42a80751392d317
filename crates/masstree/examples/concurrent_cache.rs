//! A concurrent cache with eviction by key range.
//!
//! Entries live in one map keyed by name; an expiry index keyed by `(expires_at, name)` keeps
//! them in expiry order, so evicting everything that expired is one range scan from the start
//! of the index. Client threads read and write while an evictor thread sweeps.
//!
//! `cargo run --release -p masstree --example concurrent_cache`
use masstree::MassTree;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

/// A cached value and the tick it expires at.
#[derive(Debug)]
struct Entry {
    value: String,
    expires_at: u64,
}

/// The cache: entries by name and an index in expiry order.
#[derive(Default)]
struct Cache {
    entries: MassTree<str, Entry>,
    by_expiry: MassTree<(u64, String), ()>,
    clock: AtomicU64,
}

impl Cache {
    fn now(&self) -> u64 {
        self.clock.load(Ordering::Acquire)
    }

    fn put(&self, name: &str, value: String, ttl: u64) {
        let expires_at = self.now() + ttl;
        // Index first: an entry is never without its index row, so the evictor finds it.
        self.by_expiry.pin().insert((expires_at, name), ());
        self.entries.pin().insert(name, Entry { value, expires_at });
    }

    fn get(&self, name: &str) -> Option<String> {
        let m = self.entries.pin();
        let entry = m.get(name)?;
        (entry.expires_at > self.now()).then(|| entry.value.clone())
    }

    /// Removes every entry that expired by `now`: one scan of the index's expired prefix.
    fn evict_expired(&self) -> usize {
        let now = self.now();
        let index = self.by_expiry.pin();
        let entries = self.entries.pin();
        let mut evicted = 0;
        let expired: Vec<(u64, String)> = index
            .range((0, "")..(now + 1, ""))
            .map(|(key, _)| key)
            .collect();
        for (expires_at, name) in expired {
            // Remove the entry only if it is the one this index row describes (it may have
            // been rewritten with a later expiry meanwhile).
            if entries
                .remove_if(name.as_str(), |e| e.expires_at == expires_at)
                .is_some()
            {
                evicted += 1;
            }
            index.remove((expires_at, name.as_str()));
        }
        evicted
    }
}

fn main() {
    let cache = Arc::new(Cache::default());
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..3)
        .map(|t| {
            let cache = Arc::clone(&cache);
            thread::spawn(move || {
                let mut hits = 0;
                for i in 0..20_000u64 {
                    let name = format!("user:{}", (i * 7 + t) % 2_000);
                    if cache.get(&name).is_some() {
                        hits += 1;
                    } else {
                        cache.put(&name, format!("profile {i}"), 1 + i % 5);
                    }
                    if i % 1_000 == 0 {
                        cache.clock.fetch_add(1, Ordering::AcqRel);
                    }
                }
                hits
            })
        })
        .collect();
    let evictor = {
        let (cache, stop) = (Arc::clone(&cache), Arc::clone(&stop));
        thread::spawn(move || {
            let mut evicted = 0;
            while !stop.load(Ordering::Acquire) {
                evicted += cache.evict_expired();
                thread::yield_now();
            }
            evicted
        })
    };
    let hits: u64 = clients.into_iter().map(|c| c.join().expect("client")).sum();
    stop.store(true, Ordering::Release);
    let evicted = evictor.join().expect("evictor");

    // Let everything expire, sweep once more: nothing expired may remain.
    cache.clock.fetch_add(10, Ordering::AcqRel);
    let last = cache.evict_expired();
    println!(
        "hits {hits}, evicted {} (last sweep {last}), left {}",
        evicted + last,
        cache.entries.len()
    );
    assert!(
        cache.entries.is_empty(),
        "every entry expired and was evicted"
    );
    assert!(cache.by_expiry.is_empty(), "every index row was removed");
}
