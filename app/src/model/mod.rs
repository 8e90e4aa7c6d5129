//! The app's data, free of any UI or browser API so it is unit-tested on the host:
//! saved connection profiles, broker URLs with beginner hints, and form validation.

pub mod broker_url;
pub mod json_binary;
pub mod payload;
pub mod profile;
pub mod publish;
pub mod repeat;
pub mod sent_history;
pub mod settings;
pub mod subscription;
pub mod template;
pub mod validate;
