//! `pin()` per operation against a held guard, alone (the same measurement as the report's
//! `pin()` row, `masstree_benches::pin_cost`), for A/B runs of two builds:
//! `cargo build --release -p masstree-benches --example pin_profile` then
//! `target/release/examples/pin_profile [KEYS] [RUNS]` (200000 keys, 3 runs by default; one
//! million operations each way per run). Runs on the benchmarks' counting allocator, as the
//! report's figures do.

use masstree_benches::alloc_counter::CountingAlloc;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let keys = args.next().and_then(|k| k.parse().ok()).unwrap_or(200_000);
    let runs = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let c = masstree_benches::pin_cost::measure(keys, 1_000_000, runs);
    let (get, update) = c.ratios();
    println!(
        "get: held {:.2}, each {:.2} Mops/s ({get:.2}x); update: held {:.2}, each {:.2} Mops/s ({update:.2}x)",
        c.get_held, c.get_each, c.update_held, c.update_each
    );
}
