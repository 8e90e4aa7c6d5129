//! PUBACK (spec 3.4): the answer to a QoS 1 PUBLISH.

super::ack::publish_ack! {
    /// A PUBACK packet.
    PubAck
}
