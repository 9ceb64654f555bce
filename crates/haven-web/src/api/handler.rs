//! What every staff API handler shares, so that a handler is its core call and nothing else:
//!
//! * its opening, [`StaffApi`]: the core's context, the signed-in staff member and the
//!   reader's language (for error bodies); typed path values come through
//!   [`crate::extract::Id`] and bodies through [`ApiJson`];
//! * its closing: [`StaffApi::json`] (200 with the value), [`StaffApi::created`] (201 with
//!   the value) and [`StaffApi::done`] (204, nothing);
//! * the error responses its `#[utoipa::path]` lists after its success response, one type a
//!   status: `responses((status = 200, body = Board), Unauthorized, Forbidden, NotFound)`. A
//!   route with something particular to say about a status writes that response out
//!   instead: `(status = 403, description = "Not an approver of stay extensions", body =
//!   ApiErrorBody)`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use haven_core::users::Session;
use haven_core::{Ctx, Error};
use serde::de::DeserializeOwned;
use std::str::FromStr;
use utoipa::IntoResponses;

use crate::auth::Staff;
use crate::error::{ApiErr, ApiErrorBody, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

/// A handler's answer: `200 OK` with the value ([`StaffApi::json`]), or the error.
pub type Answer<T> = Result<Json<T>, ApiErr>;

/// A creating handler's answer: `201 Created` with what was made ([`StaffApi::created`]).
pub type CreatedAnswer<T> = Result<(StatusCode, Json<T>), ApiErr>;

/// An answer without a body: `204 No Content` ([`StaffApi::done`]).
pub type Done = Result<StatusCode, ApiErr>;

/// A staff API handler's opening: the core's context, who is asking, and their language.
pub struct StaffApi {
    pub ctx: Ctx,
    pub s: Session,
    pub t: Tr,
}

impl FromRequestParts<AppState> for StaffApi {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Staff(s) = Staff::from_request_parts(parts, state).await?;
        let Ok(t) = Tr::from_request_parts(parts, state).await;
        Ok(StaffApi {
            ctx: state.ctx.clone(),
            s,
            t,
        })
    }
}

impl StaffApi {
    /// The answer `200 OK` with the value, or the error in the reader's language.
    pub fn json<T>(&self, r: Result<T, Error>) -> Answer<T> {
        r.map(Json).map_err(self.t.api())
    }

    /// The answer `201 Created` with what was made.
    pub fn created<T>(&self, r: Result<T, Error>) -> CreatedAnswer<T> {
        r.map(|v| (StatusCode::CREATED, Json(v)))
            .map_err(self.t.api())
    }

    /// The answer `204 No Content`: done, nothing to show.
    pub fn done<T>(&self, r: Result<T, Error>) -> Done {
        r.map(|_| StatusCode::NO_CONTENT).map_err(self.t.api())
    }

    /// An error in the reader's language, for `?` before the handler's last call.
    pub fn err(&self, err: Error) -> ApiErr {
        self.t.api()(err)
    }
}

/// An optional id chosen in a query or body field: nothing when the field is missing or
/// blank, and an error on the field (`err-choice`) when it names no id of the kind.
pub fn chosen<T: FromStr>(field: &'static str, v: Option<&str>) -> Result<Option<T>, Error> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid(field, "err-choice")),
    }
}

// The error responses. They carry no doc comments on purpose: utoipa would make a doc
// comment the response's description, and the document describes these statuses by their
// body alone (`ApiErrorBody`, whose `error` names what went wrong).

#[derive(IntoResponses)]
#[response(status = 401)]
pub struct Unauthorized(pub ApiErrorBody);

#[derive(IntoResponses)]
#[response(status = 403)]
pub struct Forbidden(pub ApiErrorBody);

#[derive(IntoResponses)]
#[response(status = 404)]
pub struct NotFound(pub ApiErrorBody);

#[derive(IntoResponses)]
#[response(status = 409)]
pub struct Conflict(pub ApiErrorBody);

#[derive(IntoResponses)]
#[response(status = 422)]
pub struct Invalid(pub ApiErrorBody);

#[derive(IntoResponses)]
#[response(status = 410, description = "The person's data was erased")]
pub struct Erased(pub ApiErrorBody);

/// A JSON body whose problems are answered like every other API error: a JSON body with a
/// code and a message in the reader's language that names what is wrong.
pub struct ApiJson<T>(pub T);

impl<T> FromRequest<AppState> for ApiJson<T>
where
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                let tr = state.i18n.tr(state.i18n.negotiate(accept.as_deref()));
                Err(json_rejected(&tr, &rejection))
            }
        }
    }
}

/// The answer to a body that is not JSON of the expected form: its status (400, 415 or
/// 422) and an error body saying, in the reader's language, what is wrong and, for a value
/// of the wrong form, in which field.
pub fn json_rejected(tr: &Tr, rejection: &JsonRejection) -> Response {
    let message = json_problem(tr, rejection);
    let fields = match wrong_field(rejection) {
        Some((field, _)) => vec![crate::error::ApiFieldError {
            field,
            code: "err-json".to_owned(),
            message: message.clone(),
        }],
        None => Vec::new(),
    };
    let body = ApiErrorBody {
        error: "err-json".to_owned(),
        message,
        fields,
    };
    (rejection.status(), Json(body)).into_response()
}

