//! Runs one connection in the browser: opens the WebSocket (subprotocol `mqtt`, binary
//! frames), feeds the session the bytes, the time and the user's commands, writes what
//! it wants sent, arms a timer for its next deadline, and reports to the UI in batches.
//! Reconnects with backoff when the profile asks for it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::{FutureExt, SinkExt, StreamExt};
use gloo_net::websocket::{futures::WebSocket, Message, WebSocketError};
use leptos::prelude::{Set, WithUntracked};
use mqtt::client::{ClientSession, DisconnectReason, Event, SessionState};
use mqtt::{Properties, ReasonCode};

use super::clock::{monotonic_ms, wall_ms};
use super::deadline::DeadlineTimer;
use super::events::{apply_event, Applied};
use super::options::connect_options;
use super::scram_state::ScramState;
use crate::model::profile::ConnectionProfile;
use crate::platform::FRAME_SLICE_MS;
use crate::state::{ConnectionRuntime, LinkStatus, LogLevel};

/// What the UI can ask of a running connection.
pub enum Command {
    Disconnect,
    Publish(mqtt::client::OutgoingPublish),
    Subscribe(Vec<mqtt::SubscribeFilter>, Properties),
    Unsubscribe(Vec<String>),
}

thread_local! {
    static RUNNING: RefCell<HashMap<String, UnboundedSender<Command>>> = RefCell::new(HashMap::new());
}

/// Reads the connection's saved profile as it is now (subscriptions change while live).
pub type CurrentProfile = Rc<dyn Fn() -> Option<ConnectionProfile>>;

use crate::messages::{Direction, MessageRecord};
use crate::state::messages::{store as message_store, SharedStore};

/// Starts connection `profile` unless it is already running.
pub fn start(profile: ConnectionProfile, runtime: ConnectionRuntime, current: CurrentProfile) {
    let id = profile.id.clone();
    let already =
        RUNNING.with(|running| running.borrow().get(&id).is_some_and(|tx| !tx.is_closed()));
    if already {
        return;
    }
    let (tx, rx) = unbounded();
    RUNNING.with(|running| running.borrow_mut().insert(id.clone(), tx));
    wasm_bindgen_futures::spawn_local(async move {
        run(profile, runtime, rx, current).await;
        RUNNING.with(|running| running.borrow_mut().remove(&id));
    });
}

/// Sends a command to running connection `id`; false when it is not running.
pub fn send(id: &str, command: Command) -> bool {
    RUNNING.with(|running| {
        running
            .borrow()
            .get(id)
            .is_some_and(|tx| tx.unbounded_send(command).is_ok())
    })
}

/// How one transport's life ended.
enum Outcome {
    /// The user pressed Disconnect.
    Closed,
    /// Lost: reconnecting may help.
    Lost { reason: String, was_connected: bool },
    /// Refused or taken over: reconnecting would only repeat it.
    Fatal(String),
}

async fn run(
    profile: ConnectionProfile,
    runtime: ConnectionRuntime,
    mut commands: UnboundedReceiver<Command>,
    current: CurrentProfile,
) {
    let mut options = match connect_options(&profile, wall_ms()) {
        Ok(options) => options,
        Err(error) => {
            runtime.status.set(LinkStatus::Error(error.to_string()));
            runtime.push_log(wall_ms(), LogLevel::Error, error.to_string());
            return;
        }
    };
    let mut scram = ScramState::start(&profile);
    scram.prepare(&mut options);
    let mut session = ClientSession::new(options);
    let mut failures = 0u32;
    let mut first = true;
    let store = message_store(&profile.id);
    loop {
        runtime.status.set(LinkStatus::Connecting);
        let link = Link {
            profile: &profile,
            store: &store,
            runtime: &runtime,
            current: &current,
            first,
        };
        let outcome = run_transport(link, &mut session, &mut commands, &mut scram).await;
        first = false;
        let reason = match outcome {
            Outcome::Closed => {
                runtime.status.set(LinkStatus::Disconnected);
                return;
            }
            Outcome::Fatal(reason) => {
                runtime.status.set(LinkStatus::Error(reason));
                return;
            }
            Outcome::Lost {
                reason,
                was_connected,
            } => {
                failures = if was_connected { 0 } else { failures + 1 };
                reason
            }
        };
        if !profile.may_reconnect(failures) {
            runtime.status.set(LinkStatus::Error(reason));
            return;
        }
        let delay = profile.reconnect_delay_ms(failures + 1);
        runtime.status.set(LinkStatus::Reconnecting {
            attempt: failures + 1,
        });
        runtime.push_log(
            wall_ms(),
            LogLevel::Info,
            format!("reconnecting in {} s", f64::from(delay) / 1000.0),
        );
        if wait_or_disconnect(delay, &mut commands).await {
            runtime.status.set(LinkStatus::Disconnected);
            runtime.push_log(wall_ms(), LogLevel::Info, "reconnect cancelled");
            return;
        }
    }
}

