//! Browser storage: a versioned document of connections and settings, migrated on load;
//! corrupt data is reported once and kept aside, never a reason for the app not to start.
//! `schema` and `transfer` are pure (tested on the host); `idb` talks to IndexedDB.

#[cfg(feature = "hydrate")]
pub mod idb;
pub mod schema;
pub mod transfer;
