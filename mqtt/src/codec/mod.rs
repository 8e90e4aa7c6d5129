//! Wire primitives shared by every packet: the fixed header, variable byte integers,
//! length-prefixed strings and binary data, read from a bounds-checked cursor and
//! written into a `BytesMut`, plus `Packet`'s encode and decode entry points.

pub(crate) mod decode;
pub(crate) mod header;
pub(crate) mod packet;
pub(crate) mod reader;
pub(crate) mod spare;
pub(crate) mod text;
pub(crate) mod varint;
pub(crate) mod writer;
