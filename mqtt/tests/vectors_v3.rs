//! Byte-exact vectors for MQTT 3.1 and 3.1.1, written by hand from the 3.1.1 spec
//! (OASIS, 2014) and the 3.1 spec (IBM/Eurotech, 2010). Each vector is checked both
//! ways: the struct encodes to exactly these bytes, and these bytes decode to the
//! struct.

use bytes::{Bytes, BytesMut};
use mqtt::{
    ByteStr, ConnAck, Connect, Disconnect, LastWill, Packet, ProtocolVersion, PubAck, PubComp,
    PubRec, PubRel, Publish, QoS, ReasonCode, SubAck, Subscribe, SubscribeFilter, UnsubAck,
    Unsubscribe,
};

const V31: ProtocolVersion = ProtocolVersion::V3_1;
const V311: ProtocolVersion = ProtocolVersion::V3_1_1;

fn encode(version: ProtocolVersion, packet: &Packet) -> Vec<u8> {
    let mut buf = BytesMut::new();
    packet.encode(version, &mut buf).expect("encodes");
    buf.to_vec()
}

/// Encodes `packet` to exactly `bytes`, and decodes `bytes` back to `packet`.
fn both_ways(version: ProtocolVersion, packet: Packet, bytes: &[u8]) {
    assert_eq!(encode(version, &packet), bytes, "encoding {packet:?}");
    assert_eq!(packet.encoded_len(version), Ok(bytes.len()));
    assert_eq!(
        Packet::decode(version, Bytes::copy_from_slice(bytes)),
        Ok(packet),
        "decoding {bytes:02X?}"
    );
}

// 3.1.1 section 3.1: protocol name "MQTT", level 4, connect flags 0xCE = user name,
// password, will QoS 1, will flag, clean session; keep alive 10.
#[test]
fn connect_v311_with_will_and_credentials() {
    let packet = Packet::Connect(Box::new(Connect {
        protocol: V311,
        clean_start: true,
        keep_alive: 10,
        client_id: "cid".into(),
        will: Some(LastWill::new(
            "w/t",
            Bytes::from_static(b"bye"),
            QoS::AtLeastOnce,
        )),
        username: Some("user".into()),
        password: Some(Bytes::from_static(&[1, 2])),
        properties: Default::default(),
    }));
    #[rustfmt::skip]
    let bytes = [
        0x10, 35,                               // CONNECT, remaining length 35
        0x00, 0x04, b'M', b'Q', b'T', b'T',     // protocol name
        0x04,                                   // protocol level 4
        0xCE,                                   // connect flags
        0x00, 0x0A,                             // keep alive 10 s
        0x00, 0x03, b'c', b'i', b'd',           // client identifier
        0x00, 0x03, b'w', b'/', b't',           // will topic
        0x00, 0x03, b'b', b'y', b'e',           // will message
        0x00, 0x04, b'u', b's', b'e', b'r',     // user name
        0x00, 0x02, 0x01, 0x02,                 // password
    ];
    both_ways(V311, packet, &bytes);
}

// 3.1.1 section 3.1.2.4: clean session 0 with a non-empty client id; retained QoS 2
// will (flags 0x34 = will retain, will QoS 2, will flag).
#[test]
fn connect_v311_retained_will_no_clean_session() {
    let mut will = LastWill::new("t", Bytes::new(), QoS::ExactlyOnce);
    will.retain = true;
    let packet = Packet::Connect(Box::new(Connect {
        clean_start: false,
        keep_alive: 0,
        will: Some(will),
        ..Connect::new(V311, "a")
    }));
    #[rustfmt::skip]
    let bytes = [
        0x10, 18,
        0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04,
        0x34,                                   // will retain | will QoS 2 | will
        0x00, 0x00,
        0x00, 0x01, b'a',
        0x00, 0x01, b't',
        0x00, 0x00,                             // empty will message
    ];
    both_ways(V311, packet, &bytes);
}

// 3.1 spec, CONNECT: protocol name "MQIsdp", version 3.
#[test]
fn connect_v31() {
    let packet = Packet::Connect(Box::new(Connect {
        username: Some("u".into()),
        password: Some(Bytes::from_static(b"p")),
        ..Connect::new(V31, "a")
    }));
    #[rustfmt::skip]
    let bytes = [
        0x10, 21,
        0x00, 0x06, b'M', b'Q', b'I', b's', b'd', b'p',
        0x03,
        0xC2,                                   // user name | password | clean session
        0x00, 0x3C,
        0x00, 0x01, b'a',
        0x00, 0x01, b'u',
        0x00, 0x01, b'p',
    ];
    both_ways(V31, packet, &bytes);
}

// A CONNECT decodes with its own level whatever the decoder was told.
#[test]
fn connect_decodes_with_its_own_level() {
    let bytes = [
        0x10, 13, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, b'a',
    ];
    for configured in ProtocolVersion::ALL {
        assert_eq!(
            Packet::decode(configured, Bytes::copy_from_slice(&bytes)),
            Ok(Packet::Connect(Box::new(Connect::new(V311, "a"))))
        );
    }
}

