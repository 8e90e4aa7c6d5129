//! PUBREC (spec 3.5): the first answer to a QoS 2 PUBLISH.

super::ack::publish_ack! {
    /// A PUBREC packet.
    PubRec
}
