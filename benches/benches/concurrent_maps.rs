//! Criterion suite: our map against `crossbeam_skiplist::SkipMap`, `scc::TreeIndex`, congee
//! (8-byte keys only) and masstree 0.9.5 on every workload (scans included: `full_scan`,
//! `range_100_fwd`, `range_100_rev`, `ycsb_e`; congee has no reverse scans, masstree 0.9.5 sits
//! out `ycsb_e`), at each thread count of `common::THREADS`.
//! Run: `cargo bench -p masstree-benches --bench concurrent_maps [-- FILTER]`.
// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use masstree_benches::contenders::Lineup;

fn concurrent_maps(c: &mut Criterion) {
    common::suite(c, Lineup::Concurrent);
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = concurrent_maps
}
criterion_main!(benches);
