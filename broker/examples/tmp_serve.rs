// Temporary: serve the broker for manual measurements. To be deleted.
use broker::{Broker, BrokerConfig, ConnectionInfo, Transport};

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(18830);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
    let broker = Broker::new(BrokerConfig { sys_interval: None, ..BrokerConfig::default() });
    let b2 = broker.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            let s = b2.stats();
            eprintln!("T {:?}", s.totals);
            for c in s.clients { eprintln!("  C {} inflight {} queued {} dropped {}", c.client_id, c.inflight, c.queued, c.dropped); }
        }
    });
    while let Ok((stream, remote)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        tokio::spawn(broker.serve_connection(stream, ConnectionInfo { remote, transport: Transport::Tcp }));
    }
}