/// What is wrong with a JSON body, in words. It names the field and the rule it breaks,
/// never the value sent: a value may be personal data, and error answers end up in logs.
pub fn json_problem(tr: &Tr, rejection: &JsonRejection) -> String {
    match wrong_field(rejection) {
        Some((field, rule)) if field.is_empty() || field == "." => {
            format!("{} {rule}", tr.t("err-json"))
        }
        Some((field, rule)) => format!("{} {field}: {rule}", tr.t("err-json")),
        // Not JSON at all, or no JSON content type: serde's and axum's text names a
        // place in the body (line and column) or the header, not what was sent.
        None => format!("{} {}", tr.t("err-json"), rejection.body_text()),
    }
}

/// For a body that is JSON but not of the expected form: the path of the wrong field and
/// the rule, with the value left out (`invalid type: string "…", expected a date` becomes
/// `expected a date`).
fn wrong_field(rejection: &JsonRejection) -> Option<(String, String)> {
    let JsonRejection::JsonDataError(e) = rejection else {
        return None;
    };
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(p) = c.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            return Some((p.path().to_string(), rule_of(&p.inner().to_string())));
        }
        cause = c.source();
    }
    Some((
        String::new(),
        "the body does not have the expected form".to_owned(),
    ))
}

/// The rule in a serde message, without the value it quotes.
fn rule_of(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    if message.starts_with("missing field") || message.starts_with("unknown field") {
        // Names a field (and the fields there are), not a value.
        return message.to_owned();
    }
    if let Some(i) = message.find("expected ") {
        return message[i..].to_owned();
    }
    "does not have the expected form".to_owned()
}

/// The four handlers of a resource that administrators list, create, read and change
/// (organisations, programmes, staff accounts). They differ only in their paths, types and
/// core calls, so this writes their signatures, their `#[utoipa::path]` with the shared
/// error responses, and their closing; each line of the invocation says what one handler
/// calls, with its own doc comment. The handlers are named `list`, `create`, `get` and
/// `update`, the names `routes.rs` and the OpenAPI document use.
///
/// ```ignore
/// resource_api! {
///     tag: "users", path: "/api/v1/users", item: "/api/v1/users/{id}", id: UserId, body: User;
///     /// All staff accounts.
///     list(a) => users::list(&a.ctx, &a.s.actor);
///     /// Create a staff account.
///     create(a, input: NewUser) => users::create(&a.ctx, &a.s.actor, &input, None);
///     /// Read a staff account.
///     get(a, id) => users::get(&a.ctx, &a.s.actor, id);
///     /// Change a staff account.
///     update(a, id, input: UserUpdate) => users::update(&a.ctx, &a.s.actor, id, &input);
/// }
/// ```
macro_rules! resource_api {
    (
        tag: $tag:literal, path: $path:literal, item: $item:literal, id: $id_ty:ty, body: $body:ty;
        $(#[$list_doc:meta])* list($la:ident) => $list:expr;
        $(#[$create_doc:meta])* create($ca:ident, $cin:ident: $create_in:ty) => $create:expr;
        $(#[$get_doc:meta])* get($ga:ident, $gid:ident) => $get:expr;
        $(#[$update_doc:meta])* update($ua:ident, $uid:ident, $uin:ident: $update_in:ty) => $update:expr;
    ) => {
        $(#[$list_doc])*
        #[utoipa::path(get, path = $path, tag = $tag,
            responses((status = 200, body = Vec<$body>), Unauthorized, Forbidden))]
        pub async fn list($la: StaffApi) -> $crate::api::Answer<Vec<$body>> {
            $la.json($list.await)
        }

        $(#[$create_doc])*
        #[utoipa::path(post, path = $path, tag = $tag, request_body = $create_in,
            responses((status = 201, body = $body), Unauthorized, Forbidden, Invalid))]
        pub async fn create(
            $ca: StaffApi,
            ApiJson($cin): ApiJson<$create_in>,
        ) -> $crate::api::CreatedAnswer<$body> {
            $ca.created($create.await)
        }

        $(#[$get_doc])*
        #[utoipa::path(get, path = $item, tag = $tag,
            params(("id" = String, Path, format = Uuid)),
            responses((status = 200, body = $body), Unauthorized, Forbidden, NotFound))]
        pub async fn get($ga: StaffApi, Id($gid): Id<$id_ty>) -> $crate::api::Answer<$body> {
            $ga.json($get.await)
        }

        $(#[$update_doc])*
        #[utoipa::path(put, path = $item, tag = $tag,
            params(("id" = String, Path, format = Uuid)), request_body = $update_in,
            responses((status = 200, body = $body), Unauthorized, Forbidden, NotFound, Invalid))]
        pub async fn update(
            $ua: StaffApi,
            Id($uid): Id<$id_ty>,
            ApiJson($uin): ApiJson<$update_in>,
        ) -> $crate::api::Answer<$body> {
            $ua.json($update.await)
        }
    };
}
pub(crate) use resource_api;
