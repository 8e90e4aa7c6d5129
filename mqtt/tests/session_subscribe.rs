//! SUBSCRIBE and UNSUBSCRIBE against a scripted server: each acknowledgement is
//! reported with the filters that were asked for and a result per filter, whatever
//! order the acknowledgements come in; bad filters and unsupported features are
//! refused before anything is sent.

mod session_support;

use mqtt::client::{Event, SessionError, SubscribeResult, UnsubscribeResult};
use mqtt::{
    ByteStr, Packet, PacketType, Properties, PropertyValues, ProtocolVersion, QoS, ReasonCode,
    RetainHandling, SubAck, SubscribeFilter, SubscriptionOptions, UnsubAck,
};
use session_support::{app_events, connack_with, connect_with, connected, options};

fn sent_subscribe(packet: Packet) -> mqtt::Subscribe {
    match packet {
        Packet::Subscribe(subscribe) => subscribe,
        other => panic!("expected SUBSCRIBE, got {other:?}"),
    }
}

#[test]
fn subacks_are_correlated_with_their_subscribes_in_any_order() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let detailed = SubscribeFilter {
        filter: ByteStr::from("b/#"),
        options: SubscriptionOptions {
            qos: QoS::ExactlyOnce,
            no_local: true,
            retain_as_published: true,
            retain_handling: RetainHandling::DoNotSend,
        },
    };
    let first = session
        .subscribe(
            1,
            vec![SubscribeFilter::new("a/+", QoS::AtLeastOnce)],
            Properties::default(),
        )
        .expect("subscribe a");
    let second = session
        .subscribe(
            1,
            vec![detailed.clone(), SubscribeFilter::new("c", QoS::AtMostOnce)],
            Properties::from(PropertyValues {
                subscription_identifiers: vec![7],
                ..PropertyValues::default()
            }),
        )
        .expect("subscribe b, c");
    assert_ne!(first, second);
    let sent: Vec<mqtt::Subscribe> = peer
        .received(&mut session)
        .into_iter()
        .map(sent_subscribe)
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[1].filters,
        vec![detailed.clone(), SubscribeFilter::new("c", QoS::AtMostOnce)]
    );
    assert_eq!(sent[1].properties.subscription_identifiers, vec![7]);

    peer.send(
        &mut session,
        2,
        SubAck::new(
            second,
            vec![ReasonCode::GrantedQoS2, ReasonCode::NotAuthorized],
        ),
    )
    .expect("SUBACK second");
    peer.send(
        &mut session,
        3,
        SubAck::new(first, vec![ReasonCode::GrantedQoS1]),
    )
    .expect("SUBACK first");
    let events = app_events(&mut session);
    assert_eq!(
        events,
        vec![
            Event::Subscribed {
                packet_id: second,
                results: vec![
                    SubscribeResult {
                        filter: detailed,
                        code: ReasonCode::GrantedQoS2
                    },
                    SubscribeResult {
                        filter: SubscribeFilter::new("c", QoS::AtMostOnce),
                        code: ReasonCode::NotAuthorized
                    },
                ],
                properties: Properties::default(),
            },
            Event::Subscribed {
                packet_id: first,
                results: vec![SubscribeResult {
                    filter: SubscribeFilter::new("a/+", QoS::AtLeastOnce),
                    code: ReasonCode::GrantedQoS1
                }],
                properties: Properties::default(),
            },
        ]
    );
    let Event::Subscribed { results, .. } = &events[0] else {
        unreachable!()
    };
    assert_eq!(results[0].granted_qos(), Some(QoS::ExactlyOnce));
    assert_eq!(results[1].granted_qos(), None);
    assert_eq!(results[1].code_name(), "Not authorized");
    assert_eq!(session.packet_ids_in_use(), 0);
}

#[test]
fn v311_suback_failure_and_unsuback_without_codes() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V3_1_1));
    let sub = session
        .subscribe(
            1,
            vec![
                SubscribeFilter::new("x", QoS::AtMostOnce),
                SubscribeFilter::new("y", QoS::AtLeastOnce),
            ],
            Properties::default(),
        )
        .expect("subscribe");
    let _ = peer.received(&mut session);
    peer.send(
        &mut session,
        2,
        SubAck::new(
            sub,
            vec![ReasonCode::GRANTED_QOS_0, ReasonCode::UnspecifiedError],
        ),
    )
    .expect("SUBACK");
    let events = app_events(&mut session);
    let [Event::Subscribed { results, .. }] = events.as_slice() else {
        panic!("{events:#?}");
    };
    assert_eq!(results[0].code_name(), "Granted QoS 0");
    assert_eq!(results[1].code, ReasonCode::UnspecifiedError);

    let unsub = session
        .unsubscribe(3, ["x", "y"], Properties::default())
        .expect("unsubscribe");
    match peer.received_one(&mut session) {
        Packet::Unsubscribe(unsubscribe) => {
            assert_eq!(unsubscribe.packet_id, unsub);
            assert_eq!(
                unsubscribe.filters,
                vec![ByteStr::from("x"), ByteStr::from("y")]
            );
        }
        other => panic!("expected UNSUBSCRIBE, got {other:?}"),
    }
    peer.send(&mut session, 4, UnsubAck::new(unsub, vec![]))
        .expect("UNSUBACK");
    assert_eq!(
        app_events(&mut session),
        vec![Event::Unsubscribed {
            packet_id: unsub,
            results: vec![
                UnsubscribeResult {
                    filter: ByteStr::from("x"),
                    code: ReasonCode::Success
                },
                UnsubscribeResult {
                    filter: ByteStr::from("y"),
                    code: ReasonCode::Success
                },
            ],
            properties: Properties::default(),
        }]
    );
}

