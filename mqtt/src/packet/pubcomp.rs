//! PUBCOMP (spec 3.7): the last step of the QoS 2 handshake.

super::ack::publish_ack! {
    /// A PUBCOMP packet.
    PubComp
}
