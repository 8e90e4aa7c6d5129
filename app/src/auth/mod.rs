//! MQTT 5 enhanced authentication mechanisms run by the browser client.

pub mod scram;
