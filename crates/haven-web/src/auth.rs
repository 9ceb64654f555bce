//! Who is asking: sessions from the cookie (pages) or bearer token (API), the route
//! table's access rule, CSRF tokens on forms, and sign-in throttling.

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use haven_core::users::{self, Session, Stage};
use haven_core::Error;
use std::net::SocketAddr;

use crate::access::Access;
use crate::error::{ApiErr, PageErr};
use crate::i18n::Tr;
use crate::AppState;

/// The session cookie's name over plain HTTP (the demo, a test, a benchmark).
pub const COOKIE: &str = "haven_session";
/// Its name behind TLS. Browsers accept a `__Host-` cookie only from this very host over
/// HTTPS, with `Path=/` and no `Domain`, so no sibling host can set or overwrite it (no
/// session fixation through a subdomain). Only this name is read then.
pub const TLS_COOKIE: &str = "__Host-haven_session";

fn cookie_name(state: &AppState) -> &'static str {
    if state.cfg.tls {
        TLS_COOKIE
    } else {
        COOKIE
    }
}
const MAX_FORM: usize = 256 * 1024;

/// The signed-in staff member of this request (stage `Full`).
pub struct Staff(pub Session);

/// A half-finished sign-in: password accepted, second factor pending.
pub struct Pending(pub Session);

fn session_from(parts: &Parts) -> Option<Session> {
    parts.extensions.get::<Session>().cloned()
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match session_from(parts) {
            Some(s) if s.stage == Stage::Full => Ok(Staff(s)),
            _ => Err(unauthenticated(parts.uri.path(), state, parts)),
        }
    }
}

impl FromRequestParts<AppState> for Pending {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match session_from(parts) {
            Some(s) if s.stage != Stage::Full => Ok(Pending(s)),
            _ => Err(Redirect::to("/staff/login").into_response()),
        }
    }
}

/// The reader's language: their own setting when signed in, else `Accept-Language`.
impl FromRequestParts<AppState> for Tr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(code) = parts
            .extensions
            .get::<Session>()
            .and_then(|s| s.user.locale.clone())
            .filter(|c| state.i18n.has(c))
        {
            return Ok(state.i18n.tr(&code));
        }
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Ok(state.i18n.tr(state.i18n.negotiate(accept)))
    }
}

/// The client's address, for throttling only; never stored.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_default(),
        ))
    }
}

pub fn cookie_token(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let name = cookie_name(state);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn bearer_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

pub fn set_cookie(state: &AppState, token: &str) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        cookie_name(state),
        if state.cfg.tls { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(state: &AppState) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        cookie_name(state),
        if state.cfg.tls { "; Secure" } else { "" }
    )
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn tr_for(state: &AppState, parts: &Parts) -> Tr {
    let accept = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    state.i18n.tr(state.i18n.negotiate(accept))
}

fn unauthenticated(path: &str, state: &AppState, parts: &Parts) -> Response {
    if is_api(path) {
        ApiErr {
            err: Error::Unauthenticated,
            tr: tr_for(state, parts),
        }
        .into_response()
    } else {
        Redirect::to("/staff/login").into_response()
    }
}

fn forbidden(path: &str, state: &AppState, parts: &Parts, tr: Option<Tr>) -> Response {
    let tr = tr.unwrap_or_else(|| tr_for(state, parts));
    if is_api(path) {
        ApiErr {
            err: Error::Forbidden,
            tr,
        }
        .into_response()
    } else {
        PageErr {
            err: Error::Forbidden,
            tr,
        }
        .into_response()
    }
}

/// 405 with an `Allow` header listing the route table's methods for `matched`.
fn method_not_allowed(state: &AppState, matched: &str) -> Response {
    let mut methods: Vec<&str> = state
        .access
        .keys()
        .filter(|(_, p)| p == matched)
        .map(|(m, _)| m.as_str())
        .collect();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.sort_unstable();
    methods.dedup();
    let allow = methods.join(", ");
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(axum::http::header::ALLOW, allow)],
        "method not allowed",
    )
        .into_response()
}

