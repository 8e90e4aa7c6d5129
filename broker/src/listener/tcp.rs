//! Accepting TCP connections. Accept errors are mostly transient (a peer that reset
//! before being accepted, or the process out of file descriptors), so the loop logs
//! them and backs off briefly instead of spinning or giving up.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

/// The longest pause after consecutive accept errors.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// The next connection, retrying after errors.
pub async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    let mut backoff = Duration::from_millis(5);
    loop {
        match listener.accept().await {
            Ok((stream, remote)) => {
                // MQTT packets are small and latency matters more than segment count.
                if let Err(error) = stream.set_nodelay(true) {
                    tracing::debug!(%remote, %error, "cannot set TCP_NODELAY");
                }
                return (stream, remote);
            }
            Err(error) => {
                tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "accepting a connection failed");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}
