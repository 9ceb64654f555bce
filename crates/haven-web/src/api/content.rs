//! The public site's content through the API: the same use cases as the editor pages.

use haven_core::content::{self, Item, ItemInput, TextInput};
use haven_core::ids::ContentId;
use haven_core::Error;

use crate::api::{
    Answer, ApiJson, Conflict, CreatedAnswer, Done, Forbidden, Invalid, NotFound, StaffApi,
    Unauthorized,
};
use crate::extract::Id;

/// Every page, question and story with the state of each language (status, who reviewed,
/// whether the translation is out of date).
#[utoipa::path(get, path = "/api/v1/content", tag = "content",
    responses((status = 200, body = Vec<Item>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi) -> Answer<Vec<Item>> {
    a.json(content::list(&a.ctx, &a.s.actor).await)
}

/// Add a page, question or story (its text is added per language afterwards). A story
/// needs the speaker's consent: the name to publish, the consent date and the expiry date.
#[utoipa::path(post, path = "/api/v1/content", tag = "content",
    request_body = ItemInput,
    responses((status = 201, body = Item), Unauthorized, Forbidden, Invalid))]
pub async fn create(a: StaffApi, ApiJson(input): ApiJson<ItemInput>) -> CreatedAnswer<Item> {
    let id = content::create(&a.ctx, &a.s.actor, &input)
        .await
        .map_err(|e| a.err(e))?;
    a.created(content::get(&a.ctx, &a.s.actor, id).await)
}

/// One item with all its languages.
#[utoipa::path(get, path = "/api/v1/content/{id}", tag = "content",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Item), Unauthorized, Forbidden, NotFound))]
pub async fn get(a: StaffApi, Id(id): Id<ContentId>) -> Answer<Item> {
    a.json(content::get(&a.ctx, &a.s.actor, id).await)
}

/// Save one language's text as a new draft. Saving English marks every translation out of
/// date; a translation needs the English text first (409 `content-source-first`).
#[utoipa::path(put, path = "/api/v1/content/{id}/{lang}", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    request_body = TextInput,
    responses((status = 200, body = Item), Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
pub async fn save(
    a: StaffApi,
    Id((id, lang)): Id<(ContentId, String)>,
    ApiJson(input): ApiJson<TextInput>,
) -> Answer<Item> {
    let saved = content::save(&a.ctx, &a.s.actor, id, &lang, &input).await;
    item_after(&a, id, saved).await
}

/// The item as a change left it, or the change's error.
async fn item_after(a: &StaffApi, id: ContentId, changed: Result<(), Error>) -> Answer<Item> {
    changed.map_err(|e| a.err(e))?;
    a.json(content::get(&a.ctx, &a.s.actor, id).await)
}

/// Mark a draft as reviewed (records the reviewer).
#[utoipa::path(post, path = "/api/v1/content/{id}/{lang}/review", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    responses((status = 200, body = Item), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn review(a: StaffApi, Id((id, lang)): Id<(ContentId, String)>) -> Answer<Item> {
    let reviewed = content::review(&a.ctx, &a.s.actor, id, &lang).await;
    item_after(&a, id, reviewed).await
}

/// Put a reviewed text online.
#[utoipa::path(post, path = "/api/v1/content/{id}/{lang}/publish", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    responses((status = 200, body = Item), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn publish(a: StaffApi, Id((id, lang)): Id<(ContentId, String)>) -> Answer<Item> {
    let published = content::publish(&a.ctx, &a.s.actor, id, &lang).await;
    item_after(&a, id, published).await
}

/// Re-approve a translation after the English text changed.
#[utoipa::path(post, path = "/api/v1/content/{id}/{lang}/confirm", tag = "content",
    params(("id" = String, Path, format = Uuid), ("lang" = String, Path)),
    responses((status = 200, body = Item), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn confirm(a: StaffApi, Id((id, lang)): Id<(ContentId, String)>) -> Answer<Item> {
    let confirmed = content::confirm(&a.ctx, &a.s.actor, id, &lang).await;
    item_after(&a, id, confirmed).await
}

/// Take a story down at once; its words and the speaker's name are erased.
#[utoipa::path(post, path = "/api/v1/content/{id}/withdraw", tag = "content",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn withdraw(a: StaffApi, Id(id): Id<ContentId>) -> Done {
    a.done(content::withdraw(&a.ctx, &a.s.actor, id).await)
}