/// Enforces the route table's [`Access`] for the matched route, loads the session into the
/// request and checks the CSRF token of every form post made with a session.
pub async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let access = match route_access(&state, &parts) {
        Ok(access) => access,
        Err(res) => return *res,
    };
    if access == Access::Public {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let path = parts.uri.path().to_owned();
    let (token, api_by_cookie) = session_token(&state, &path, &parts.headers);
    let session = match token {
        Some(t) => match users::session(&state.ctx, &t).await {
            Ok(s) => s,
            Err(e) => {
                return ApiErr {
                    err: e,
                    tr: tr_for(&state, &parts),
                }
                .into_response()
            }
        },
        None => None,
    };
    let Some(session) = session else {
        return unauthenticated(&path, &state, &parts);
    };
    let tr = session
        .user
        .locale
        .as_deref()
        .filter(|c| state.i18n.has(c))
        .map(|c| state.i18n.tr(c));
    if let Some(res) = refusal(access, &session, &state, &parts, &tr) {
        return res;
    }
    let method = &parts.method;
    let changes = method != Method::GET && method != Method::HEAD;
    if api_by_cookie && changes {
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
            return forbidden(&path, &state, &parts, tr);
        }
    }
    let body = if !is_api(&path) && changes {
        match checked_form(body, &session).await {
            Form::Checked(body) => body,
            Form::TooLarge => {
                return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response()
            }
            Form::WrongToken => return forbidden(&path, &state, &parts, tr),
        }
    } else {
        body
    };
    parts.extensions.insert(session);
    next.run(Request::from_parts(parts, body)).await
}

/// The access rule of the matched route, or the answer when there is none: 404 for no
/// route, 405 for a method the route table does not have for the path.
fn route_access(state: &AppState, parts: &Parts) -> Result<Access, Box<Response>> {
    let Some(matched) = parts.extensions.get::<MatchedPath>().map(|m| m.as_str()) else {
        return Err(Box::new(
            (StatusCode::NOT_FOUND, "not found").into_response(),
        ));
    };
    // HEAD is answered by the GET handler and needs the same access.
    let lookup = if parts.method == Method::HEAD {
        Method::GET
    } else {
        parts.method.clone()
    };
    // The path exists but not for this method (TRACE, PATCH, OPTIONS, …): axum's method
    // fallback runs behind this layer, so answer 405 here with the methods the route
    // table has for the path.
    state
        .access
        .get(&(lookup, matched.to_owned()))
        .copied()
        .ok_or_else(|| Box::new(method_not_allowed(state, matched)))
}

/// The session token of a request, and whether it is an API call made with the cookie.
///
/// The outreach app runs in the browser and must not hold a bearer token, so its API
/// calls may use the session cookie instead; a change made that way must carry the
/// session's CSRF token in `X-CSRF-Token`.
fn session_token(
    state: &AppState,
    path: &str,
    headers: &axum::http::HeaderMap,
) -> (Option<String>, bool) {
    if !is_api(path) {
        return (cookie_token(state, headers), false);
    }
    match bearer_token(headers) {
        Some(t) => (Some(t), false),
        None if path.starts_with("/api/v1/outreach/") => (cookie_token(state, headers), true),
        None => (None, false),
    }
}

/// The answer when `session` does not meet `access` (sign in, or 403); `None` when it
/// does.
fn refusal(
    access: Access,
    session: &Session,
    state: &AppState,
    parts: &Parts,
    tr: &Option<Tr>,
) -> Option<Response> {
    let path = parts.uri.path();
    let full = session.stage == Stage::Full;
    match access {
        Access::Pending if full => Some(Redirect::to("/staff/").into_response()),
        Access::Staff | Access::Perm(_) if !full => Some(unauthenticated(path, state, parts)),
        Access::Perm(p) if !session.actor.can(p) => Some(forbidden(path, state, parts, tr.clone())),
        Access::Public | Access::Pending | Access::Staff | Access::Perm(_) => None,
    }
}

/// A form post's body as checked against the session's CSRF token.
enum Form {
    Checked(Body),
    TooLarge,
    WrongToken,
}

/// The body of a form post, checked: its `csrf` field must match the session's token.
async fn checked_form(body: Body, session: &Session) -> Form {
    let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
        return Form::TooLarge;
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let sent = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    if sent.is_some_and(|s| constant_time_eq(s.as_bytes(), session.csrf_token.as_bytes())) {
        Form::Checked(Body::from(bytes))
    } else {
        Form::WrongToken
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
