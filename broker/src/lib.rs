//! The built-in MQTT broker as a library: listeners, sessions, the subscription tree,
//! retained messages, wills, QoS flows, limits, auth and statistics.
