//! Review 2: scans whose bounds run through layer slots, equal keys that are prefixes of other
//! keys, sit at the 8-byte boundary or are empty, while writers make slots flip between suffix,
//! layer and absent. Forward, reverse and mixed next/next_back. Every stable key inside the
//! bounds must come out exactly once, in order, with its value; nothing outside the bounds.

mod common;
use common::{rng, value_for};

use masstree::MassTree;
use std::ops::Bound;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const NS: u64 = 120;

/// The layer-0 slice of group `n`; its last byte is 0 so a 7-byte and an 8-byte key share it.
fn slice(n: u64) -> Vec<u8> {
    vec![b'L', b'x', (n >> 8) as u8, n as u8, b'y', b'z', b'w', 0]
}

fn stable_keys() -> Vec<Vec<u8>> {
    let mut v = vec![
        Vec::new(),
        vec![0u8; 8],
        vec![0u8; 9],
        vec![0u8; 17],
        vec![0xffu8; 8],
        vec![0xffu8; 20],
    ];
    for n in 0..NS {
        let s = slice(n);
        v.push(s[..7].to_vec());
        v.push(s.clone());
        if n % 2 == 0 {
            let mut a = s.clone();
            a.push(0);
            v.push(a);
            let mut b = s.clone();
            b.extend_from_slice(b"stable-long-key-xyz");
            v.push(b);
            let mut c = s.clone();
            c.extend_from_slice(b"stable-l");
            v.push(c);
        } else if n % 4 == 1 {
            // One stable suffixed key: the slot is a suffix until a churn key joins it.
            let mut a = s.clone();
            a.extend_from_slice(b"m-stable");
            v.push(a);
        }
    }
    v.sort();
    v
}

fn churn_key(n: u64, t: u64, len: usize) -> Vec<u8> {
    let mut k = slice(n);
    let byte = [0u8, b'a', b'm', b'z', 0xff][(t as usize) % 5];
    k.extend(std::iter::repeat_n(byte, len));
    if len > 2 {
        let l = k.len();
        k[l - 1] = b'0' + (t as u8);
    }
    k
}

fn bound_key(n: u64, which: u64) -> Vec<u8> {
    let s = slice(n);
    let mut k = match which % 9 {
        0 => s[..7].to_vec(),
        1 => s.clone(),
        2 => [s.as_slice(), b"\0"].concat(),
        3 => [s.as_slice(), b"m"].concat(),
        4 => [s.as_slice(), b"stable-long-key-xyz"].concat(),
        5 => [s.as_slice(), &[0xff; 10]].concat(),
        6 => [s.as_slice(), b"stable-l"].concat(),
        7 => [s.as_slice(), b"m-stable"].concat(),
        _ => [s.as_slice(), b"a"].concat(),
    };
    if which % 31 == 30 {
        k.clear();
    }
    k
}

fn in_bounds(k: &[u8], lo: &Bound<Vec<u8>>, hi: &Bound<Vec<u8>>) -> bool {
    let lo_ok = match lo {
        Bound::Included(b) => k >= b.as_slice(),
        Bound::Excluded(b) => k > b.as_slice(),
        Bound::Unbounded => true,
    };
    let hi_ok = match hi {
        Bound::Included(b) => k <= b.as_slice(),
        Bound::Excluded(b) => k < b.as_slice(),
        Bound::Unbounded => true,
    };
    lo_ok && hi_ok
}

fn check(
    map: &MassTree<[u8], u64>,
    stable: &[Vec<u8>],
    lo: Bound<Vec<u8>>,
    hi: Bound<Vec<u8>>,
    mode: u64,
) {
    let m = map.pin();
    let mut range = m.range((
        lo.as_ref().map(Vec::as_slice),
        hi.as_ref().map(Vec::as_slice),
    ));
    let mut front: Vec<Vec<u8>> = Vec::new();
    let mut back: Vec<Vec<u8>> = Vec::new();
    let mut seed = mode | 1;
    loop {
        let fwd = match mode % 3 {
            0 => true,
            1 => false,
            _ => rng(&mut seed) & 1 == 0,
        };
        let item = if fwd { range.next() } else { range.next_back() };
        let Some((k, v)) = item else { break };
        assert_eq!(*v, value_for(&k), "wrong value for {k:?}");
        let k = k.into_vec();
        if fwd {
            if let Some(p) = front.last() {
                assert!(
                    k > *p,
                    "front out of order {p:?} then {k:?} ({lo:?}, {hi:?})"
                );
            }
            front.push(k);
        } else {
            if let Some(p) = back.last() {
                assert!(
                    k < *p,
                    "back out of order {p:?} then {k:?} ({lo:?}, {hi:?})"
                );
            }
            back.push(k);
        }
    }
    back.reverse();
    front.extend(back);
    let all = front;
    for w in all.windows(2) {
        assert!(
            w[0] < w[1],
            "duplicate/disorder {:?} {:?} ({lo:?}, {hi:?}) mode {}",
            w[0],
            w[1],
            mode % 3
        );
    }
    for k in &all {
        assert!(
            in_bounds(k, &lo, &hi),
            "{k:?} outside ({lo:?}, {hi:?}) mode {}",
            mode % 3
        );
    }
    let expect: Vec<&Vec<u8>> = stable.iter().filter(|k| in_bounds(k, &lo, &hi)).collect();
    let seen: Vec<&Vec<u8>> = all
        .iter()
        .filter(|k| stable.binary_search(k).is_ok())
        .collect();
    assert_eq!(
        seen,
        expect,
        "stable keys missed/repeated for ({lo:?}, {hi:?}) mode {}",
        mode % 3
    );
}