/// Sleeps `delay_ms`; true when the user asked to disconnect meanwhile.
async fn wait_or_disconnect(delay_ms: u32, commands: &mut UnboundedReceiver<Command>) -> bool {
    let mut timer = gloo_timers::future::TimeoutFuture::new(delay_ms).fuse();
    loop {
        futures::select! {
            _ = timer => return false,
            command = commands.next() => match command {
                Some(Command::Disconnect) | None => return true,
                // Other commands wait for the connection; the UI disables them meanwhile.
                Some(_) => {}
            },
        }
    }
}

/// What one transport's life needs to know about its connection.
struct Link<'a> {
    profile: &'a ConnectionProfile,
    store: &'a SharedStore,
    runtime: &'a ConnectionRuntime,
    current: &'a CurrentProfile,
    /// The first transport of this run (subscriptions are always sent then).
    first: bool,
}

async fn run_transport(
    link: Link<'_>,
    session: &mut ClientSession,
    commands: &mut UnboundedReceiver<Command>,
    scram: &mut ScramState,
) -> Outcome {
    let Link {
        profile,
        runtime,
        store,
        ..
    } = link;
    let mut ws = match open_socket(profile, runtime) {
        Ok(ws) => ws,
        Err(outcome) => return outcome,
    };
    if let Err(error) = session.connect(monotonic_ms()) {
        return Outcome::Fatal(error.to_string());
    }
    let mut was_connected = false;
    let mut busy = BusySlice::new();
    let mut deadline = DeadlineTimer::new();
    loop {
        busy.yield_if_due().await;
        if let Err(error) = flush(session, &mut ws).await {
            session.transport_closed(monotonic_ms(), format!("cannot send: {error}"));
        }
        match drain_events(session, runtime, scram, store) {
            Applied::Continue { connected } => {
                was_connected |= connected;
                if connected {
                    announce_live(session, profile, true);
                    subscribe_saved(&link, session);
                    continue;
                }
            }
            Applied::Ended(reason) => {
                if was_connected {
                    announce_live(session, profile, false);
                }
                let _ = ws.close(Some(1000), None);
                return outcome_for(*reason, was_connected);
            }
        }
        // Handling events can queue packets (the answer to an AUTH challenge, a DISCONNECT):
        // they go out now, not after the next frame or timer.
        if let Err(error) = flush(session, &mut ws).await {
            session.transport_closed(monotonic_ms(), format!("cannot send: {error}"));
            continue;
        }
        if session.state() == SessionState::Disconnected {
            if was_connected {
                announce_live(session, profile, false);
            }
            let _ = ws.close(Some(1000), None);
            return Outcome::Lost {
                reason: "connection ended".into(),
                was_connected,
            };
        }
        let waiting_since = monotonic_ms();
        let mut timer = deadline.arm(session.poll_timeout(), waiting_since);
        futures::select! {
            frame = ws.next().fuse() => on_frame(frame, session, runtime, was_connected),
            command = commands.next() => {
                if on_command(command, session, runtime, store) {
                    let _ = flush(session, &mut ws).await;
                    let _ = drain_events(session, runtime, scram, store);
                    if was_connected {
                        announce_live(session, profile, false);
                    }
                    let _ = ws.close(Some(1000), None);
                    return Outcome::Closed;
                }
            }
            _ = timer => session.handle_timeout(monotonic_ms()),
        }
        busy.waited_since(waiting_since);
    }
}