// 3.1.1 section 3.2: acknowledge flags (bit 0 session present), return code.
#[test]
fn connack_v311() {
    let accepted = ConnAck {
        session_present: true,
        ..ConnAck::new(ReasonCode::Success)
    };
    both_ways(V311, Packet::ConnAck(accepted), &[0x20, 0x02, 0x01, 0x00]);
    let return_codes = [
        (0x01, ReasonCode::UnsupportedProtocolVersion),
        (0x02, ReasonCode::ClientIdentifierNotValid),
        (0x03, ReasonCode::ServerUnavailable),
        (0x04, ReasonCode::BadUserNameOrPassword),
        (0x05, ReasonCode::NotAuthorized),
    ];
    for (byte, code) in return_codes {
        both_ways(
            V311,
            Packet::ConnAck(ConnAck::new(code)),
            &[0x20, 0x02, 0x00, byte],
        );
    }
}

// 3.1 has no session present flag: the first byte is reserved.
#[test]
fn connack_v31_ignores_session_present() {
    both_ways(
        V31,
        Packet::ConnAck(ConnAck::new(ReasonCode::ClientIdentifierNotValid)),
        &[0x20, 0x02, 0x00, 0x02],
    );
    let resumed = ConnAck {
        session_present: true,
        ..ConnAck::new(ReasonCode::Success)
    };
    assert_eq!(
        encode(V31, &Packet::ConnAck(resumed)),
        [0x20, 0x02, 0x00, 0x00]
    );
}

// MQTT 5 CONNACK failures without a 3.1.1 return code become the nearest refusal.
#[test]
fn connack_v311_maps_mqtt5_failures() {
    let cases = [
        (ReasonCode::Banned, 0x05),
        (ReasonCode::BadAuthenticationMethod, 0x04),
        (ReasonCode::ServerBusy, 0x03),
        (ReasonCode::QuotaExceeded, 0x03),
    ];
    for (code, byte) in cases {
        assert_eq!(
            encode(V311, &Packet::ConnAck(ConnAck::new(code))),
            [0x20, 0x02, 0x00, byte],
            "{code}"
        );
    }
}

// 3.1.1 section 3.3: flags DUP (bit 3), QoS (bits 2-1), RETAIN (bit 0); topic name,
// packet identifier only when QoS > 0, then the payload to the end.
#[test]
fn publish_v311() {
    both_ways(
        V311,
        Packet::Publish(Publish::new("t", Bytes::new())),
        &[0x30, 0x03, 0x00, 0x01, b't'],
    );
    let qos1 = Publish {
        qos: QoS::AtLeastOnce,
        retain: true,
        packet_id: Some(10),
        ..Publish::new("a/b", Bytes::from_static(b"hi"))
    };
    #[rustfmt::skip]
    let bytes = [
        0x33, 9,                                // PUBLISH, QoS 1, RETAIN
        0x00, 0x03, b'a', b'/', b'b',
        0x00, 0x0A,                             // packet identifier 10
        b'h', b'i',
    ];
    both_ways(V311, Packet::Publish(qos1), &bytes);
    let qos2_dup = Publish {
        dup: true,
        qos: QoS::ExactlyOnce,
        packet_id: Some(0xFFFF),
        ..Publish::new("t", Bytes::new())
    };
    both_ways(
        V311,
        Packet::Publish(qos2_dup),
        &[0x3C, 0x05, 0x00, 0x01, b't', 0xFF, 0xFF],
    );
}

// A payload past 127 bytes takes a two-byte remaining length (spec 2.2.3).
#[test]
fn publish_two_byte_remaining_length() {
    let payload = Bytes::from(vec![0xAB; 200]);
    let packet = Packet::Publish(Publish::new("t", payload.clone()));
    let mut bytes = vec![0x30, 0xCB, 0x01, 0x00, 0x01, b't']; // 203 = 0x4B + 1 * 128
    bytes.extend_from_slice(&payload);
    both_ways(V311, packet, &bytes);
}

// 3.1.1 sections 3.4 - 3.7: each acknowledgement is the packet identifier alone;
// PUBREL's fixed header flags are 0b0010.
#[test]
fn publish_acknowledgements_v311() {
    for version in [V31, V311] {
        both_ways(
            version,
            Packet::PubAck(PubAck::new(10)),
            &[0x40, 0x02, 0x00, 0x0A],
        );
        both_ways(
            version,
            Packet::PubRec(PubRec::new(10)),
            &[0x50, 0x02, 0x00, 0x0A],
        );
        both_ways(
            version,
            Packet::PubRel(PubRel::new(10)),
            &[0x62, 0x02, 0x00, 0x0A],
        );
        both_ways(
            version,
            Packet::PubComp(PubComp::new(10)),
            &[0x70, 0x02, 0x00, 0x0A],
        );
    }
}

