//! The HTTP side: the server-rendered app, its static files with caching headers,
//! compression, the health check, and — when the broker runs — its JSON API under
//! `/api/broker/` and its MQTT over WebSocket endpoint at `/mqtt`.

mod assets;
mod broker_api;
mod health;
mod mqtt_ws;

use std::sync::Arc;
use std::time::Duration;

use axum::{routing::get, Router};
use broker::listener::ConnectionGate;
use broker::Broker;
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

use crate::broker_setup::Endpoint;

/// What the HTTP routes need of a running broker.
#[derive(Clone)]
pub struct BrokerHandle {
    pub broker: Broker,
    /// The connection limit shared with the broker's own listeners.
    pub gate: ConnectionGate,
    pub max_packet_size: usize,
    /// See `broker::Limits::ws_frame_interval`.
    pub ws_frame_interval: Duration,
    /// Where clients can connect, `/mqtt` on this server included.
    pub endpoints: Arc<Vec<Endpoint>>,
}

/// Builds the whole router for the given Leptos options (site root, pkg dir, hashing),
/// without a broker.
pub fn router(options: LeptosOptions) -> Router {
    app_router(options, None)
}

/// The app and, when given, the broker's routes. Serve it with connect info
/// (`into_make_service_with_connect_info::<SocketAddr>`): `/mqtt` reports client
/// addresses to the broker.
pub fn app_router(options: LeptosOptions, broker: Option<BrokerHandle>) -> Router {
    let routes = generate_route_list(app::App);
    let shell_options = options.clone();
    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .nest_service("/pkg", assets::pkg_service(&options))
        .leptos_routes(&options, routes, move || app::shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler(app::shell))
        .with_state(options)
        .layer(CompressionLayer::new());
    // Merged after the compression layer: a WebSocket upgrade has nothing to compress.
    app.merge(broker_routes(broker))
}

/// `/api/broker/*` and `/mqtt`; answering 503 when the broker is off.
pub fn broker_routes(broker: Option<BrokerHandle>) -> Router {
    match broker {
        Some(handle) => Router::new()
            .route("/api/broker/stats", get(broker_api::stats))
            .route("/api/broker/clients", get(broker_api::clients))
            .route("/api/broker/listeners", get(broker_api::listeners))
            .route("/mqtt", get(mqtt_ws::mqtt_over_websocket))
            .with_state(handle),
        None => Router::new()
            .route("/api/broker/{*rest}", get(broker_api::broker_off))
            .route("/mqtt", get(broker_api::broker_off)),
    }
}
