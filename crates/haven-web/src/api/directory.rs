//! Editing the services directory through the API: the same use cases as the staff pages
//! under `/staff/directory` (drafts by partner staff, review by a municipal editor,
//! "last checked"). The public HSDS API is elsewhere (`/api/hsds/`).

use haven_core::directory::form::{Change, EntryInput};
use haven_core::directory::review::{self, Listed, Queued, Review, Status};
use haven_core::directory::{self, Kind};
use serde::{Deserialize, Serialize};

use crate::api::{
    Answer, ApiJson, CreatedAnswer, Done, Forbidden, Invalid, NotFound, StaffApi, Unauthorized,
};
use crate::extract::Id;

/// An entry with its published version, its draft (waiting, or the last rejected one) and
/// what the draft changes.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryView {
    /// organization | service | location
    pub kind: String,
    pub id: String,
    pub status: Status,
    pub published: Option<EntryInput>,
    pub draft: Option<EntryInput>,
    pub changes: Vec<Change>,
    pub last_checked_at: Option<i64>,
    pub stale: bool,
    pub last_review: Option<Review>,
}

impl EntryView {
    fn of(k: Kind, e: review::Editing) -> Self {
        EntryView {
            kind: k.as_str().to_owned(),
            changes: e.changes(),
            published: e.published.as_ref().map(|p| EntryInput::from_entry(k, p)),
            draft: e.draft.as_ref().map(|d| EntryInput::from_entry(k, d)),
            id: e.id,
            status: e.status,
            last_checked_at: e.last_checked_at,
            stale: e.stale,
            last_review: e.last_review,
        }
    }
}

/// The id of a saved draft.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub id: String,
}

/// Why a draft is rejected; its organisation's staff see this.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RejectInput {
    pub reason: String,
}

/// The directory entries of the caller's own organisation, with status and last check.
#[utoipa::path(get, path = "/api/v1/directory/entries", tag = "directory",
    responses((status = 200, body = Vec<Listed>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi) -> Answer<Vec<Listed>> {
    a.json(review::list_own(&a.ctx, &a.s.actor).await)
}

/// Propose a new entry (`kind`: organization, service or location) as a draft for review.
#[utoipa::path(post, path = "/api/v1/directory/{kind}", tag = "directory",
    params(("kind" = String, Path)), request_body = EntryInput,
    responses((status = 201, body = Saved), Unauthorized, Forbidden, Invalid))]
pub async fn create(
    a: StaffApi,
    Id(k): Id<Kind>,
    ApiJson(input): ApiJson<EntryInput>,
) -> CreatedAnswer<Saved> {
    let saved = review::save(&a.ctx, &a.s.actor, k, None, &input).await;
    a.created(saved.map(|id| Saved { id }))
}

/// Read an entry of one's own organisation: published text, draft, changes, last check.
#[utoipa::path(get, path = "/api/v1/directory/{kind}/{id}", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    responses((status = 200, body = EntryView), Unauthorized, Forbidden, NotFound))]
pub async fn get(a: StaffApi, Id((k, id)): Id<(Kind, String)>) -> Answer<EntryView> {
    let entry = review::get(&a.ctx, &a.s.actor, k, &id).await;
    a.json(entry.map(|e| EntryView::of(k, e)))
}

/// Save a change to an entry as a draft for review; the public text stays until approved.
#[utoipa::path(put, path = "/api/v1/directory/{kind}/{id}", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body = EntryInput,
    responses((status = 200, body = Saved), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn update(
    a: StaffApi,
    Id((k, id)): Id<(Kind, String)>,
    ApiJson(input): ApiJson<EntryInput>,
) -> Answer<Saved> {
    let saved = review::save(&a.ctx, &a.s.actor, k, Some(&id), &input).await;
    a.json(saved.map(|id| Saved { id }))
}

/// Confirm that a published entry is still correct (sets "last checked" to now).
#[utoipa::path(post, path = "/api/v1/directory/{kind}/{id}/checked", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    responses((status = 204), Unauthorized, Forbidden, NotFound))]
pub async fn checked(a: StaffApi, Id((k, id)): Id<(Kind, String)>) -> Done {
    // Another organisation's entry is "not found", as in every other directory call.
    review::get(&a.ctx, &a.s.actor, k, &id)
        .await
        .map_err(|e| a.err(e))?;
    a.done(directory::mark_checked(&a.ctx, &a.s.actor, k, &id).await)
}

/// The review queue: every draft waiting, oldest first, with what it changes.
#[utoipa::path(get, path = "/api/v1/directory/review", tag = "directory",
    responses((status = 200, body = Vec<Queued>), Unauthorized, Forbidden))]
pub async fn queue(a: StaffApi) -> Answer<Vec<Queued>> {
    a.json(review::queue(&a.ctx, &a.s.actor).await)
}

/// Approve a draft: it becomes public; the reviewer and time are recorded.
#[utoipa::path(post, path = "/api/v1/directory/review/{kind}/{id}/approve", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    responses((status = 204), Unauthorized, Forbidden, NotFound))]
pub async fn approve(a: StaffApi, Id((k, id)): Id<(Kind, String)>) -> Done {
    a.done(review::approve(&a.ctx, &a.s.actor, k, &id).await)
}

/// Reject a draft with a reason; the public entry stays as it was.
#[utoipa::path(post, path = "/api/v1/directory/review/{kind}/{id}/reject", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body = RejectInput,
    responses((status = 204), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn reject(
    a: StaffApi,
    Id((k, id)): Id<(Kind, String)>,
    ApiJson(input): ApiJson<RejectInput>,
) -> Done {
    a.done(review::reject(&a.ctx, &a.s.actor, k, &id, &input.reason).await)
}
