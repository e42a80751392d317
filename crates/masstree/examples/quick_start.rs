//! Quick start: typed keys, a map shared by threads, lookups by borrowed form, ordered scans.
//!
//! `cargo run -p masstree --example quick_start`
use masstree::MassTree;
use std::sync::Arc;
use std::thread;

fn main() {
    // Integer keys: one map shared by four writer threads.
    let scores: Arc<MassTree<u64, u32>> = Arc::new(MassTree::new());
    let writers: Vec<_> = (0..4u64)
        .map(|t| {
            let scores = Arc::clone(&scores);
            thread::spawn(move || {
                let m = scores.pin(); // references live as long as `m`
                for i in 0..1_000 {
                    m.insert(t * 1_000 + i, (i % 100) as u32);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer panicked");
    }
    let m = scores.pin();
    assert_eq!(m.len(), 4_000);
    let top: Vec<(u64, &u32)> = m.range(3_990..).collect();
    println!("last keys: {top:?}");
    assert_eq!(top.len(), 10);

    // Atomic read-modify-write under the leaf lock.
    m.update(7, |v| v + 1);
    assert_eq!(m.get(7), Some(&8));

    // String keys, looked up and inserted by `&str` without allocating.
    let words: MassTree<String, usize> = MassTree::new();
    let w = words.pin();
    for word in "the quick brown fox jumps over the lazy dog".split(' ') {
        let n = w.get(word).copied().unwrap_or(0);
        w.insert(word, n + 1);
    }
    assert_eq!(w.get("the"), Some(&2));
    let t_words: Vec<String> = w.prefix("t").map(|(k, _)| k).collect();
    println!("words starting with t: {t_words:?}");
    println!("all counts: {words:?}");

    // Owned iteration moves the values out, in key order.
    drop(w);
    let counts: Vec<(String, usize)> = words.into_iter().collect();
    assert_eq!(counts.first().map(|(k, _)| k.as_str()), Some("brown"));
}
