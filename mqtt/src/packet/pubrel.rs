//! PUBREL (spec 3.6): the sender's release of a QoS 2 message after PUBREC; fixed header flags 0b0010.

super::ack::publish_ack! {
    /// A PUBREL packet.
    PubRel
}
