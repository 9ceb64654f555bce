//! Persons through the API: the same use cases as the pages.

use axum::extract::Query;
use haven_core::ids::PersonId;
use haven_core::people::{self, Person, PersonInput, PersonSummary};
use serde::Deserialize;

use crate::api::{
    Answer, ApiJson, CreatedAnswer, Done, Erased, Forbidden, Invalid, NotFound, StaffApi,
    Unauthorized,
};
use crate::error::ApiErrorBody;
use crate::extract::Id;

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
    responses((status = 200, body = Vec<PersonSummary>), Unauthorized, Forbidden, Invalid))]
pub async fn list(a: StaffApi, Query(q): Query<ListQuery>) -> Answer<Vec<PersonSummary>> {
    let limit = q.limit.unwrap_or(50);
    let res = match q.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(query) => people::search(&a.ctx, &a.s.actor, query, limit).await,
        None => people::recent(&a.ctx, &a.s.actor, limit).await,
    };
    a.json(res)
}

/// Register a person for your organisation. Every field is optional.
#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", request_body = PersonInput,
    responses((status = 201, body = Person), Unauthorized, Forbidden, Invalid))]
pub async fn create(a: StaffApi, ApiJson(input): ApiJson<PersonInput>) -> CreatedAnswer<Person> {
    a.created(people::register(&a.ctx, &a.s.actor, &input).await)
}

/// Read a person. Audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Person),
        Unauthorized, Forbidden,
        (status = 404, description = "No such person, or not visible to your organisation", body = ApiErrorBody),
        Erased,
    ))]
pub async fn get(a: StaffApi, Id(id): Id<PersonId>) -> Answer<Person> {
    a.json(people::get(&a.ctx, &a.s.actor, id).await)
}

/// Replace a person's data. Send `version` from your last read to be told (409) when
/// someone else changed the person in between.
#[utoipa::path(put, path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = String, Path, format = Uuid)), request_body = PersonInput,
    responses(
        (status = 200, body = Person),
        Unauthorized, Forbidden, NotFound,
        (status = 409, description = "Changed by someone else since `version`", body = ApiErrorBody),
        Invalid,
    ))]
pub async fn update(
    a: StaffApi,
    Id(id): Id<PersonId>,
    ApiJson(input): ApiJson<PersonInput>,
) -> Answer<Person> {
    a.json(people::update(&a.ctx, &a.s.actor, id, &input).await)
}

/// Erase a person's data: their data key is destroyed, so everything sealed with it (the
/// record, notes, reasons) can never be read again, and their name search tokens go too.
/// Only the organisation that registered the person may do this. Cannot be undone.
/// Audited.
#[utoipa::path(delete, path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 204, description = "Erased"),
        Unauthorized, Forbidden,
        (status = 404, description = "No such person, or not registered by your organisation", body = ApiErrorBody),
    ))]
pub async fn erase(a: StaffApi, Id(id): Id<PersonId>) -> Done {
    a.done(people::erase(&a.ctx, &a.s.actor, id).await)
}