// Successful MQTT 5 outcomes drop away in 3.1.1, which has no reason codes.
#[test]
fn publish_ack_success_codes_dropped() {
    let ack = PubAck::with_code(1, ReasonCode::NoMatchingSubscribers);
    assert_eq!(encode(V311, &Packet::PubAck(ack)), [0x40, 0x02, 0x00, 0x01]);
}

// 3.1.1 section 3.8: fixed header 0x82; packet identifier; filter / requested QoS pairs.
#[test]
fn subscribe_v311() {
    let packet = Packet::Subscribe(Subscribe::new(
        1,
        vec![
            SubscribeFilter::new("a/b", QoS::AtLeastOnce),
            SubscribeFilter::new("#", QoS::ExactlyOnce),
        ],
    ));
    #[rustfmt::skip]
    let bytes = [
        0x82, 12,
        0x00, 0x01,
        0x00, 0x03, b'a', b'/', b'b', 0x01,
        0x00, 0x01, b'#', 0x02,
    ];
    both_ways(V311, packet.clone(), &bytes);
    both_ways(V31, packet, &bytes);
}

// 3.1.1 section 3.9: return codes 0x00, 0x01, 0x02 and 0x80 (failure).
#[test]
fn suback_v311() {
    let packet = Packet::SubAck(SubAck::new(
        1,
        vec![
            ReasonCode::GRANTED_QOS_0,
            ReasonCode::GrantedQoS1,
            ReasonCode::GrantedQoS2,
            ReasonCode::UnspecifiedError,
        ],
    ));
    both_ways(
        V311,
        packet,
        &[0x90, 0x06, 0x00, 0x01, 0x00, 0x01, 0x02, 0x80],
    );
    let refused = Packet::SubAck(SubAck::new(1, vec![ReasonCode::NotAuthorized]));
    assert_eq!(encode(V311, &refused), [0x90, 0x03, 0x00, 0x01, 0x80]);
    // Five codes: one byte past what fits in one word.
    let five = Packet::SubAck(SubAck::new(
        0x0102,
        vec![
            ReasonCode::GrantedQoS2,
            ReasonCode::NotAuthorized,
            ReasonCode::GrantedQoS1,
            ReasonCode::GRANTED_QOS_0,
            ReasonCode::QuotaExceeded,
        ],
    ));
    assert_eq!(
        encode(V311, &five),
        [0x90, 0x07, 0x01, 0x02, 0x02, 0x80, 0x01, 0x00, 0x80]
    );
}

// 3.1.1 sections 3.10 and 3.11: UNSUBSCRIBE 0xA2 with filters; UNSUBACK just the id.
#[test]
fn unsubscribe_and_unsuback_v311() {
    let packet = Packet::Unsubscribe(Unsubscribe::new(2, vec!["a/b".into(), ByteStr::from("#")]));
    #[rustfmt::skip]
    let bytes = [
        0xA2, 10,
        0x00, 0x02,
        0x00, 0x03, b'a', b'/', b'b',
        0x00, 0x01, b'#',
    ];
    both_ways(V311, packet, &bytes);
    both_ways(
        V311,
        Packet::UnsubAck(UnsubAck::new(2, vec![])),
        &[0xB0, 0x02, 0x00, 0x02],
    );
    let with_codes = UnsubAck::new(2, vec![ReasonCode::NoSubscriptionExisted]);
    assert_eq!(
        encode(V311, &Packet::UnsubAck(with_codes)),
        [0xB0, 0x02, 0x00, 0x02]
    );
}

// 3.1.1 sections 3.12 - 3.14: two-byte packets.
#[test]
fn ping_and_disconnect_v311() {
    for version in [V31, V311] {
        both_ways(version, Packet::PingReq, &[0xC0, 0x00]);
        both_ways(version, Packet::PingResp, &[0xD0, 0x00]);
        both_ways(
            version,
            Packet::Disconnect(Disconnect::default()),
            &[0xE0, 0x00],
        );
    }
}

// A server's decoder learns the level from CONNECT: a 3.1.1 UNSUBACK (no reason
// codes) is only valid once it knows the connection is not MQTT 5.
#[test]
fn decoder_learns_the_level_from_connect() {
    let mut decoder = mqtt::Decoder::new(1024);
    assert_eq!(decoder.protocol(), None);
    decoder.feed(&[
        0x10, 13, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, b'a',
    ]);
    decoder.feed(&[0xB0, 0x02, 0x00, 0x07]);
    assert_eq!(
        decoder.next_packet(),
        Ok(Some(Packet::Connect(Box::new(Connect::new(V311, "a")))))
    );
    assert_eq!(decoder.protocol(), Some(V311));
    assert_eq!(
        decoder.next_packet(),
        Ok(Some(Packet::UnsubAck(UnsubAck::new(7, vec![]))))
    );
    assert_eq!(decoder.next_packet(), Ok(None));
}
