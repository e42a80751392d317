//! Criterion suite: typed `u64` keys (`MassTree<u64, u64>`) against the same keys as 8-byte
//! big-endian byte strings (`MassTree<[u8], u64>`), single-threaded, on 1M random keys: the
//! typed encoding must cost nothing. Also ascending inserts one by one against
//! `extend_sorted`, the bulk path for sorted input. Run: `cargo bench -p masstree-benches --bench typed_keys`.
// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use masstree::MassTree;
use std::hint::black_box;
use std::time::Duration;

/// Keys per map.
const KEYS: u64 = 1_000_000;

/// Random-looking distinct keys (a bijective multiply).
fn keys() -> Vec<u64> {
    (0..KEYS)
        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .collect()
}

fn typed_keys(c: &mut Criterion) {
    let keys = keys();
    let typed: MassTree<u64, u64> = keys.iter().map(|&k| (k, k)).collect();
    let bytes: MassTree<[u8], u64> = keys.iter().map(|&k| (k.to_be_bytes(), k)).collect();

    let mut group = c.benchmark_group("typed_keys");
    group.throughput(Throughput::Elements(KEYS));
    group.bench_function("get/u64", |b| {
        let m = typed.pin();
        b.iter(|| keys.iter().filter(|&&k| m.get(k).is_some()).count());
    });
    group.bench_function("get/bytes8", |b| {
        let m = bytes.pin();
        b.iter(|| {
            keys.iter()
                .filter(|&&k| m.get(k.to_be_bytes()).is_some())
                .count()
        });
    });
    group.bench_function("insert/u64", |b| {
        b.iter_batched(
            MassTree::<u64, u64>::new,
            |map| {
                let m = map.pin();
                for &k in &keys {
                    m.insert(k, k);
                }
                drop(m);
                black_box(map)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("insert/bytes8", |b| {
        b.iter_batched(
            MassTree::<[u8], u64>::new,
            |map| {
                let m = map.pin();
                for &k in &keys {
                    m.insert(k.to_be_bytes(), k);
                }
                drop(m);
                black_box(map)
            },
            BatchSize::PerIteration,
        );
    });
    // Ascending keys, one insert at a time against the sorted bulk path.
    group.bench_function("insert_ascending/u64", |b| {
        b.iter_batched(
            MassTree::<u64, u64>::new,
            |map| {
                let m = map.pin();
                for k in 0..KEYS {
                    m.insert(k, k);
                }
                drop(m);
                black_box(map)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("extend_sorted/u64", |b| {
        b.iter_batched(
            MassTree::<u64, u64>::new,
            |map| {
                map.pin().extend_sorted((0..KEYS).map(|k| (k, k)));
                black_box(map)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("scan/u64", |b| {
        let m = typed.pin();
        b.iter(|| m.iter().map(|(k, _)| k).fold(0u64, u64::wrapping_add));
    });
    group.bench_function("scan/bytes8", |b| {
        let m = bytes.pin();
        b.iter(|| m.iter().map(|(k, _)| k.len() as u64).sum::<u64>());
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = typed_keys
}
criterion_main!(benches);
