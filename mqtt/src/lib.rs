//! The MQTT protocol and nothing else: packets of MQTT 3.1, 3.1.1 and 5.0 with their
//! encoder and streaming decoder, topic names and filters, and a sans-I/O client session.
//! No sockets, no async runtime: it builds for `wasm32-unknown-unknown` and for the host.

pub mod topic;
pub use topic::{
    filter_has_wildcards, topic_matches, validate_topic_filter, validate_topic_name,
    SharedSubscription, TopicError,
};

pub mod bytestr;
mod codec;
pub mod decoder;
pub mod error;
pub mod packet;
pub mod properties;
pub mod protocol;
pub mod reason;
pub use bytestr::ByteStr;
pub use decoder::Decoder;
pub use error::{DecodeError, EncodeError, InvalidValue};
pub use packet::{
    Auth, ConnAck, Connect, Disconnect, Filters, FiltersIntoIter, LastWill, Packet, PubAck,
    PubComp, PubRec, PubRel, Publish, SubAck, Subscribe, SubscribeFilter, SubscriptionOptions,
    UnsubAck, Unsubscribe,
};
pub use properties::{Properties, PropertyContext, PropertyId, PropertyValues};
pub use protocol::{PacketType, ProtocolVersion, QoS, RetainHandling};
pub use reason::{ConnectReturnCode, ReasonCode};

pub mod client;
pub use client::{
    ClientSession, ConnectOptions, Event, OutgoingPublish, SessionError, SessionState,
};
