//! Where each connection's messages live: a store outside the reactive graph (one per
//! connection, in this thread), so tens of thousands of messages a second cost no
//! reactive work; the view learns of them through one signal bumped per animation frame.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::messages::{MessageStore, StoreBudget};

pub type SharedStore = Rc<RefCell<MessageStore>>;

thread_local! {
    static STORES: RefCell<HashMap<String, SharedStore>> = RefCell::new(HashMap::new());
}

/// The message store of connection `id`, created on first use.
pub fn store(id: &str) -> SharedStore {
    STORES.with(|stores| {
        stores
            .borrow_mut()
            .entry(id.to_string())
            .or_insert_with(|| Rc::new(RefCell::new(MessageStore::new(StoreBudget::default()))))
            .clone()
    })
}

/// Forgets connection `id`'s messages (the connection was deleted).
pub fn drop_store(id: &str) {
    STORES.with(|stores| {
        stores.borrow_mut().remove(id);
    });
}
