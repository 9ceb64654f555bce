//! Headers every response carries, and the same-origin check for state-changing requests.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// No inline script or style anywhere; nothing from another host; no framing.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The outreach app's pages also run scripts, a service worker and a manifest, all from
/// Haven itself; still no inline script and nothing from another host.
const CSP_APP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
     worker-src 'self'; manifest-src 'self'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            if path.starts_with("/outreach/") && path != "/outreach/team" {
                CSP_APP
            } else {
                CSP
            },
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(), camera=(), microphone=(), interest-cohort=()"),
    );
    if state.cfg.tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    // Anything that may carry personal data is never stored by a browser or proxy.
    if may_hold_personal_data(&path) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuses a state-changing request that a browser says came from another site. Browsers
/// send `Origin` and `Sec-Fetch-Site` on every POST; other clients (the API's) send
/// neither and authenticate with a bearer token, which a foreign page cannot attach.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let h = req.headers();
        if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            if site != "same-origin" && site != "none" {
                return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
            }
        }
        if let (Some(origin), Some(host)) = (
            h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
            h.get(header::HOST).and_then(|v| v.to_str().ok()),
        ) {
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin != "null" && origin_host != host {
                return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
            }
        }
    }
    next.run(req).await
}

/// Whether an answer at `path` may carry personal data: every staff page and API answer
/// (but the OpenAPI document) and the outreach pages (but the outreach app's shell and
/// static files, which its service worker keeps for offline use and which hold none).
fn may_hold_personal_data(path: &str) -> bool {
    let staff = (path.starts_with("/staff") || path.starts_with("/api/v1"))
        && !path.ends_with("openapi.json");
    let outreach = path.starts_with("/outreach/")
        && path != "/outreach/"
        && ![".js", ".css", ".svg", ".webmanifest"]
            .iter()
            .any(|ext| path.ends_with(ext));
    staff || outreach
}
