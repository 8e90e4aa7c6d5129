//! The HTTP surface a browser or a script sees: health check, compression, caching.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

fn options(site_root: &std::path::Path, hash_files: bool) -> LeptosOptions {
    let mut options = LeptosOptions::builder()
        .output_name("mqttdeck")
        .site_root(site_root.to_string_lossy().into_owned())
        .build();
    options.hash_files = hash_files;
    options
}

fn site_with_bundle() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    // Compressible content, large enough for the compression layer to bother.
    let js = "export function hydrate() { return 42; }\n".repeat(200);
    std::fs::write(pkg.join("mqttdeck.abc123.js"), js).expect("write js");
    site
}

async fn get(
    router: axum::Router,
    uri: &str,
    accept_encoding: Option<&str>,
) -> axum::response::Response {
    let mut request = Request::builder().uri(uri);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    let request = request.body(Body::empty()).expect("request");
    router.oneshot(request).await.expect("infallible router")
}

#[tokio::test]
async fn healthz_answers_ok_with_the_version() {
    let site = site_with_bundle();
    let response = get(
        server::http::router(options(site.path(), false)),
        "/healthz",
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(json["status"], "ok");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn hashed_bundle_is_cached_for_a_year_and_compressed() {
    let site = site_with_bundle();
    let router = server::http::router(options(site.path(), true));
    let response = get(router, "/pkg/mqttdeck.abc123.js", Some("gzip")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert!(
        body.len() < 2_000,
        "gzip should shrink the repeated script, got {} bytes",
        body.len()
    );
}

#[tokio::test]
async fn brotli_is_offered_when_the_browser_asks() {
    let site = site_with_bundle();
    let router = server::http::router(options(site.path(), true));
    let response = get(router, "/pkg/mqttdeck.abc123.js", Some("br")).await;
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn unhashed_bundle_must_revalidate() {
    let site = site_with_bundle();
    let router = server::http::router(options(site.path(), false));
    let response = get(router, "/pkg/mqttdeck.abc123.js", None).await;
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn the_page_is_server_rendered_with_the_shell() {
    let site = site_with_bundle();
    let router = server::http::router(options(site.path(), false));
    let response = get(router, "/", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("<title>MQTT Deck</title>"), "{html}");
    assert!(html.contains("Connections"));
    assert!(html.contains("/pkg/mqttdeck.css"));
}
