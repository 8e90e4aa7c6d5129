//! A bare TCP client that sends exactly the bytes a test wants (malformed ones
//! included) and decodes what comes back with the `mqtt` crate.

use bytes::BytesMut;
use mqtt::{ConnAck, Connect, Decoder, Packet, ProtocolVersion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::WAIT;

pub struct Raw {
    pub stream: TcpStream,
    decoder: Decoder,
    pub version: ProtocolVersion,
}

impl Raw {
    pub async fn open(port: u16) -> Raw {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let mut decoder = Decoder::new(16 * 1024 * 1024);
        decoder.set_protocol(ProtocolVersion::V5);
        Raw {
            stream,
            decoder,
            version: ProtocolVersion::V5,
        }
    }

    /// Opens a connection, sends `connect` and returns the CONNACK.
    pub async fn connect(port: u16, connect: Connect) -> (Raw, ConnAck) {
        let mut raw = Raw::open(port).await;
        raw.version = connect.protocol;
        raw.decoder.set_protocol(connect.protocol);
        raw.send(Packet::Connect(Box::new(connect))).await;
        match raw.recv().await {
            Some(Packet::ConnAck(connack)) => (raw, connack),
            other => panic!("expected CONNACK, got {other:?}"),
        }
    }

    pub async fn send(&mut self, packet: Packet) {
        let mut buf = BytesMut::new();
        packet.encode(self.version, &mut buf).expect("encode");
        self.send_bytes(&buf).await;
    }

    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.expect("write");
    }

    /// The next packet, or `None` once the broker closed the connection.
    pub async fn recv(&mut self) -> Option<Packet> {
        let wait = async {
            loop {
                match self.decoder.next_packet() {
                    Ok(Some(packet)) => return Some(packet),
                    Ok(None) => {}
                    Err(error) => panic!("broker sent a malformed packet: {error}"),
                }
                let mut buf = [0u8; 4096];
                match self.stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return None,
                    Ok(len) => self.decoder.feed(buf.get(..len).unwrap_or_default()),
                }
            }
        };
        tokio::time::timeout(WAIT, wait)
            .await
            .expect("timed out waiting for a packet from the broker")
    }

    /// Reads until the broker closes the connection; returns what it sent first.
    pub async fn until_closed(&mut self) -> Vec<Packet> {
        let mut packets = Vec::new();
        while let Some(packet) = self.recv().await {
            packets.push(packet);
        }
        packets
    }
}

/// A CONNECT for `version` with a 30 second keep alive.
pub fn connect_packet(version: ProtocolVersion, client_id: &str) -> Connect {
    let mut connect = Connect::new(version, client_id);
    connect.keep_alive = 30;
    connect
}
