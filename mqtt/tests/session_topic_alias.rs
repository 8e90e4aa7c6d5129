//! Topic aliases against a scripted MQTT 5 server: the server's aliases resolved to
//! topic names (and misuse ending the connection with the right reason code), and our
//! own aliases chosen within the server's Topic Alias Maximum.

mod session_support;

use mqtt::client::{ConnectOptions, DisconnectReason, Event, OutgoingPublish, SessionError};
use mqtt::{Disconnect, Packet, Properties, PropertyValues, ProtocolVersion, Publish, ReasonCode};
use session_support::{app_events, connack_with, connect_with, connected};

fn aliased(topic: &str, alias: u16) -> Publish {
    let mut publish = Publish::new(topic, "v");
    publish.properties.topic_alias = Some(alias);
    publish
}

fn accepting_aliases(maximum: u16) -> ConnectOptions {
    ConnectOptions {
        topic_alias_maximum: Some(maximum),
        ..ConnectOptions::new(ProtocolVersion::V5, "aliases")
    }
}

fn sent_disconnect_code(packets: Vec<Packet>) -> ReasonCode {
    match packets.as_slice() {
        [Packet::Disconnect(Disconnect { code, .. })] => *code,
        other => panic!("expected one DISCONNECT, got {other:#?}"),
    }
}

#[test]
fn inbound_alias_maps_to_the_topic_it_was_set_with() {
    let (mut session, peer) = connected(accepting_aliases(5));
    peer.send(&mut session, 1, aliased("sensors/kitchen/temp", 2))
        .expect("sets alias 2");
    peer.send(&mut session, 2, aliased("", 2))
        .expect("uses alias 2");
    peer.send(&mut session, 3, aliased("sensors/hall/temp", 2))
        .expect("remaps alias 2");
    peer.send(&mut session, 4, aliased("", 2))
        .expect("uses alias 2");
    let topics: Vec<String> = app_events(&mut session)
        .into_iter()
        .filter_map(|event| match event {
            Event::Message(publish) => Some(publish.topic.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        topics,
        [
            "sensors/kitchen/temp",
            "sensors/kitchen/temp",
            "sensors/hall/temp",
            "sensors/hall/temp"
        ]
    );
}

#[test]
fn unknown_inbound_alias_is_a_protocol_error() {
    let (mut session, mut peer) = connected(accepting_aliases(5));
    let result = peer.send(&mut session, 1, aliased("", 4));
    assert_eq!(result, Err(SessionError::UnknownTopicAlias { alias: 4 }));
    assert_eq!(
        sent_disconnect_code(peer.received(&mut session)),
        ReasonCode::ProtocolError
    );
    let events = app_events(&mut session);
    assert!(
        matches!(
            events.as_slice(),
            [
                Event::ProtocolError(SessionError::UnknownTopicAlias { alias: 4 }),
                Event::Disconnected(DisconnectReason::ProtocolError {
                    code: ReasonCode::ProtocolError,
                    ..
                })
            ]
        ),
        "{events:#?}"
    );
}

#[test]
fn inbound_alias_above_our_maximum_is_topic_alias_invalid() {
    let (mut session, mut peer) = connected(accepting_aliases(3));
    let result = peer.send(&mut session, 1, aliased("t", 4));
    assert_eq!(
        result,
        Err(SessionError::TopicAliasOutOfRange {
            alias: 4,
            maximum: 3
        })
    );
    assert_eq!(
        sent_disconnect_code(peer.received(&mut session)),
        ReasonCode::TopicAliasInvalid
    );
}

#[test]
fn inbound_alias_without_any_allowed_is_topic_alias_invalid() {
    let (mut session, mut peer) = connected(ConnectOptions::new(ProtocolVersion::V5, "none"));
    assert!(peer.send(&mut session, 1, aliased("t", 1)).is_err());
    assert_eq!(
        sent_disconnect_code(peer.received(&mut session)),
        ReasonCode::TopicAliasInvalid
    );
}

fn sent_topics_and_aliases(packets: Vec<Packet>) -> Vec<(String, Option<u16>)> {
    packets
        .into_iter()
        .map(|packet| match packet {
            Packet::Publish(publish) => (publish.topic.to_string(), publish.properties.topic_alias),
            other => panic!("expected PUBLISH, got {other:?}"),
        })
        .collect()
}

#[test]
fn outbound_aliases_replace_repeated_topics_up_to_the_servers_maximum() {
    let options = ConnectOptions {
        outgoing_topic_aliases: true,
        ..ConnectOptions::new(ProtocolVersion::V5, "aliaser")
    };
    let (mut session, mut peer) = connect_with(
        options,
        connack_with(Properties::from(PropertyValues {
            topic_alias_maximum: Some(1),
            ..PropertyValues::default()
        })),
    );
    for topic in [
        "long/topic/name",
        "long/topic/name",
        "other",
        "long/topic/name",
    ] {
        session
            .publish(1, OutgoingPublish::new(topic, "x"))
            .expect("published");
    }
    assert_eq!(
        sent_topics_and_aliases(peer.received(&mut session)),
        vec![
            ("long/topic/name".to_owned(), Some(1)),
            (String::new(), Some(1)),
            ("other".to_owned(), None),
            (String::new(), Some(1)),
        ]
    );

    // Aliases die with the connection: the next one establishes them again.
    session.transport_closed(2, "gone");
    session.connect(3).expect("reconnect");
    let _ = peer.received(&mut session);
    peer.send(
        &mut session,
        4,
        connack_with(Properties::from(PropertyValues {
            topic_alias_maximum: Some(1),
            ..PropertyValues::default()
        })),
    )
    .expect("CONNACK");
    session
        .publish(5, OutgoingPublish::new("long/topic/name", "x"))
        .expect("published");
    assert_eq!(
        sent_topics_and_aliases(peer.received(&mut session)),
        vec![("long/topic/name".to_owned(), Some(1))]
    );
}

#[test]
fn without_outbound_aliasing_the_applications_alias_is_sent_and_checked() {
    let (mut session, mut peer) = connect_with(
        ConnectOptions::new(ProtocolVersion::V5, "manual"),
        connack_with(Properties::from(PropertyValues {
            topic_alias_maximum: Some(2),
            ..PropertyValues::default()
        })),
    );
    let with_alias = |topic: &str, alias| {
        OutgoingPublish::new(topic, "x").with_properties(Properties::from(PropertyValues {
            topic_alias: Some(alias),
            ..PropertyValues::default()
        }))
    };
    session
        .publish(1, with_alias("a/b", 2))
        .expect("sets alias");
    session.publish(1, with_alias("", 2)).expect("uses alias");
    assert_eq!(
        sent_topics_and_aliases(peer.received(&mut session)),
        vec![("a/b".to_owned(), Some(2)), (String::new(), Some(2))]
    );
    assert_eq!(
        session.publish(1, with_alias("a/b", 3)),
        Err(SessionError::OutgoingTopicAliasInvalid {
            alias: 3,
            maximum: 2
        })
    );
}
