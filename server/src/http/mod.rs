//! The HTTP side: the server-rendered app, its static files with caching headers,
//! compression, and the health check.

mod assets;
mod health;

use axum::{routing::get, Router};
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

/// Builds the whole router for the given Leptos options (site root, pkg dir, hashing).
pub fn router(options: LeptosOptions) -> Router {
    let routes = generate_route_list(app::App);
    let shell_options = options.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .nest_service("/pkg", assets::pkg_service(&options))
        .leptos_routes(&options, routes, move || app::shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler(app::shell))
        .with_state(options)
        .layer(CompressionLayer::new())
}