fn make_bound(seed: &mut u64) -> (Bound<Vec<u8>>, u64) {
    let r = rng(seed);
    let n = r % NS;
    let k = bound_key(n, r >> 16);
    let b = match (r >> 32) % 5 {
        0 => Bound::Unbounded,
        1 | 2 => Bound::Included(k),
        _ => Bound::Excluded(k),
    };
    (b, n)
}

#[test]
#[ignore = "stress: run by `cargo xtask verify` (stress step, release)"]
fn bounds_through_flapping_layers() {
    let secs: u64 = std::env::var("REVIEW2_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let stable = Arc::new(stable_keys());
    let map: Arc<MassTree<[u8], u64>> = Arc::new(MassTree::<[u8], _>::new());
    {
        let m = map.pin();
        for k in stable.iter() {
            m.insert(k, value_for(k));
        }
    }
    // Sequential sanity first.
    {
        let mut seed = 99u64;
        for _ in 0..3000 {
            let (lo, _) = make_bound(&mut seed);
            let (hi, _) = make_bound(&mut seed);
            let mode = rng(&mut seed);
            check(&map, &stable, lo, hi, mode);
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let scans = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::new();
    for t in 0..2u64 {
        let (map, stop, stable) = (Arc::clone(&map), Arc::clone(&stop), Arc::clone(&stable));
        handles.push(thread::spawn(move || {
            let mut seed = 0xdead_beef + t * 31;
            let lens = [1usize, 2, 7, 8, 9, 16, 17, 25];
            while !stop.load(Ordering::Relaxed) {
                let r = rng(&mut seed);
                let n = r % NS;
                let m = map.pin();
                // Insert a few churn keys at this slice (suffix -> layer), then remove them all
                // (layer -> gone), in varying order.
                let count = 1 + (r >> 8) % 3;
                let keys: Vec<Vec<u8>> = (0..count)
                    .map(|i| {
                        churn_key(
                            n,
                            t * 3 + i + (r >> 12) % 5,
                            lens[((r >> (16 + 3 * i)) % 8) as usize],
                        )
                    })
                    .filter(|k| stable.binary_search(k).is_err())
                    .collect();
                for k in &keys {
                    m.insert(k, value_for(k));
                }
                if r >> 40 & 1 == 0 {
                    for k in keys.iter().rev() {
                        m.remove(k);
                    }
                } else {
                    for k in &keys {
                        m.remove(k);
                    }
                }
            }
        }));
    }
    for s in 0..3u64 {
        let (map, stop, scans, stable) = (
            Arc::clone(&map),
            Arc::clone(&stop),
            Arc::clone(&scans),
            Arc::clone(&stable),
        );
        handles.push(thread::spawn(move || {
            let mut seed = 0x0005_1517 + s * 7;
            while !stop.load(Ordering::Relaxed) {
                let (lo, _) = make_bound(&mut seed);
                let (hi, _) = make_bound(&mut seed);
                let mode = rng(&mut seed);
                check(&map, &stable, lo, hi, mode);
                scans.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    let deadline = Instant::now() + Duration::from_secs(60);
    while handles.iter().any(|h| !h.is_finished()) {
        assert!(Instant::now() < deadline, "threads hung after stop");
        thread::sleep(Duration::from_millis(20));
    }
    for h in handles {
        h.join().unwrap();
    }
    assert!(scans.load(Ordering::Relaxed) > 0);
    let mut map = Arc::try_unwrap(map).ok().unwrap();
    map.check_invariants().unwrap();
}
