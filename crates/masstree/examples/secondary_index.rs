//! A table with a secondary index on tuple keys.
//!
//! Users live in a map keyed by id; an index keyed by `(city, id)` answers "who lives in X"
//! with a range scan, in id order, and moves rows when a user moves.
//!
//! `cargo run -p masstree --example secondary_index`
use masstree::MassTree;

/// A row of the table.
#[derive(Clone, Debug, PartialEq)]
struct User {
    name: String,
    city: String,
}

/// The table and its index.
#[derive(Default)]
struct Users {
    by_id: MassTree<u64, User>,
    by_city: MassTree<(String, u64), ()>,
}

impl Users {
    fn insert(&self, id: u64, user: User) {
        let table = self.by_id.pin();
        if let Some(old) = table.insert(id, user.clone()) {
            self.by_city.pin().remove((old.city.as_str(), id));
        }
        self.by_city.pin().insert((user.city.as_str(), id), ());
    }

    /// The ids of the users in `city`, ascending: a scan of the index from `(city, 0)` to
    /// `(city, u64::MAX)`, borrowing `city` (no allocation for the bounds' strings).
    fn in_city(&self, city: &str) -> Vec<u64> {
        self.by_city
            .pin()
            .range((city, 0)..=(city, u64::MAX))
            .map(|((_, id), _)| id)
            .collect()
    }

    fn move_to(&self, id: u64, city: &str) {
        let table = self.by_id.pin();
        if let Some(user) = table.get(id) {
            let moved = User {
                city: city.to_string(),
                ..user.clone()
            };
            drop(table);
            self.insert(id, moved);
        }
    }
}

fn main() {
    let users = Users::default();
    let cities = ["Lima", "Oslo", "Pune", "Oslo", "Lima", "Oslo"];
    for (id, city) in cities.iter().enumerate() {
        let user = User {
            name: format!("user{id}"),
            city: city.to_string(),
        };
        users.insert(id as u64 * 10, user);
    }
    assert_eq!(users.in_city("Oslo"), [10, 30, 50]);
    assert_eq!(users.in_city("Lima"), [0, 40]);
    assert!(users.in_city("Rome").is_empty());

    users.move_to(30, "Pune");
    assert_eq!(users.in_city("Oslo"), [10, 50]);
    assert_eq!(users.in_city("Pune"), [20, 30]);

    // The whole index, in (city, id) order, decoded:
    let index: Vec<(String, u64)> = users.by_city.pin().keys().collect();
    println!("index: {index:?}");
    assert_eq!(index.len(), cities.len());
    assert!(index.windows(2).all(|w| w[0] < w[1]));
}
