//! Errors become HTTP responses here and nowhere else.
//!
//! | core error | page | API |
//! |---|---|---|
//! | `Unauthenticated` | redirect to sign-in | 401 |
//! | `Forbidden` | 403 page | 403 |
//! | `NotFound` | 404 page | 404 |
//! | `Invalid` | the form again, 422, every field's message | 422 with `fields` |
//! | `Conflict` | 409 page with the reason | 409 |
//! | `Erased` | 410 page | 410 |
//! | `Unavailable` | 503 (with `Retry-After`): nothing was saved, try again later | 503 |
//! | `Internal` | 500, generic text; the detail goes to the log only | 500 |

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use haven_core::Error;
use serde::Serialize;

use crate::i18n::Tr;
pub use crate::views::fallback_500;
use crate::views::{render, ErrorPage};

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::Forbidden => StatusCode::FORBIDDEN,
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Erased => StatusCode::GONE,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn message_id(e: &Error) -> &'static str {
    match e {
        Error::Unauthenticated => "err-unauthenticated",
        Error::Forbidden => "err-forbidden",
        Error::NotFound => "err-not-found",
        Error::Invalid(_) => "err-invalid",
        Error::Conflict(code) => code,
        Error::Erased => "err-erased",
        Error::Unavailable(_) => "err-unavailable",
        Error::Internal(_) => "err-internal",
    }
}

fn log_internal(e: &Error) {
    match e {
        Error::Internal(inner) => tracing::error!(error = ?inner, "internal error"),
        Error::Unavailable(inner) => tracing::error!(error = ?inner, "storage unavailable"),
        _ => {}
    }
}

/// How long a client should wait before trying a write again after a storage failure.
const RETRY_AFTER_SECONDS: &str = "30";

/// Adds what a status needs besides the body: how to authenticate, when to retry.
fn with_headers(status: StatusCode, mut res: Response) -> Response {
    let h = res.headers_mut();
    if status == StatusCode::UNAUTHORIZED {
        h.insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        h.insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
    res
}

/// An error on a page, rendered in the reader's language.
pub struct PageErr {
    pub err: Error,
    pub tr: Tr,
}

impl IntoResponse for PageErr {
    fn into_response(self) -> Response {
        log_internal(&self.err);
        if matches!(self.err, Error::Unauthenticated) {
            return Redirect::to("/staff/login").into_response();
        }
        let status = status_of(&self.err);
        let page = ErrorPage {
            t: self.tr.clone(),
            chrome: crate::views::Chrome::bare(),
            title: self.tr.t(&format!("title-{}", status.as_u16())),
            message: match &self.err {
                // A page without a form to show them on names what to fix in words.
                Error::Invalid(fields) if !fields.is_empty() => fields
                    .iter()
                    .map(|f| self.tr.t(f.code))
                    .collect::<Vec<_>>()
                    .join(" "),
                e => self.tr.t(message_id(e)),
            },
        };
        with_headers(status, (status, render(&page)).into_response())
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiFieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// The body of every API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// A stable code, e.g. `err-invalid`.
    pub error: String,
    /// The same, in words, in the language asked for (`Accept-Language`).
    pub message: String,
    /// For `err-invalid`: what is wrong with which field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<ApiFieldError>,
}

/// An error from the JSON API.
pub struct ApiErr {
    pub err: Error,
    pub tr: Tr,
}

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        log_internal(&self.err);
        let status = status_of(&self.err);
        let id = message_id(&self.err);
        let fields = match &self.err {
            Error::Invalid(fs) => fs
                .iter()
                .map(|f| ApiFieldError {
                    field: f.field.to_owned(),
                    code: f.code.to_owned(),
                    message: format!(
                        "{}: {}",
                        self.tr.t(&format!("field-{}", f.field)),
                        self.tr.t(f.code)
                    ),
                })
                .collect(),
            _ => Vec::new(),
        };
        let body = ApiErrorBody {
            error: id.to_owned(),
            message: self.tr.t(id),
            fields,
        };
        with_headers(status, (status, Json(body)).into_response())
    }
}

/// Shorthands: `.map_err(tr.page())?` and `.map_err(tr.api())?`.
pub trait ErrExt {
    fn page(&self) -> impl Fn(Error) -> PageErr;
    fn api(&self) -> impl Fn(Error) -> ApiErr;
}

impl ErrExt for Tr {
    fn page(&self) -> impl Fn(Error) -> PageErr {
        let tr = self.clone();
        move |err| PageErr {
            err,
            tr: tr.clone(),
        }
    }
    fn api(&self) -> impl Fn(Error) -> ApiErr {
        let tr = self.clone();
        move |err| ApiErr {
            err,
            tr: tr.clone(),
        }
    }
}
