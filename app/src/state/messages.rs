//! Where each connection's messages live: a store outside the reactive graph (one per
//! connection, in this thread), so tens of thousands of messages a second cost no
//! reactive work; the view learns of them through one signal bumped at each redraw (ten
//! a second at most).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::messages::{MessageStore, StoreBudget};
use crate::model::settings::Settings;

pub type SharedStore = Rc<RefCell<MessageStore>>;

thread_local! {
    static STORES: RefCell<HashMap<String, SharedStore>> = RefCell::new(HashMap::new());
    /// The budget from Settings, given to every store (new ones too).
    static BUDGET: Cell<StoreBudget> = Cell::new(Settings::default().budget());
}

/// The message store of connection `id`, created on first use.
pub fn store(id: &str) -> SharedStore {
    STORES.with(|stores| {
        stores
            .borrow_mut()
            .entry(id.to_string())
            .or_insert_with(|| Rc::new(RefCell::new(MessageStore::new(BUDGET.get()))))
            .clone()
    })
}

/// Forgets connection `id`'s messages (the connection was deleted).
pub fn drop_store(id: &str) {
    STORES.with(|stores| {
        stores.borrow_mut().remove(id);
    });
}

/// Gives every store `budget` (now and when created later); stores over it evict their
/// oldest messages at once, counted as evicted.
pub fn apply_budget(budget: StoreBudget) {
    BUDGET.set(budget);
    STORES.with(|stores| {
        for store in stores.borrow().values() {
            store.borrow_mut().set_budget(budget);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{Direction, MessageRecord};

    fn message(topic: &str) -> MessageRecord {
        let publish = mqtt::Publish::new(topic, &b"payload"[..]);
        MessageRecord::from_publish(&publish, Direction::Received, 0)
    }

    #[test]
    fn a_lower_budget_evicts_held_messages_and_applies_to_new_stores() {
        let held = store("budget-a");
        for _ in 0..10 {
            held.borrow_mut().push(message("t"));
        }
        apply_budget(StoreBudget {
            max_messages: 4,
            max_bytes: u64::MAX,
        });
        assert_eq!(held.borrow().held(), 4);
        assert_eq!(held.borrow().evicted(), 6);
        assert_eq!(store("budget-b").borrow().budget().max_messages, 4);
        drop_store("budget-a");
        drop_store("budget-b");
    }
}
