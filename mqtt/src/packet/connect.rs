//! CONNECT (spec 3.1): the first packet a client sends, naming the protocol level,
//! the session, the will and the credentials.

use bytes::{BufMut, Bytes, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::decode::Decoded;
use crate::codec::reader::Reader;
use crate::codec::spare::write_packet;
use crate::codec::writer::{binary_len, byte_str_len, put_prefixed, sendable_binary_len};
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion, QoS};

const CONTEXT: PropertyContext = PropertyContext::Packet(PacketType::Connect);

/// The connect flags byte (spec 3.1.2.3).
mod flags {
    pub const RESERVED: u8 = 0b0000_0001;
    pub const CLEAN_START: u8 = 0b0000_0010;
    pub const WILL: u8 = 0b0000_0100;
    pub const WILL_QOS_SHIFT: u8 = 3;
    pub const WILL_QOS: u8 = 0b0001_1000;
    pub const WILL_RETAIN: u8 = 0b0010_0000;
    pub const PASSWORD: u8 = 0b0100_0000;
    pub const USERNAME: u8 = 0b1000_0000;
}

/// MQTT 3.1 limits client identifiers to 1..=23 characters (3.1 spec, CONNECT payload).
const V3_1_MAX_CLIENT_ID_CHARS: usize = 23;

/// A CONNECT packet. `clean_start` is 3.1.1's "clean session".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    pub protocol: ProtocolVersion,
    pub clean_start: bool,
    /// Seconds; 0 turns keep-alive off.
    pub keep_alive: u16,
    pub client_id: ByteStr,
    pub will: Option<LastWill>,
    pub username: Option<ByteStr>,
    pub password: Option<Bytes>,
    /// MQTT 5 only; ignored when encoding for 3.1 / 3.1.1.
    pub properties: Properties,
}

/// The will message the server publishes if the connection ends abnormally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastWill {
    pub topic: ByteStr,
    pub payload: Bytes,
    pub qos: QoS,
    pub retain: bool,
    /// MQTT 5 will properties; ignored when encoding for 3.1 / 3.1.1.
    pub properties: Properties,
}

impl Connect {
    /// A clean-start CONNECT with a 60 second keep-alive and nothing else.
    pub fn new(protocol: ProtocolVersion, client_id: impl Into<ByteStr>) -> Self {
        Self {
            protocol,
            clean_start: true,
            keep_alive: 60,
            client_id: client_id.into(),
            will: None,
            username: None,
            password: None,
            properties: Properties::default(),
        }
    }
}

impl LastWill {
    /// A will at `qos`, not retained, without properties.
    pub fn new(topic: impl Into<ByteStr>, payload: impl Into<Bytes>, qos: QoS) -> Self {
        Self {
            topic: topic.into(),
            payload: payload.into(),
            qos,
            retain: false,
            properties: Properties::default(),
        }
    }
}

impl Connect {
    /// The encoded variable header and payload size; CONNECT always encodes for its
    /// own `protocol`.
    pub(crate) fn body_len(&self) -> Result<usize, EncodeError> {
        let version = self.protocol;
        if !version.is_v5() && self.password.is_some() && self.username.is_none() {
            return Err(EncodeError::PasswordWithoutUsername { version });
        }
        // Protocol name, level, flags, keep-alive.
        let mut len = 2 + version.protocol_name().len() + 1 + 1 + 2;
        if version.is_v5() {
            len += self.properties.encoded_len(CONTEXT)?;
        }
        len += byte_str_len(&self.client_id, "client identifier")?;
        if let Some(will) = &self.will {
            if version.is_v5() {
                len += will.properties.encoded_len(PropertyContext::Will)?;
            }
            len += byte_str_len(&will.topic, "will topic")?;
            len += binary_len(&will.payload, "will payload")?;
        }
        if let Some(username) = &self.username {
            len += byte_str_len(username, "user name")?;
        }
        if let Some(password) = &self.password {
            len += binary_len(password, "password")?;
        }
        Ok(len)
    }

