//! The built wasm, JavaScript and CSS under `/pkg`. When cargo-leptos hashes their file
//! names (release builds), a name never changes content, so browsers may keep them for a
//! year; otherwise they must revalidate, or a rebuilt bundle would be missed.

use axum::http::{header, HeaderValue};
use leptos::prelude::LeptosOptions;
use tower::Layer;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// Serves `<site-root>/<pkg-dir>` with the caching policy that fits the build.
pub fn pkg_service(
    options: &LeptosOptions,
) -> tower_http::set_header::SetResponseHeader<ServeDir, HeaderValue> {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let policy = if options.hash_files {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(policy))
        .layer(ServeDir::new(dir))
}
