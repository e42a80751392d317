//! Criterion suite: our map against `Mutex<BTreeMap>` and `RwLock<BTreeMap>` on every workload
//! (scans included: `full_scan`, `range_100_fwd`, `range_100_rev`, `ycsb_e`),
//! at each thread count of `common::THREADS`. Run: `cargo bench -p masstree-benches --bench
//! lock_comparison [-- FILTER]`.
// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use masstree_benches::contenders::Lineup;

fn lock_comparison(c: &mut Criterion) {
    common::suite(c, Lineup::Locks);
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = lock_comparison
}
criterion_main!(benches);