    /// Appends the packet if it can be sent as is and has no properties (nor its
    /// will), and says whether it did; otherwise nothing is written and the
    /// caller takes the general path, which also reports what is wrong.
    #[inline]
    pub(crate) fn encode_if_usual(&self, buf: &mut BytesMut) -> bool {
        let version = self.protocol;
        let v5 = version.is_v5();
        let will_properties = self
            .will
            .as_ref()
            .and_then(|will| will.properties.allocated());
        if self.properties.allocated().is_some() || will_properties.is_some() {
            return false;
        }
        if !v5 && self.password.is_some() && self.username.is_none() {
            return false;
        }
        let name = version.protocol_name().as_bytes();
        let properties_len = usize::from(v5);
        let mut len = 2 + name.len() + 1 + 1 + 2 + properties_len;
        let mut add = |part: Option<usize>| part.map(|part_len| len += part_len).is_some();
        let sendable = add(self.client_id.sendable_len())
            && self.will.as_ref().is_none_or(|will| {
                add(Some(properties_len))
                    && add(will.topic.sendable_len())
                    && add(sendable_binary_len(&will.payload))
            })
            && self
                .username
                .as_ref()
                .is_none_or(|name| add(name.sendable_len()))
            && self
                .password
                .as_ref()
                .is_none_or(|word| add(sendable_binary_len(word)));
        if !sendable {
            return false;
        }
        write_packet(buf, PacketType::Connect, len, |out| {
            out.put_prefixed(name);
            out.put(&[version.level(), self.flags()]);
            out.put(&self.keep_alive.to_be_bytes());
            if v5 {
                out.put_u8(0);
            }
            out.put_string(&self.client_id);
            if let Some(will) = &self.will {
                if v5 {
                    out.put_u8(0);
                }
                out.put_string(&will.topic);
                out.put_prefixed(&will.payload);
            }
            if let Some(username) = &self.username {
                out.put_string(username);
            }
            if let Some(password) = &self.password {
                out.put_prefixed(password);
            }
        })
    }

    fn flags(&self) -> u8 {
        let mut byte = 0;
        if self.clean_start {
            byte |= flags::CLEAN_START;
        }
        if let Some(will) = &self.will {
            byte |= flags::WILL | will.qos.level() << flags::WILL_QOS_SHIFT;
            if will.retain {
                byte |= flags::WILL_RETAIN;
            }
        }
        if self.password.is_some() {
            byte |= flags::PASSWORD;
        }
        if self.username.is_some() {
            byte |= flags::USERNAME;
        }
        byte
    }

    pub(crate) fn put_body(&self, buf: &mut BytesMut) {
        let version = self.protocol;
        put_prefixed(buf, version.protocol_name().as_bytes());
        buf.put_u8(version.level());
        buf.put_u8(self.flags());
        buf.put_u16(self.keep_alive);
        if version.is_v5() {
            self.properties.put(buf);
        }
        put_prefixed(buf, self.client_id.as_bytes());
        if let Some(will) = &self.will {
            if version.is_v5() {
                will.properties.put(buf);
            }
            put_prefixed(buf, will.topic.as_bytes());
            put_prefixed(buf, &will.payload);
        }
        if let Some(username) = &self.username {
            put_prefixed(buf, username.as_bytes());
        }
        if let Some(password) = &self.password {
            put_prefixed(buf, password);
        }
    }

    /// Decodes a CONNECT body with the protocol level it names itself, in place (see
    /// [`crate::codec::decode`]): only the two property sets are moved into it.
    pub(crate) fn decode<O: Decoded>(reader: &mut Reader, failed: &mut Option<DecodeError>) -> O {
        let mut properties = Properties::new();
        let mut will_properties = Properties::new();
        match read_fields(reader, &mut properties, &mut will_properties) {
            Ok(fields) => O::packet(Packet::Connect(Box::new(Self {
                protocol: fields.protocol,
                clean_start: fields.clean_start,
                keep_alive: fields.keep_alive,
                client_id: fields.client_id,
                will: fields.will.map(|will| LastWill {
                    topic: will.topic,
                    payload: will.payload,
                    qos: will.qos,
                    retain: will.retain,
                    properties: will_properties,
                }),
                username: fields.username,
                password: fields.password,
                properties,
            }))),
            Err(error) => O::failed(error, failed),
        }
    }
}

/// A decoded CONNECT but for its property sets.
struct Fields {
    protocol: ProtocolVersion,
    clean_start: bool,
    keep_alive: u16,
    client_id: ByteStr,
    will: Option<WillFields>,
    username: Option<ByteStr>,
    password: Option<Bytes>,
}

/// A decoded will but for its properties.
struct WillFields {
    topic: ByteStr,
    payload: Bytes,
    qos: QoS,
    retain: bool,
}