/// Time the driver has spent working through arrived frames without handing the page
/// back. Under a flood the socket is always ready, and the executor would handle the whole
/// backlog in one main-thread task; yielding every few ms lets the page paint and take input.
struct BusySlice {
    started: u64,
}

impl BusySlice {
    fn new() -> Self {
        BusySlice {
            started: monotonic_ms(),
        }
    }

    /// Yields to the page once the driver has been busy for [`FRAME_SLICE_MS`].
    async fn yield_if_due(&mut self) {
        if monotonic_ms().saturating_sub(self.started) >= FRAME_SLICE_MS {
            gloo_timers::future::TimeoutFuture::new(0).await;
            self.started = monotonic_ms();
        }
    }

    /// Time spent waiting for the socket since `since` is not busy time.
    fn waited_since(&mut self, since: u64) {
        if monotonic_ms().saturating_sub(since) >= FRAME_SLICE_MS {
            self.started = monotonic_ms();
        }
    }
}

/// Opens the profile's broker URL with subprotocol `mqtt`, logging the attempt.
fn open_socket(
    profile: &ConnectionProfile,
    runtime: &ConnectionRuntime,
) -> Result<WebSocket, Outcome> {
    let url = profile.broker.to_string();
    runtime.push_log(wall_ms(), LogLevel::Info, format!("opening {url}"));
    WebSocket::open_with_protocol(&url, "mqtt").map_err(|error| {
        let reason = format!("cannot open {url}: {error}");
        runtime.push_log(wall_ms(), LogLevel::Error, reason.clone());
        Outcome::Fatal(reason)
    })
}

async fn flush(session: &mut ClientSession, ws: &mut WebSocket) -> Result<(), WebSocketError> {
    while let Some(bytes) = session.poll_transmit() {
        ws.feed(Message::Bytes(bytes.to_vec())).await?;
    }
    ws.flush().await
}

fn on_frame(
    frame: Option<Result<Message, WebSocketError>>,
    session: &mut ClientSession,
    runtime: &ConnectionRuntime,
    was_connected: bool,
) {
    let now = monotonic_ms();
    match frame {
        Some(Ok(Message::Bytes(bytes))) => {
            if let Err(error) = session.handle_bytes(now, &bytes) {
                runtime.push_log(
                    wall_ms(),
                    LogLevel::Error,
                    format!("from the broker: {error}"),
                );
            }
        }
        Some(Ok(Message::Text(_))) => {
            session.transport_closed(
                now,
                "the broker sent a text frame; MQTT over WebSocket uses binary frames",
            );
        }
        Some(Err(WebSocketError::ConnectionClose(close))) => {
            let reason = if close.reason.is_empty() {
                String::new()
            } else {
                format!(", {}", close.reason)
            };
            let text = if was_connected || session.state() == SessionState::Connected {
                format!("WebSocket closed (code {}{reason})", close.code)
            } else {
                let hint = if close.code == 1006 {
                    ": the broker could not be reached or refused the WebSocket upgrade; check host, port and path"
                } else {
                    ""
                };
                format!(
                    "WebSocket closed before CONNACK (code {}{reason}){hint}",
                    close.code
                )
            };
            session.transport_closed(now, text);
        }
        Some(Err(WebSocketError::ConnectionError)) => {
            runtime.push_log(wall_ms(), LogLevel::Warning, "WebSocket error");
        }
        Some(Err(error)) => session.transport_closed(now, error.to_string()),
        None => session.transport_closed(now, "WebSocket closed"),
    }
}

