//! `Permutation` against a `Vec<u8>` model: every operation, every reachable state shape.

use masstree_node::{Permutation, WIDTH};
use proptest::prelude::*;

/// The model: live slots in key order, then free slots in use order.
#[derive(Clone, Debug)]
struct Model {
    order: Vec<u8>,
    len: usize,
}

impl Model {
    fn new() -> Self {
        Self {
            order: (0..WIDTH as u8).collect(),
            len: 0,
        }
    }
    fn insert(&mut self, pos: usize) -> usize {
        let slot = self.order.remove(self.len);
        self.order.insert(pos, slot);
        self.len += 1;
        slot as usize
    }
    fn truncate(&mut self, len: usize) {
        self.len = len;
    }
    fn remove(&mut self, pos: usize) -> usize {
        let slot = self.order.remove(pos);
        self.order.push(slot);
        self.len -= 1;
        slot as usize
    }
}

#[derive(Clone, Debug)]
enum Op {
    Insert(usize),
    Remove(usize),
    Truncate(usize),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            4 => (0..16usize).prop_map(Op::Insert),
            2 => (0..16usize).prop_map(Op::Remove),
            1 => (0..16usize).prop_map(Op::Truncate),
        ],
        0..200,
    )
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 512 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn check(p: Permutation, m: &Model) {
    assert_eq!(p.len(), m.len);
    for pos in 0..WIDTH {
        assert_eq!(p.get(pos), m.order[pos] as usize, "position {pos}");
    }
    let live: Vec<usize> = p.iter().collect();
    let expect: Vec<usize> = m.order[..m.len].iter().map(|&s| s as usize).collect();
    assert_eq!(live, expect);
    let free: Vec<usize> = p.free_slots().collect();
    let expect: Vec<usize> = m.order[m.len..].iter().map(|&s| s as usize).collect();
    assert_eq!(free, expect);
    if m.len < WIDTH {
        assert_eq!(p.back(), m.order[m.len] as usize);
    }
    assert_eq!(Permutation::from_raw(p.raw()), Some(p));
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn matches_vec_model(ops in ops()) {
        let mut p = Permutation::empty();
        let mut m = Model::new();
        check(p, &m);
        for op in ops {
            match op {
                Op::Insert(pos) if m.len < WIDTH => {
                    let pos = pos % (m.len + 1);
                    prop_assert_eq!(p.insert_from_back(pos), m.insert(pos));
                }
                Op::Remove(pos) if m.len > 0 => {
                    let pos = pos % m.len;
                    prop_assert_eq!(p.remove(pos), m.remove(pos));
                }
                Op::Truncate(len) => {
                    let len = len % (m.len + 1);
                    p.truncate(len);
                    m.truncate(len);
                }
                _ => {}
            }
            check(p, &m);
        }
    }

    #[test]
    fn from_raw_rejects_non_permutations(raw in any::<u64>()) {
        if let Some(p) = Permutation::from_raw(raw) {
            let mut seen = [false; WIDTH];
            for pos in 0..WIDTH {
                prop_assert!(!seen[p.get(pos)]);
                seen[p.get(pos)] = true;
            }
            prop_assert!(p.len() <= WIDTH);
        }
    }
}

/// Every insert position at every length, exhaustively, from the sorted states.
#[test]
fn exhaustive_insert_and_remove_positions() {
    for len in 0..=WIDTH {
        let base = Permutation::sorted(len);
        let mut m = Model::new();
        for _ in 0..len {
            m.insert(m.len);
        }
        check(base, &m);
        for pos in 0..=len.min(WIDTH - 1) {
            if len < WIDTH {
                let (mut p, mut mm) = (base, m.clone());
                assert_eq!(p.insert_from_back(pos), mm.insert(pos));
                check(p, &mm);
            }
        }
        for pos in 0..len {
            let (mut p, mut mm) = (base, m.clone());
            assert_eq!(p.remove(pos), mm.remove(pos));
            check(p, &mm);
        }
    }
}

#[test]
fn fills_and_drains_completely() {
    let mut p = Permutation::empty();
    for i in 0..WIDTH {
        p.insert_from_back(i);
    }
    assert!(p.is_full());
    assert_eq!(p.iter().collect::<Vec<_>>(), (0..WIDTH).collect::<Vec<_>>());
    for _ in 0..WIDTH {
        p.remove(0);
    }
    assert!(p.is_empty());
    // Removed slots went to the back in removal order.
    assert_eq!(
        p.free_slots().collect::<Vec<_>>(),
        (0..WIDTH).collect::<Vec<_>>()
    );
}
