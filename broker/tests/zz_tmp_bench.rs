// Temporary load generator for manual measurements. To be deleted.
use std::time::{Duration, Instant};

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};

fn port() -> Option<u16> {
    std::env::var("BENCH_PORT").ok()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throughput() {
    let Some(port) = port() else { return };
    let qos = if std::env::var("BENCH_QOS").as_deref() == Ok("1") { QoS::AtLeastOnce } else { QoS::AtMostOnce };
    let total: u64 = 200_000;
    let mut o = MqttOptions::new("bsub", "127.0.0.1", port);
    o.set_keep_alive(Duration::from_secs(60));
    let (sub, mut sub_loop) = AsyncClient::new(o, 1000);
    sub.subscribe("bench", qos).await.unwrap();
    loop {
        if let Event::Incoming(Packet::SubAck(_)) = sub_loop.poll().await.unwrap() { break; }
    }
    let mut o = MqttOptions::new("bpub", "127.0.0.1", port);
    o.set_keep_alive(Duration::from_secs(60));
    o.set_inflight(100);
    let (publ, mut pub_loop) = AsyncClient::new(o, 1000);
    tokio::spawn(async move { loop { if pub_loop.poll().await.is_err() { break; } } });
    let start = Instant::now();
    tokio::spawn(async move {
        for _ in 0..total { publ.publish("bench", qos, false, vec![0u8; 64]).await.unwrap(); }
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let mut got = 0u64;
    let deadline = Instant::now() + Duration::from_secs(30);
    while got < total && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(3), sub_loop.poll()).await {
            Ok(Ok(Event::Incoming(Packet::Publish(_)))) => got += 1,
            Ok(Ok(_)) => {}
            _ => break,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!("RESULT qos={qos:?} received {got}/{total} in {secs:.2}s = {:.0} msg/s", got as f64 / secs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle() {
    let Some(port) = port() else { return };
    let count: usize = std::env::var("BENCH_IDLE").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let mut streams = Vec::new();
    for i in 0..count {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let id = format!("idle-{i:06}");
        let mut pkt = vec![0x10u8, (10 + 2 + id.len()) as u8, 0, 4, b'M', b'Q', b'T', b'T', 4, 2, 0, 0];
        pkt.extend_from_slice(&(id.len() as u16).to_be_bytes());
        pkt.extend_from_slice(id.as_bytes());
        tokio::io::AsyncWriteExt::write_all(&mut s, &pkt).await.unwrap();
        let mut ack = [0u8; 4];
        tokio::io::AsyncReadExt::read_exact(&mut s, &mut ack).await.unwrap();
        streams.push(s);
    }
    eprintln!("CONNECTED {count}");
    tokio::time::sleep(Duration::from_secs(4)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inproc() {
    if std::env::var("BENCH_INPROC").is_err() { return; }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let broker = broker::Broker::new(broker::BrokerConfig { sys_interval: None, ..Default::default() });
    let b2 = broker.clone();
    tokio::spawn(async move {
        while let Ok((s, remote)) = listener.accept().await {
            let _ = s.set_nodelay(true);
            tokio::spawn(b2.serve_connection(s, broker::ConnectionInfo { remote, transport: broker::Transport::Tcp }));
        }
    });
    let qos = QoS::AtLeastOnce;
    let total: u64 = 200_000;
    let mut o = MqttOptions::new("bsub", "127.0.0.1", port);
    o.set_keep_alive(Duration::from_secs(60));
    let (sub, mut sub_loop) = AsyncClient::new(o, 1000);
    sub.subscribe("bench", qos).await.unwrap();
    loop { if let Event::Incoming(Packet::SubAck(_)) = sub_loop.poll().await.unwrap() { break; } }
    let mut o = MqttOptions::new("bpub", "127.0.0.1", port);
    o.set_keep_alive(Duration::from_secs(60));
    let (publ, mut pub_loop) = AsyncClient::new(o, 1000);
    tokio::spawn(async move { loop { if pub_loop.poll().await.is_err() { break; } } });
    tokio::spawn(async move {
        for _ in 0..total { publ.publish("bench", qos, false, vec![0u8; 64]).await.unwrap(); }
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let mut got = 0u64;
    while got < total {
        match tokio::time::timeout(Duration::from_secs(3), sub_loop.poll()).await {
            Ok(Ok(Event::Incoming(Packet::Publish(_)))) => got += 1,
            Ok(Ok(_)) => {}
            other => { eprintln!("STOP {other:?}"); break; }
        }
    }
    let stats = broker.stats();
    eprintln!("GOT {got} totals {:?}", stats.totals);
    for c in stats.clients { eprintln!("CLIENT {c:?}"); }
}
