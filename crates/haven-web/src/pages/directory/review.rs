//! Reviewing the directory: the queue of drafts, one draft beside the published text, and
//! approving or rejecting it (with a reason).

use askama::Template;
use axum::Form;
use haven_core::directory::form::{Change, Shown};
use haven_core::directory::review::{self, Status};
use haven_core::directory::Kind;
use haven_core::users::Session;
use haven_core::Error;
use serde::Deserialize;

use super::{kind_label, QUEUE};
use crate::error::{ErrExt, PageErr};
use crate::extract::{DirKind, Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::{see_other, PageResult};
use crate::views::{fmt_ts, render, render_refused, Chrome, FormErrors};
use crate::AppState;

pub struct ChangeRow {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn shown(t: &Tr, s: &Option<Shown>) -> String {
    match s {
        None => String::new(),
        Some(Shown::Text(x)) => x.clone(),
        Some(Shown::Flag(b)) => t.t(if *b { "yes" } else { "no" }),
    }
}

fn change_rows(t: &Tr, changes: Vec<Change>) -> Vec<ChangeRow> {
    changes
        .into_iter()
        .map(|c| ChangeRow {
            field: t.t(&format!("field-{}", c.field)),
            before: shown(t, &c.before),
            after: shown(t, &Some(c.after)),
        })
        .collect()
}

pub struct QueueRow {
    pub href: String,
    pub kind: String,
    pub name: String,
    pub submitted: String,
    pub is_new: bool,
    pub changed: usize,
}

#[derive(Template)]
#[template(path = "directory_queue.html")]
pub struct QueuePage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<QueueRow>,
}

pub async fn queue(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let q = review::queue(&app.ctx, &s.actor).await.map_err(t.page())?;
    let rows = q
        .into_iter()
        .map(|p| QueueRow {
            href: format!("{QUEUE}/{}/{}", p.kind.as_str(), p.id),
            kind: kind_label(&t, p.kind),
            name: p.name,
            submitted: fmt_ts(p.draft_at),
            is_new: !p.published_before,
            changed: p.changes.len(),
        })
        .collect();
    Ok(render(&QueuePage { rows, chrome, t }))
}

#[derive(Template)]
#[template(path = "directory_review.html")]
pub struct ReviewPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub kind: String,
    pub name: String,
    pub is_new: bool,
    pub changes: Vec<ChangeRow>,
    pub approve_action: String,
    pub reject_action: String,
    pub errors: FormErrors,
    pub reason: String,
}

/// The draft of entry `id` beside what is published; `errors` and `reason` from a refused
/// rejection.
async fn review_page(
    app: &AppState,
    s: &Session,
    t: Tr,
    chrome: Chrome,
    (kind, id): (Kind, &str),
    errors: FormErrors,
    reason: String,
) -> Result<ReviewPage, PageErr> {
    let e = review::get(&app.ctx, &s.actor, kind, id)
        .await
        .map_err(t.page())?;
    if e.status != Status::Pending {
        return Err(t.page()(Error::Conflict("err-directory-no-draft")));
    }
    let name = e
        .draft
        .as_ref()
        .and_then(|d| d.hsds.get("name").and_then(|n| n.as_str()))
        .unwrap_or("")
        .to_owned();
    Ok(ReviewPage {
        chrome,
        kind: kind_label(&t, kind),
        name,
        is_new: e.published.is_none(),
        changes: change_rows(&t, e.changes()),
        approve_action: format!("{QUEUE}/{}/{id}/approve", kind.as_str()),
        reject_action: format!("{QUEUE}/{}/{id}/reject", kind.as_str()),
        errors,
        reason,
        t,
    })
}

pub async fn show_review(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id((DirKind(kind), id)): Id<(DirKind, String)>,
) -> PageResult {
    let errors = FormErrors::default();
    let page = review_page(&app, &s, t, chrome, (kind, &id), errors, String::new()).await?;
    Ok(render(&page))
}

pub async fn approve(
    StaffPage { app, s, t, .. }: StaffPage,
    Id((DirKind(kind), id)): Id<(DirKind, String)>,
) -> PageResult {
    review::approve(&app.ctx, &s.actor, kind, &id)
        .await
        .map_err(t.page())?;
    Ok(see_other(QUEUE))
}

/// Why a draft is rejected, in words for its editor.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RejectForm {
    pub reason: String,
}

pub async fn reject(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id((DirKind(kind), id)): Id<(DirKind, String)>,
    Form(f): Form<RejectForm>,
) -> PageResult {
    match review::reject(&app.ctx, &s.actor, kind, &id, &f.reason).await {
        Ok(()) => Ok(see_other(QUEUE)),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            let entry = (kind, id.as_str());
            let page = review_page(&app, &s, t, chrome, entry, errors, f.reason).await?;
            Ok(render_refused(&page))
        }
        Err(e) => Err(t.page()(e)),
    }
}
