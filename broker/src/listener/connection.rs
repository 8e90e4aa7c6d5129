//! One accepted socket on its way to the broker: the TLS and WebSocket handshakes its
//! transport needs, bounded in time and abandoned when the listener stops, then MQTT
//! until the connection ends. Once MQTT is being served, only the broker closes it
//! (so a shutdown can still tell MQTT 5 clients why).

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

use super::{tls, ws, ListenerOptions};
use crate::info::{ConnectionInfo, Transport};
use crate::ws_io::tungstenite_io;
use crate::Broker;

/// Any stream MQTT can run over once the handshakes are done.
trait ByteStream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> ByteStream for T {}

/// Why a connection never reached MQTT.
#[derive(Debug, thiserror::Error)]
enum HandshakeError {
    #[error("TLS handshake failed: {0}")]
    Tls(std::io::Error),
    #[error(transparent)]
    WebSocket(#[from] ws::WsAcceptError),
    #[error("handshake not completed within {0:?}")]
    TimedOut(Duration),
    #[error("no TLS certificate configured")]
    NoTlsIdentity,
}

pub(super) struct Connection {
    pub(super) info: ConnectionInfo,
    pub(super) tls: Option<TlsAcceptor>,
    pub(super) options: ListenerOptions,
}

impl Connection {
    pub(super) async fn open_and_serve(
        self,
        stream: TcpStream,
        broker: &Broker,
        stop: &CancellationToken,
    ) {
        let info = self.info;
        // Boxed: the TLS and WebSocket handshakes need several KiB of state, which
        // inline would be carried by every connection, TCP ones and idle ones alike.
        let opened = tokio::select! {
            _ = stop.cancelled() => return,
            opened = Box::pin(self.handshake(stream)) => opened,
        };
        match opened {
            Ok(stream) => broker.serve_connection(stream, info).await,
            Err(error) => tracing::info!(
                remote = %info.remote,
                transport = %info.transport,
                "connection refused: {error}"
            ),
        }
    }

    async fn handshake(&self, stream: TcpStream) -> Result<Box<dyn ByteStream>, HandshakeError> {
        let timeout = self.options.handshake_timeout;
        tokio::time::timeout(timeout, self.handshake_unbounded(stream))
            .await
            .unwrap_or(Err(HandshakeError::TimedOut(timeout)))
    }

    async fn handshake_unbounded(
        &self,
        stream: TcpStream,
    ) -> Result<Box<dyn ByteStream>, HandshakeError> {
        let ws_config = ws::mqtt_websocket_config(self.options.max_packet_size);
        let transport = self.info.transport;
        if transport == Transport::WebSocket {
            let socket = ws::accept_websocket(stream, ws_config).await?;
            return Ok(Box::new(tungstenite_io(
                socket,
                self.options.ws_frame_interval,
            )));
        }
        let acceptor = self.tls.as_ref().ok_or(HandshakeError::NoTlsIdentity)?;
        let secured = tls::accept_tls(acceptor, stream, self.options.handshake_timeout)
            .await
            .map_err(HandshakeError::Tls)?;
        if transport == Transport::WebSocketTls {
            let socket = ws::accept_websocket(secured, ws_config).await?;
            return Ok(Box::new(tungstenite_io(
                socket,
                self.options.ws_frame_interval,
            )));
        }
        Ok(Box::new(secured))
    }
}