#[test]
fn v5_unsuback_carries_a_code_per_filter() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let unsub = session
        .unsubscribe(
            1,
            vec![String::from("p"), String::from("q")],
            Properties::default(),
        )
        .expect("unsubscribe");
    let _ = peer.received(&mut session);
    peer.send(
        &mut session,
        2,
        UnsubAck::new(
            unsub,
            vec![ReasonCode::Success, ReasonCode::NoSubscriptionExisted],
        ),
    )
    .expect("UNSUBACK");
    let events = app_events(&mut session);
    let [Event::Unsubscribed { results, .. }] = events.as_slice() else {
        panic!("{events:#?}");
    };
    assert_eq!(results[1].filter, "q");
    assert_eq!(results[1].code, ReasonCode::NoSubscriptionExisted);
}

#[test]
fn suback_with_the_wrong_number_of_codes_ends_the_connection() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let sub = session
        .subscribe(
            1,
            vec![SubscribeFilter::new("a", QoS::AtMostOnce)],
            Properties::default(),
        )
        .expect("subscribe");
    let _ = peer.received(&mut session);
    let result = peer.send(
        &mut session,
        2,
        SubAck::new(sub, vec![ReasonCode::Success, ReasonCode::Success]),
    );
    assert_eq!(
        result,
        Err(SessionError::AckCountMismatch {
            packet: PacketType::SubAck,
            packet_id: sub,
            expected: 1,
            received: 2
        })
    );
    assert!(matches!(
        peer.received(&mut session).as_slice(),
        [Packet::Disconnect(disconnect)] if disconnect.code == ReasonCode::ProtocolError
    ));
}

#[test]
fn bad_filters_are_refused_before_sending() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    assert_eq!(
        session.subscribe(1, vec![], Properties::default()),
        Err(SessionError::NoTopicFilters {
            packet: PacketType::Subscribe
        })
    );
    assert!(matches!(
        session.subscribe(1, vec![SubscribeFilter::new("a/#/b", QoS::AtMostOnce)], Properties::default()),
        Err(SessionError::InvalidTopicFilter { filter, .. }) if filter == "a/#/b"
    ));
    assert!(matches!(
        session.unsubscribe(1, ["a+"], Properties::default()),
        Err(SessionError::InvalidTopicFilter { .. })
    ));
    assert_eq!(
        session.unsubscribe(1, Vec::<String>::new(), Properties::default()),
        Err(SessionError::NoTopicFilters {
            packet: PacketType::Unsubscribe
        })
    );
    assert!(peer.received(&mut session).is_empty());
    assert_eq!(session.packet_ids_in_use(), 0);
}

#[test]
fn unsupported_subscription_features_are_refused() {
    let (mut session, mut peer) = connect_with(
        options(ProtocolVersion::V5),
        connack_with(Properties::from(PropertyValues {
            wildcard_subscription_available: Some(false),
            shared_subscription_available: Some(false),
            subscription_identifier_available: Some(false),
            ..PropertyValues::default()
        })),
    );
    assert!(matches!(
        session.subscribe(
            1,
            vec![SubscribeFilter::new("a/+", QoS::AtMostOnce)],
            Properties::default()
        ),
        Err(SessionError::WildcardSubscriptionsNotSupported { .. })
    ));
    assert!(matches!(
        session.subscribe(
            1,
            vec![SubscribeFilter::new("$share/g/a", QoS::AtMostOnce)],
            Properties::default()
        ),
        Err(SessionError::SharedSubscriptionsNotSupported { .. })
    ));
    assert_eq!(
        session.subscribe(
            1,
            vec![SubscribeFilter::new("a", QoS::AtMostOnce)],
            Properties::from(PropertyValues {
                subscription_identifiers: vec![1],
                ..PropertyValues::default()
            })
        ),
        Err(SessionError::SubscriptionIdentifiersNotSupported)
    );
    assert!(peer.received(&mut session).is_empty());
    session
        .subscribe(
            1,
            vec![SubscribeFilter::new("plain", QoS::AtMostOnce)],
            Properties::default(),
        )
        .expect("a plain filter is fine");
}
