//! The public site's content through the API: the same use cases as the editor pages.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::content::{self, Item, ItemInput, TextInput};
use haven_core::ids::ContentId;
use haven_core::Error;

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

fn parse_id(id: &str, t: &Tr) -> Result<ContentId, ApiErr> {
    id.parse().map_err(|_| t.api()(Error::NotFound))
}

/// Every page, question and story with the state of each language (status, who reviewed,
/// whether the translation is out of date).
#[utoipa::path(get, path = "/api/v1/content", tag = "content",
    responses(
        (status = 200, body = Vec<Item>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<Item>>, ApiErr> {
    content::list(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Add a page, question or story (its text is added per language afterwards). A story
/// needs the speaker's consent: the name to publish, the consent date and the expiry date.
#[utoipa::path(post, path = "/api/v1/content", tag = "content",
    request_body = ItemInput,
    responses(
        (status = 201, body = Item),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<ItemInput>,
) -> Result<(StatusCode, Json<Item>), ApiErr> {
    let id = content::create(&state.ctx, &s.actor, &input)
        .await
        .map_err(t.api())?;
    content::get(&state.ctx, &s.actor, id)
        .await
        .map(|i| (StatusCode::CREATED, Json(i)))
        .map_err(t.api())
}

/// One item with all its languages.
#[utoipa::path(get, path = "/api/v1/content/{id}", tag = "content",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Item),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<Item>, ApiErr> {
    let id = parse_id(&id, &t)?;
    content::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Save one language's text as a new draft. Saving English marks every translation out of
/// date; a translation needs the English text first (409 `content-source-first`).
#[utoipa::path(put, path = "/api/v1/content/{id}/{lang}", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    request_body = TextInput,
    responses(
        (status = 200, body = Item),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn save(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((id, lang)): Path<(String, String)>,
    ApiJson(input): ApiJson<TextInput>,
) -> Result<Json<Item>, ApiErr> {
    let id = parse_id(&id, &t)?;
    content::save(&state.ctx, &s.actor, id, &lang, &input)
        .await
        .map_err(t.api())?;
    content::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

async fn step(
    state: &AppState,
    t: &Tr,
    s: &haven_core::users::Session,
    id: &str,
    lang: &str,
    which: &str,
) -> Result<Json<Item>, ApiErr> {
    let id = parse_id(id, t)?;
    match which {
        "review" => content::review(&state.ctx, &s.actor, id, lang).await,
        "publish" => content::publish(&state.ctx, &s.actor, id, lang).await,
        _ => content::confirm(&state.ctx, &s.actor, id, lang).await,
    }
    .map_err(t.api())?;
    content::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Mark a draft as reviewed (records the reviewer).
#[utoipa::path(post, path = "/api/v1/content/{id}/{lang}/review", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    responses(
        (status = 200, body = Item),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn review(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((id, lang)): Path<(String, String)>,
) -> Result<Json<Item>, ApiErr> {
    step(&state, &t, &s, &id, &lang, "review").await
}

/// Put a reviewed text online.
#[utoipa::path(post, path = "/api/v1/content/{id}/{lang}/publish", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    responses(
        (status = 200, body = Item),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((id, lang)): Path<(String, String)>,
) -> Result<Json<Item>, ApiErr> {
    step(&state, &t, &s, &id, &lang, "publish").await
}

/// Re-approve a translation after the English text changed.
#[utoipa::path(post, path = "/api/v1/content/{id}/{lang}/confirm", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    responses(
        (status = 200, body = Item),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn confirm(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((id, lang)): Path<(String, String)>,
) -> Result<Json<Item>, ApiErr> {
    step(&state, &t, &s, &id, &lang, "confirm").await
}

/// Take a story down at once; its words and the speaker's name are erased.
#[utoipa::path(post, path = "/api/v1/content/{id}/withdraw", tag = "content",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiErr> {
    let id = parse_id(&id, &t)?;
    content::withdraw(&state.ctx, &s.actor, id)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}
