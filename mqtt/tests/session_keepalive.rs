//! Keep-alive against a scripted server: PINGREQ after an idle interval, PINGRESP
//! answered with a round trip, a dead connection given up when PINGRESP never comes,
//! and no pings at all with keep-alive 0.

mod session_support;

use mqtt::client::{ConnectOptions, DisconnectReason, Event, OutgoingPublish, SessionState};
use mqtt::{Packet, ProtocolVersion};
use session_support::{app_events, connected};

fn with_keep_alive(keep_alive_secs: u16) -> ConnectOptions {
    ConnectOptions {
        keep_alive_secs,
        ping_timeout_ms: 2_000,
        ..ConnectOptions::new(ProtocolVersion::V3_1_1, "pinger")
    }
}

#[test]
fn idle_connection_pings_and_pingresp_reports_the_round_trip() {
    let (mut session, mut peer) = connected(with_keep_alive(10));
    assert_eq!(session.poll_timeout(), Some(10_000));
    session.handle_timeout(9_999);
    assert!(peer.received(&mut session).is_empty(), "not due yet");
    session.handle_timeout(10_000);
    assert_eq!(peer.received_one(&mut session), Packet::PingReq);
    assert_eq!(session.poll_timeout(), Some(12_000), "waiting for PINGRESP");
    peer.send(&mut session, 10_035, Packet::PingResp)
        .expect("PINGRESP");
    assert_eq!(
        app_events(&mut session),
        vec![Event::Pong { round_trip_ms: 35 }]
    );
    assert_eq!(session.poll_timeout(), Some(20_000));
}

#[test]
fn sending_postpones_the_ping() {
    let (mut session, mut peer) = connected(with_keep_alive(10));
    session
        .publish(6_000, OutgoingPublish::new("t", "x"))
        .expect("published");
    let _ = peer.received(&mut session);
    assert_eq!(session.poll_timeout(), Some(16_000));
    session.handle_timeout(10_000);
    assert!(peer.received(&mut session).is_empty());
}

#[test]
fn missing_pingresp_ends_the_connection() {
    let (mut session, mut peer) = connected(with_keep_alive(10));
    session.handle_timeout(10_000);
    assert_eq!(peer.received_one(&mut session), Packet::PingReq);
    session.handle_timeout(11_999);
    assert_eq!(session.state(), SessionState::Connected);
    session.handle_timeout(12_000);
    assert_eq!(session.state(), SessionState::Disconnected);
    assert_eq!(
        app_events(&mut session),
        vec![Event::Disconnected(DisconnectReason::PingTimeout {
            waited_ms: 2_000
        })]
    );
    assert_eq!(session.poll_timeout(), None);
}

#[test]
fn keep_alive_zero_never_pings() {
    let (mut session, mut peer) = connected(with_keep_alive(0));
    assert_eq!(session.poll_timeout(), None);
    session.handle_timeout(u64::MAX / 2);
    assert!(peer.received(&mut session).is_empty());
    assert_eq!(session.state(), SessionState::Connected);
}
