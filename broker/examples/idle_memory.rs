//! Where an idle connection's heap goes: starts the broker in this process behind a
//! counting allocator, opens `N` idle MQTT 3.1.1 connections from a plain (blocking)
//! client thread, which allocates nothing on the heap per connection, and prints the
//! heap and RSS that stayed per connection, and the heap by allocation size. A
//! measuring tool, not a test: `cargo run --release -p broker --example idle_memory --
//! 9000 2` (connections, 2,000 by default; runtime worker threads, 2 by default). The
//! process holds both ends of every connection, so its open-file limit must allow
//! twice as many.
//!
//! The figures are what Rust asked the allocator for; glibc adds 8 to 16 bytes per
//! allocation (rounding to 16 and its header), and RSS adds what the kernel maps.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Duration;

use broker::listener::{ConnectionGate, Listener, ListenerOptions};
use broker::{Broker, BrokerConfig, Transport};
use tokio_util::sync::CancellationToken;

/// Live allocations counted by size in steps of 16 bytes, up to this many steps; larger
/// ones share the last bucket.
const BUCKETS: usize = 512;

struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static LIVE_BY_SIZE: [AtomicIsize; BUCKETS] = [const { AtomicIsize::new(0) }; BUCKETS];

fn bucket(size: usize) -> usize {
    (size.div_ceil(16)).min(BUCKETS - 1)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        LIVE_BY_SIZE[bucket(layout.size())].fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        LIVE_BY_SIZE[bucket(layout.size())].fetch_sub(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

struct Snapshot {
    bytes: isize,
    rss_kib: isize,
    by_size: Vec<isize>,
}

/// `VmRSS` of this process, in KiB.
fn rss_kib() -> isize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn snapshot() -> Snapshot {
    Snapshot {
        bytes: LIVE_BYTES.load(Ordering::Relaxed),
        rss_kib: rss_kib(),
        by_size: LIVE_BY_SIZE
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .collect(),
    }
}

/// CONNECT, MQTT 3.1.1, clean session, keep alive 60 s, with a client id as long as
/// `mqttdeck bench`'s.
fn connect_packet(index: usize) -> Vec<u8> {
    let client_id = format!("mqttdeck-bench-{:06}-conn-{index}", std::process::id());
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60];
    body.extend_from_slice(&(client_id.len() as u16).to_be_bytes());
    body.extend_from_slice(client_id.as_bytes());
    let mut packet = vec![0x10, body.len() as u8];
    packet.extend_from_slice(&body);
    packet
}

fn open_idle_connections(addr: SocketAddr, count: usize, streams: &mut Vec<TcpStream>) {
    for index in 0..count {
        let mut stream = TcpStream::connect(addr).expect("connect to the broker");
        stream
            .write_all(&connect_packet(index))
            .expect("send CONNECT");
        let mut connack = [0u8; 4];
        stream.read_exact(&mut connack).expect("read CONNACK");
        assert_eq!(connack, [0x20, 2, 0, 0], "CONNACK accepted");
        streams.push(stream);
    }
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(2_000);
    let threads: usize = std::env::args()
        .nth(2)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime");
    let config = BrokerConfig {
        sys_interval: None,
        ..BrokerConfig::default()
    };
    let limits = config.limits.clone();
    let (addr, stop) = runtime.block_on(async {
        let broker = Broker::new(config);
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("address");
        let listener = Listener::bind(Transport::Tcp, addr, None)
            .await
            .expect("bind");
        let addr = listener.local_addr();
        let stop = CancellationToken::new();
        let gate = ConnectionGate::new(limits.max_connections);
        let options = ListenerOptions::from_limits(&limits);
        tokio::spawn(listener.serve(broker, gate, options, stop.clone()));
        (addr, stop)
    });
    let mut streams = Vec::with_capacity(count + 100);
    // Warm up: the first connections allocate shared structures once.
    open_idle_connections(addr, 100, &mut streams);
    std::thread::sleep(Duration::from_millis(300));
    let before = snapshot();
    open_idle_connections(addr, count, &mut streams);
    std::thread::sleep(Duration::from_millis(500));
    let after = snapshot();
    let per_connection = (after.bytes - before.bytes) as f64 / count as f64;
    let rss_per_connection = ((after.rss_kib - before.rss_kib) * 1024) as f64 / count as f64;
    println!(
        "{count} idle connections: {per_connection:.0} B of heap each, {rss_per_connection:.0} B of RSS"
    );
    println!("allocations per connection, by size in bytes:");
    for (index, (was, is)) in before.by_size.iter().zip(&after.by_size).enumerate() {
        let per = (is - was) as f64 / count as f64;
        if per.abs() >= 0.05 {
            let size = if index + 1 == BUCKETS {
                format!(">{}", 16 * (BUCKETS - 1))
            } else {
                format!("{}..={}", (16 * index).saturating_sub(15), 16 * index)
            };
            println!("  {size:>12}: {per:5.2}");
        }
    }
    stop.cancel();
    drop(streams);
}
