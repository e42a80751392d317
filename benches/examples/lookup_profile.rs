//! A fixed number of lookups through the [`Contender`] trait, for
//! `valgrind --tool=callgrind` (instruction counts per lookup, ours against a peer's):
//! `lookup_profile CONTENDER LEN [prefix]` with CONTENDER one of `ours`, `seed`, `bbtree`,
//! `congee`; 200k keys of LEN bytes (a shared 16-byte prefix with `prefix`), loaded, then
//! `LOOKUPS` (default 1M) lookups in a pseudo-random order. Run it twice with different
//! `LOOKUPS` and subtract to get the cost of the lookups alone.

use masstree_benches::contenders::{BBTree, Congee, Contender, Ours, Seed};
use masstree_benches::keys::{KeyKind, KeySet};
use masstree_testkit::mix64;
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let who = args.next().unwrap_or_else(|| "ours".to_owned());
    let len: usize = args.next().and_then(|l| l.parse().ok()).unwrap_or(8);
    let prefix = args.next().as_deref() == Some("prefix");
    let keys = KeySet::new(KeyKind::Random { len, prefix }, 200_000);
    match who.as_str() {
        "ours" => run::<Ours>(&keys),
        "seed" => run::<Seed>(&keys),
        "bbtree" => run::<BBTree>(&keys),
        "congee" => run::<Congee>(&keys),
        other => panic!("unknown contender {other}"),
    }
}

fn run<C: Contender>(keys: &KeySet) {
    let lookups: usize = std::env::var("LOOKUPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let map = C::new();
    let s = map.session();
    for i in 0..keys.count() {
        map.insert(&s, keys.key(i), i as u64);
    }
    let start = std::time::Instant::now();
    let mut sum = 0u64;
    for i in 0..lookups {
        let k = keys.key((mix64(i as u64) % keys.count() as u64) as usize);
        sum = sum.wrapping_add(map.get(&s, k).unwrap_or(0));
    }
    eprintln!("{} lookups: {:?}", C::NAME, start.elapsed());
    black_box(sum);
}
