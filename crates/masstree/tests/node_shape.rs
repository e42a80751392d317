//! The shape insert patterns leave the trie in: ascending loads fill leaves and internodes;
//! descending inserts into a gap do not leave a node per key.

use masstree::MassTree;

fn shape(map: &mut MassTree<u64, u64>) -> (usize, usize) {
    let stats = map.check_invariants().expect("invariants");
    (stats.leaves, stats.internodes)
}

#[test]
#[cfg_attr(
    miri,
    ignore = "tens of thousands of inserts; the split paths run under miri elsewhere"
)]
fn ascending_inserts_fill_leaves_and_internodes() {
    let n = 60_000u64;
    let mut map: MassTree<u64, u64> = MassTree::new();
    {
        let m = map.pin();
        for i in 0..n {
            m.insert(i, i);
        }
    }
    let (leaves, internodes) = shape(&mut map);
    assert!(leaves <= (n as usize).div_ceil(15) + 1, "{leaves} leaves");
    // Full internodes: about one per 16 leaves (half-full ones would be one per 8).
    assert!(
        internodes * 12 <= leaves,
        "{internodes} internodes for {leaves} leaves"
    );
}

#[test]
#[cfg_attr(
    miri,
    ignore = "thousands of inserts; the split paths run under miri elsewhere"
)]
fn descending_inserts_into_a_gap_share_leaves() {
    // Full leaves from an ascending load, then a gap filled from its top down: every key lands
    // at the end of the full leaf below the gap.
    let mut map: MassTree<u64, u64> = MassTree::new();
    {
        let m = map.pin();
        for i in 0..3_000u64 {
            m.insert(i * 1_000, i);
        }
    }
    let (leaves_before, _) = shape(&mut map);
    let gap = 1_499_001..1_500_000u64;
    {
        let m = map.pin();
        for k in gap.clone().rev() {
            m.insert(k, k);
        }
    }
    let (leaves, _) = shape(&mut map);
    let added = leaves - leaves_before;
    let keys = (gap.end - gap.start) as usize;
    assert!(
        added * 4 <= keys,
        "{added} leaves for {keys} keys inserted in descending order"
    );
}

#[test]
#[cfg_attr(
    miri,
    ignore = "a hundred thousand inserts; the split paths run under miri elsewhere"
)]
fn descending_inserts_inside_leaves_keep_internodes_few() {
    // Full leaves and full internodes from an ascending load, then every gap between two
    // loaded keys filled from its top down: a leaf keeps taking the keys of its gap, and where
    // it is the last child of a full internode each of its splits reaches that internode.
    let mut map: MassTree<u64, u64> = MassTree::new();
    {
        let m = map.pin();
        for i in 0..4_000u64 {
            m.insert(i * 1_000, i);
        }
        for i in 0..4_000u64 {
            for k in (i * 1_000 + 1..i * 1_000 + 40).rev() {
                m.insert(k, k);
            }
        }
    }
    let (leaves, internodes) = shape(&mut map);
    // Middle splits leave internodes at least half full: one internode per 8 leaves or fewer
    // (about one per 11 here), not one per split leaf.
    assert!(
        internodes * 8 <= leaves,
        "{internodes} internodes for {leaves} leaves"
    );
}
