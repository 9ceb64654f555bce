//! Persons through the API: the same use cases as the pages.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::ids::PersonId;
use haven_core::people::{self, Person, PersonInput, PersonSummary};
use haven_core::Error;
use serde::Deserialize;

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// A name or alias in any spelling and order, or a phone number. Without it, the most
    /// recently changed persons.
    #[serde(default)]
    pub q: Option<String>,
    /// At most this many (1–200, default 50).
    #[serde(default)]
    pub limit: Option<i64>,
}

/// Find persons your organisation may see.
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", params(ListQuery),
    responses(
        (status = 200, body = Vec<PersonSummary>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<PersonSummary>>, ApiErr> {
    let limit = q.limit.unwrap_or(50);
    let res = match q.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(query) => people::search(&state.ctx, &s.actor, query, limit).await,
        None => people::recent(&state.ctx, &s.actor, limit).await,
    };
    res.map(Json).map_err(t.api())
}

/// Register a person for your organisation. Every field is optional.
#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", request_body = PersonInput,
    responses(
        (status = 201, body = Person),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<(StatusCode, Json<Person>), ApiErr> {
    people::register(&state.ctx, &s.actor, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(t.api())
}

fn parse_id(id: &str, t: &Tr) -> Result<PersonId, ApiErr> {
    id.parse().map_err(|_| t.api()(Error::NotFound))
}

/// Read a person. Audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Person),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, description = "No such person, or not visible to your organisation", body = crate::error::ApiErrorBody),
        (status = 410, description = "The person's data was erased", body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<Person>, ApiErr> {
    let id = parse_id(&id, &t)?;
    people::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Replace a person's data. Send `version` from your last read to be told (409) when
/// someone else changed the person in between.
#[utoipa::path(put, path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = String, Path, format = Uuid)), request_body = PersonInput,
    responses(
        (status = 200, body = Person),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, description = "Changed by someone else since `version`", body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<Json<Person>, ApiErr> {
    let id = parse_id(&id, &t)?;
    people::update(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Erase a person's data: their data key is destroyed, so everything sealed with it (the
/// record, notes, reasons) can never be read again, and their name search tokens go too.
/// Only the organisation that registered the person may do this. Cannot be undone.
/// Audited.
#[utoipa::path(delete, path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 204, description = "Erased"),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, description = "No such person, or not registered by your organisation", body = crate::error::ApiErrorBody),
    ))]
pub async fn erase(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiErr> {
    let id = parse_id(&id, &t)?;
    people::erase(&state.ctx, &s.actor, id)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}
