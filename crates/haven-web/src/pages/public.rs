//! Operations endpoints, the staff stylesheet and the not-found page. The public site is
//! in `crate::site`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::i18n::Tr;
use crate::views::{render, static_file, Chrome, ErrorPage};
use crate::AppState;

/// 200 when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.ctx.db.ping().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// 200 while the process serves requests; touches nothing. Also the benchmarks' ceiling.
pub async fn livez() -> &'static str {
    "ok"
}

const CSS: &str = include_str!("../../static/haven.css");

/// The staff stylesheet; browsers may keep it for a day.
pub async fn stylesheet(headers: HeaderMap) -> Response {
    let css = "text/css; charset=utf-8";
    static_file(&headers, ("", CSS), css, "public, max-age=86400")
}

fn not_found_page(t: Tr) -> Response {
    let page = ErrorPage {
        title: t.t("title-404"),
        message: t.t("err-not-found"),
        t,
        chrome: Chrome::bare(),
    };
    (StatusCode::NOT_FOUND, render(&page)).into_response()
}

/// The answer to a path no route serves: the staff not-found page under `/staff` and
/// `/api`, the public site's own (in the language the path names, English otherwise, with
/// the site's links) everywhere else, so that a reader who mistyped an address stays in
/// the site they came from.
pub async fn not_found(State(state): State<AppState>, uri: axum::http::Uri, tr: Tr) -> Response {
    let first = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    if matches!(first, "staff" | "api" | "outreach") {
        return not_found_page(tr);
    }
    crate::site::not_found_in(&state, first)
}
