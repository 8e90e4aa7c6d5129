//! Where clients come in: one [`Listener`] per address and transport (MQTT over TCP,
//! WebSocket at `/mqtt`, TLS, and WebSocket over TLS). A listener accepts sockets,
//! applies the connection limit ([`ConnectionGate`]), performs the TLS and WebSocket
//! handshakes (bounded in time), and hands the resulting byte stream to
//! [`Broker::serve_connection`]. Stopping a listener stops accepting; the connections
//! already handed over are the broker's to close.

pub mod certs;
mod connection;
pub mod gate;
mod quick_ack;
mod tcp;
pub mod tls;
pub mod ws;
pub mod ws_handshake;

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::FutureExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

pub use certs::{CertError, TlsIdentity};
pub use gate::{ConnectionGate, ConnectionPermit};
pub use ws_handshake::{MQTT_PATH, SUBPROTOCOLS};

use crate::config::Limits;
use crate::info::{ConnectionInfo, Transport};
use crate::Broker;
use connection::Connection;

/// Why a listener could not start.
#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    #[error("cannot listen on {addr} for {}: {source}", describe_transport(*.transport))]
    Bind {
        transport: Transport,
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{} needs a certificate: pass --tls-cert and --tls-key, or --tls-self-signed", describe_transport(*.0))]
    MissingTlsIdentity(Transport),
}

/// Settings every listener shares.
#[derive(Debug, Clone, Copy)]
pub struct ListenerOptions {
    /// Time a new connection has to finish its TLS and WebSocket handshakes.
    pub handshake_timeout: Duration,
    /// The broker's largest packet; bounds WebSocket frames and messages.
    pub max_packet_size: usize,
    /// See [`Limits::ws_frame_interval`].
    pub ws_frame_interval: Duration,
}

impl ListenerOptions {
    pub fn from_limits(limits: &Limits) -> Self {
        Self {
            handshake_timeout: limits.connect_timeout,
            max_packet_size: limits.max_packet_size,
            ws_frame_interval: limits.ws_frame_interval,
        }
    }
}

/// A bound socket waiting to serve one transport.
pub struct Listener {
    transport: Transport,
    socket: TcpListener,
    local_addr: SocketAddr,
    tls: Option<TlsAcceptor>,
}

impl Listener {
    /// Binds `addr` (port 0 picks a free port). The TLS transports need `tls`.
    pub async fn bind(
        transport: Transport,
        addr: SocketAddr,
        tls: Option<&TlsIdentity>,
    ) -> Result<Self, ListenerError> {
        let tls = match transport {
            Transport::Tcp | Transport::WebSocket => None,
            Transport::Tls | Transport::WebSocketTls => match tls {
                Some(identity) => Some(tls::acceptor(identity)),
                None => return Err(ListenerError::MissingTlsIdentity(transport)),
            },
        };
        let bind_error = |source| ListenerError::Bind {
            transport,
            addr,
            source,
        };
        let socket = TcpListener::bind(addr).await.map_err(bind_error)?;
        let local_addr = socket.local_addr().map_err(bind_error)?;
        Ok(Self {
            transport,
            socket,
            local_addr,
            tls,
        })
    }

    /// The address actually bound (with the port chosen when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The URL a client connects to: `mqtt://…`, `ws://…/mqtt`, `mqtts://…`, `wss://…/mqtt`.
    pub fn url(&self) -> String {
        listener_url(self.transport, self.local_addr)
    }

    /// The line to log, e.g. `MQTT over WebSocket on ws://127.0.0.1:8083/mqtt`.
    pub fn describe(&self) -> String {
        let place = match self.transport {
            Transport::Tcp | Transport::Tls => self.local_addr.to_string(),
            Transport::WebSocket | Transport::WebSocketTls => self.url(),
        };
        format!("{} on {place}", describe_transport(self.transport))
    }

    /// Accepts connections until `stop` is cancelled, each served on its own task.
    pub async fn serve(
        self,
        broker: Broker,
        gate: ConnectionGate,
        options: ListenerOptions,
        stop: CancellationToken,
    ) {
        loop {
            let (stream, remote) = tokio::select! {
                _ = stop.cancelled() => break,
                accepted = tcp::accept(&self.socket) => accepted,
            };
            let Some(permit) = gate.try_enter() else {
                drop(stream);
                continue;
            };
            let info = ConnectionInfo {
                remote,
                transport: self.transport,
            };
            if self.transport == Transport::Tcp {
                // Nothing to set up: the task is the MQTT connection alone, so that idle
                // connections carry no handshake state.
                // Chained, not awaited in an `async` block, which would keep the stream
                // it captured beside the connection's future.
                let stream = quick_ack::QuickAckStream::new(stream);
                let serving = broker.serve_connection(stream, info);
                tokio::spawn(serving.map(move |()| drop(permit)));
                continue;
            }
            let connection = Connection {
                info,
                tls: self.tls.clone(),
                options,
            };
            let broker = broker.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                connection.open_and_serve(stream, &broker, &stop).await;
                drop(permit);
            });
        }
        tracing::debug!(listener = %self.describe(), "stopped accepting");
    }
}

/// "MQTT over TCP", "MQTT over WebSocket", "MQTT over TLS", "MQTT over secure WebSocket".
pub fn describe_transport(transport: Transport) -> &'static str {
    match transport {
        Transport::Tcp => "MQTT over TCP",
        Transport::WebSocket => "MQTT over WebSocket",
        Transport::Tls => "MQTT over TLS",
        Transport::WebSocketTls => "MQTT over secure WebSocket",
    }
}

/// The URL a client uses for `transport` at `addr`.
pub fn listener_url(transport: Transport, addr: SocketAddr) -> String {
    match transport {
        Transport::Tcp => format!("mqtt://{addr}"),
        Transport::Tls => format!("mqtts://{addr}"),
        Transport::WebSocket => format!("ws://{addr}{MQTT_PATH}"),
        Transport::WebSocketTls => format!("wss://{addr}{MQTT_PATH}"),
    }
}
