//! The web UI, built from ui/ by build.rs and embedded in the binary, so one file
//! serves it. Paths that are not files get index.html (the UI routes by itself).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::Embed)]
#[folder = "$PLANTLOG_UI_DIST"]
struct Assets;

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(file) = Assets::get(path).filter(|_| !path.is_empty()) {
        let mime = mime_guess::from_path(path).first_or_octet_stream();
        // Vite puts a content hash in every file name under assets/.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return (
            [
                (CONTENT_TYPE, mime.as_ref().to_string()),
                (CACHE_CONTROL, cache.to_string()),
            ],
            file.data,
        )
            .into_response();
    }
    match Assets::get("index.html") {
        Some(index) => (
            [
                (CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
                (CACHE_CONTROL, "no-cache".to_string()),
            ],
            index.data,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "This Plantlog binary was built without its web UI (PLANTLOG_SKIP_UI was set). The API under /api works.",
        )
            .into_response(),
    }
}
