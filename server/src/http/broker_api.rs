//! `/api/broker/...`: the built-in broker's state as JSON for the dashboard — the
//! statistics snapshot, the connected clients, and the endpoints it listens on. When
//! the broker is off (`--no-broker`) these answer 503 with a reason.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::BrokerHandle;

#[derive(Serialize)]
struct Unavailable {
    error: &'static str,
}

/// What `/api/broker/*` answers while the broker is off.
pub async fn broker_off() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(Unavailable {
            error: "the built-in broker is not running (mqttdeck was started with --no-broker)",
        }),
    )
        .into_response()
}

/// `GET /api/broker/stats`: clients, subscriptions, retained count, totals and rates.
pub async fn stats(State(handle): State<BrokerHandle>) -> Response {
    Json(handle.broker.stats()).into_response()
}

/// `GET /api/broker/clients`: the connected clients only.
pub async fn clients(State(handle): State<BrokerHandle>) -> Response {
    Json(handle.broker.stats().clients).into_response()
}

/// `GET /api/broker/listeners`: where clients can connect.
pub async fn listeners(State(handle): State<BrokerHandle>) -> Response {
    Json(handle.endpoints.as_ref().clone()).into_response()
}