/// Applies a UI command; true when the user asked to disconnect.
fn on_command(
    command: Option<Command>,
    session: &mut ClientSession,
    runtime: &ConnectionRuntime,
    store: &SharedStore,
) -> bool {
    let now = monotonic_ms();
    let result = match command {
        Some(Command::Disconnect) | None => {
            if session.state() != SessionState::Disconnected {
                let _ = session.disconnect(now, ReasonCode::Success, Properties::default());
            }
            return true;
        }
        Some(Command::Publish(message)) => {
            let sent = mqtt::Publish {
                dup: false,
                qos: message.qos,
                retain: message.retain,
                topic: message.topic.clone(),
                packet_id: None,
                properties: message.properties.clone(),
                payload: message.payload.clone(),
            };
            session.publish(now, message).map(|packet_id| {
                let sent = mqtt::Publish { packet_id, ..sent };
                store.borrow_mut().push(MessageRecord::from_publish_owned(
                    sent,
                    Direction::Published,
                    wall_ms(),
                ));
                super::frames::schedule_redraw(*runtime);
            })
        }
        Some(Command::Subscribe(filters, properties)) => {
            session.subscribe(now, filters, properties).map(|_| ())
        }
        Some(Command::Unsubscribe(filters)) => session
            .unsubscribe(now, filters, Properties::default())
            .map(|_| ()),
    };
    if let Err(error) = result {
        runtime.push_log(wall_ms(), LogLevel::Error, error.to_string());
    }
    false
}

/// Tells other tabs this client id is (no longer) live on this broker.
fn announce_live(session: &ClientSession, profile: &ConnectionProfile, live: bool) {
    let client_id = session.connection().map_or_else(
        || session.options().client_id.clone(),
        |info| info.client_id.to_string(),
    );
    super::tabs::announce(&client_id, &profile.broker.to_string(), live);
}

/// After CONNACK: subscribe the saved, enabled subscriptions unless the broker kept them.
fn subscribe_saved(link: &Link<'_>, session: &mut ClientSession) {
    let resumed = link
        .runtime
        .granted
        .with_untracked(|g| g.as_ref().is_some_and(|i| i.session_present));
    let Some(profile) = (link.current)() else {
        return;
    };
    if resumed || !(link.first || profile.auto_resubscribe) {
        return;
    }
    let v5 = profile.version.is_v5();
    for saved in profile.subscriptions.iter().filter(|s| s.enabled) {
        let (filter, properties) = crate::model::subscription::subscribe_request(saved, v5);
        if let Err(error) = session.subscribe(monotonic_ms(), vec![filter], properties) {
            link.runtime.push_log(
                wall_ms(),
                LogLevel::Error,
                format!("cannot subscribe to {}: {error}", saved.filter),
            );
        }
    }
}

fn drain_events(
    session: &mut ClientSession,
    runtime: &ConnectionRuntime,
    scram: &mut ScramState,
    store: &SharedStore,
) -> Applied {
    let mut events: Vec<Event> = Vec::new();
    while let Some(event) = session.poll_event() {
        events.push(event);
    }
    apply_event_batch(events, session, runtime, scram, store)
}

fn apply_event_batch(
    events: Vec<Event>,
    session: &mut ClientSession,
    runtime: &ConnectionRuntime,
    scram: &mut ScramState,
    store: &SharedStore,
) -> Applied {
    let mut packets = Vec::new();
    let mut connected = false;
    let mut ended = None;
    for event in events {
        match apply_event(event, session, runtime, scram, &mut packets, store) {
            Applied::Continue { connected: c } => connected |= c,
            Applied::Ended(reason) => ended = Some(reason),
        }
    }
    if !packets.is_empty() {
        runtime.push_packets(packets);
        super::frames::schedule_redraw(*runtime);
    }
    match ended {
        Some(reason) => Applied::Ended(reason),
        None => Applied::Continue { connected },
    }
}

fn outcome_for(reason: DisconnectReason, was_connected: bool) -> Outcome {
    match reason {
        DisconnectReason::Client { .. } => Outcome::Closed,
        DisconnectReason::Refused { .. } => Outcome::Fatal(reason.to_string()),
        DisconnectReason::Server {
            code: ReasonCode::SessionTakenOver,
            ..
        } => Outcome::Fatal(format!(
            "{reason}: another client connected with the same client id and took the session over"
        )),
        other => Outcome::Lost {
            reason: other.to_string(),
            was_connected,
        },
    }
}