/// Reads a CONNECT body, its properties into `properties` and the will's into
/// `will_properties` (MQTT 5 only).
fn read_fields(
    reader: &mut Reader,
    properties: &mut Properties,
    will_properties: &mut Properties,
) -> Result<Fields, DecodeError> {
    let protocol = decode_protocol(reader)?;
    let flags = reader.u8("connect flags")?;
    check_flags(flags, protocol)?;
    let clean_start = flags & flags::CLEAN_START != 0;
    let keep_alive = reader.u16("keep alive")?;
    if protocol.is_v5() {
        properties.read_from(reader, CONTEXT)?;
    }
    let client_id = reader.string("client identifier")?;
    let will = if flags & flags::WILL != 0 {
        Some(read_will(reader, flags, protocol, will_properties)?)
    } else {
        None
    };
    let username = if flags & flags::USERNAME != 0 {
        Some(reader.string("user name")?)
    } else {
        None
    };
    let password = if flags & flags::PASSWORD != 0 {
        Some(reader.binary("password")?)
    } else {
        None
    };
    reader.finish("payload")?;
    // Checked last: a malformed packet is reported as malformed, not as a bad id.
    check_client_id(&client_id, clean_start, protocol)?;
    Ok(Fields {
        protocol,
        clean_start,
        keep_alive,
        client_id,
        will,
        username,
        password,
    })
}

fn read_will(
    reader: &mut Reader,
    flags: u8,
    protocol: ProtocolVersion,
    properties: &mut Properties,
) -> Result<WillFields, DecodeError> {
    if protocol.is_v5() {
        properties.read_from(reader, PropertyContext::Will)?;
    }
    let qos = QoS::try_from((flags & flags::WILL_QOS) >> flags::WILL_QOS_SHIFT)
        .map_err(|_| DecodeError::WillQoS3)?;
    Ok(WillFields {
        topic: reader.string("will topic")?,
        payload: reader.binary("will payload")?,
        qos,
        retain: flags & flags::WILL_RETAIN != 0,
    })
}

/// Reads protocol name and level: the level decides the version, and the name must
/// be the one that level goes with (spec 3.1.2.1 and 3.1.2.2).
fn decode_protocol(reader: &mut Reader) -> Result<ProtocolVersion, DecodeError> {
    let name_len = reader.u16("protocol name")?;
    let name = reader.take(usize::from(name_len), "protocol name")?;
    let level = reader.u8("protocol level")?;
    let protocol = ProtocolVersion::from_level(level)
        .ok_or(DecodeError::UnsupportedProtocolLevel { level })?;
    if name.as_ref() != protocol.protocol_name().as_bytes() {
        let shown: String = String::from_utf8_lossy(&name).chars().take(32).collect();
        return Err(DecodeError::ProtocolNameMismatch { name: shown, level });
    }
    Ok(protocol)
}

fn check_flags(flags: u8, protocol: ProtocolVersion) -> Result<(), DecodeError> {
    if flags & flags::RESERVED != 0 {
        return Err(DecodeError::ConnectReservedFlag);
    }
    if flags & flags::WILL == 0 && flags & (flags::WILL_QOS | flags::WILL_RETAIN) != 0 {
        return Err(DecodeError::WillFlagsWithoutWill);
    }
    if flags & flags::WILL_QOS == flags::WILL_QOS {
        return Err(DecodeError::WillQoS3);
    }
    if !protocol.is_v5() && flags & flags::PASSWORD != 0 && flags & flags::USERNAME == 0 {
        return Err(DecodeError::PasswordWithoutUsername { version: protocol });
    }
    Ok(())
}

/// The client identifier rules that make a server answer "identifier rejected".
fn check_client_id(
    client_id: &str,
    clean_start: bool,
    protocol: ProtocolVersion,
) -> Result<(), DecodeError> {
    let reason = match protocol {
        ProtocolVersion::V3_1
            if client_id.is_empty() || client_id.chars().count() > V3_1_MAX_CLIENT_ID_CHARS =>
        {
            "MQTT 3.1 requires 1 to 23 characters"
        }
        ProtocolVersion::V3_1_1 if client_id.is_empty() && !clean_start => {
            "an empty client identifier requires clean session in MQTT 3.1.1"
        }
        _ => return Ok(()),
    };
    Err(DecodeError::ClientIdRejected {
        version: protocol,
        reason,
    })
}
