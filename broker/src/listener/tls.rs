//! The TLS side of the `mqtts://` and `wss://` listeners: the acceptor built from the
//! broker's identity, and a handshake that a silent or slow peer cannot hold open.

use std::io;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use super::certs::TlsIdentity;

/// The acceptor presenting `identity`'s certificate.
pub fn acceptor(identity: &TlsIdentity) -> TlsAcceptor {
    TlsAcceptor::from(identity.config.clone())
}

/// Runs the TLS handshake, giving up after `timeout`.
pub async fn accept_tls(
    acceptor: &TlsAcceptor,
    stream: TcpStream,
    timeout: Duration,
) -> io::Result<TlsStream<TcpStream>> {
    match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
        Ok(result) => result,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "TLS handshake not completed in time",
        )),
    }
}
