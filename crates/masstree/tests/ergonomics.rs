//! Compile tests of the API's ergonomics: each of these failed to compile (or had no API) in
//! earlier versions, so the test is that this file builds; the asserts check the results.

use masstree::{Keys, MassTree, OwnedMapRef, Range, Values};
use std::future::Future;
use std::ops::Bound::{Excluded, Included, Unbounded};

fn assert_send<T: Send>(_: &T) {}
fn assert_sync<T: Sync>(_: &T) {}

#[test]
fn ranges_need_no_turbofish_for_any_key_type() {
    let ints: MassTree<u64, u64> = (0..20u64).map(|i| (i, i)).collect();
    let m = ints.pin();
    assert_eq!(m.range(..).count(), 20);
    assert_eq!(m.range(10..).count(), 10);
    assert_eq!(m.range(..=3).count(), 4);
    assert_eq!(m.range((Excluded(5), Included(7))).count(), 2);

    let strs: MassTree<str, u64> = [("a", 1), ("b", 2)].into_iter().collect();
    let m = strs.pin();
    assert_eq!(m.range(..).count(), 2);
    assert_eq!(m.range((Excluded("a"), Unbounded)).count(), 1);
    assert_eq!(m.range("a".."b").count(), 1);

    let strings: MassTree<String, u64> = [("a", 1)].into_iter().collect();
    assert_eq!(strings.pin().range(..).count(), 1);
    assert_eq!(strings.pin().range("a"..).count(), 1);

    let bytes: MassTree<[u8], u64> = [(&b"a"[..], 1)].into_iter().collect();
    let m = bytes.pin();
    assert_eq!(m.range(..).count(), 1);
    assert_eq!(m.range(&b"a"[..]..).count(), 1);
    assert_eq!(m.range((Excluded(&b"a"[..]), Unbounded)).count(), 0);

    let tuples: MassTree<(u64, u32), u64> = [((1, 2), 3)].into_iter().collect();
    let m = tuples.pin();
    assert_eq!(m.range(..).count(), 1);
    assert_eq!(m.range((1, 2)..).count(), 1);
    assert_eq!(m.prefix_range(..=u64::MAX).count(), 1);
}

#[test]
fn a_map_ref_iterates_with_for_and_its_iterators_are_nameable() {
    let map: MassTree<u32, char> = [(1, 'a'), (2, 'b')].into_iter().collect();
    let m = map.pin();
    let mut seen = Vec::new();
    for (k, v) in &m {
        seen.push((k, *v));
    }
    assert_eq!(seen, [(1, 'a'), (2, 'b')]);
    let keys: Keys<'_, u32, char> = m.keys();
    let values: Values<'_, u32, char> = m.values();
    let range: Range<'_, u32, char> = m.range(..);
    assert_eq!(keys.count() + values.count() + range.count(), 6);
}

#[test]
fn owned_handles_and_their_ranges_are_send() {
    let map: MassTree<str, String> = [("k", "v".to_string())].into_iter().collect();
    let m: OwnedMapRef<'_, str, String> = map.pin_owned();
    assert_send(&m);
    assert_sync(&m);
    let range = m.range(..);
    assert_send(&range);
    // A future holding the handle across an await point is `Send`.
    let future = async {
        let m = map.pin_owned();
        let before = m.get("k").cloned();
        std::future::ready(()).await;
        m.insert("k", "w".to_string());
        before
    };
    assert_send(&future);
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let polled = future.as_mut().poll(&mut cx);
    assert_eq!(polled, std::task::Poll::Ready(Some("v".to_string())));
    assert_eq!(map.pin().get("k").map(String::as_str), Some("w"));
}

#[test]
fn errors_display_and_are_std_errors() {
    fn as_error(e: &dyn std::error::Error) -> String {
        e.to_string()
    }
    let map: MassTree<u64, u64> = [(1, 1)].into_iter().collect();
    let m = map.pin();
    let occupied = m.try_insert(1, 2).unwrap_err();
    assert_eq!(as_error(&occupied), "the key is already present");
    let mismatch = m.compare_exchange(1, Some(&5), Some(6)).unwrap_err();
    assert_eq!(
        as_error(&mismatch),
        "the key's value was not the expected one"
    );
}
