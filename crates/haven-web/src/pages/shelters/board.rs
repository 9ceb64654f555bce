//! The shelter board: every site's load, stays ending soon, the waiting list (add, admit,
//! remove) and the extension requests waiting for a decision.

use askama::Template;
use axum::response::IntoResponse;
use axum::Form;
use haven_core::ids::WaitingId;
use haven_core::shelters::{self, AdmitWaitingInput, Board, CaseChoice, WaitingInput};
use haven_core::users::Session;
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::{action_errors, load_row, person, stay_row, LoadRow, StayRow, BOARD};
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::{see_other, PageResult};
use crate::views::{fmt_ts, render, Choice, Chrome, FormErrors};
use crate::AppState;

pub struct WaitingRow {
    pub id: String,
    pub priority: String,
    pub person: String,
    pub person_href: String,
    pub referral_source: String,
    pub site: String,
    pub since: String,
    pub sites: Vec<Choice>,
}

pub struct RequestRow {
    pub id: String,
    pub person: String,
    pub site: String,
    pub place: String,
    pub stay_until: String,
    pub new_until: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
}

#[derive(Template)]
#[template(path = "shelters_board.html")]
pub struct BoardPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub today: String,
    pub errors: FormErrors,
    pub sites: Vec<LoadRow>,
    pub ending: Vec<StayRow>,
    pub waiting: Vec<WaitingRow>,
    pub can_manage: bool,
    pub can_configure: bool,
    pub can_approve: bool,
    pub requests: Vec<RequestRow>,
    pub candidates: Vec<Choice>,
    pub site_choices: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub v: WaitingForm,
}

/// The waiting-list form's values, as typed.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct WaitingForm {
    pub case_id: String,
    pub site_id: String,
    pub priority: String,
    pub referral_source: String,
}

fn priority_opts(t: &Tr, selected: &str) -> Vec<Choice> {
    (1..=3)
        .map(|p| {
            let chosen = selected == p.to_string() || (selected.is_empty() && p == 3);
            Choice::new(p, t.t(&format!("priority-{p}")), chosen)
        })
        .collect()
}

/// The cases that may be given a place, as "person · programme" in alphabetical order;
/// `selected` is the case chosen already.
pub(super) fn candidate_opts(t: &Tr, list: &[CaseChoice], selected: &str) -> Vec<Choice> {
    let mut opts: Vec<Choice> = list
        .iter()
        .map(|c| {
            let label = format!("{} · {}", person(t, &c.person_label), c.programme);
            Choice::new(c.case_id, label, selected == c.case_id.to_string())
        })
        .collect();
    opts.sort_by(|a, b| a.label.cmp(&b.label));
    opts
}

/// Every site with its free places, `selected` chosen.
fn site_opts(t: &Tr, b: &Board, selected: &str) -> Vec<Choice> {
    b.sites
        .iter()
        .map(|l| {
            let label = format!(
                "{} ({})",
                l.site.name,
                t.t1("shelter-free-n", "count", l.free)
            );
            Choice::new(l.site.id, label, selected == l.site.id.to_string())
        })
        .collect()
}

fn waiting_rows(t: &Tr, b: &Board) -> Vec<WaitingRow> {
    b.waiting
        .iter()
        .map(|w| WaitingRow {
            id: w.id.to_string(),
            priority: t.t(&format!("priority-{}", w.priority)),
            person: person(t, &w.person_label),
            person_href: format!("/staff/persons/{}", w.person_id),
            referral_source: w.referral_source.clone(),
            site: w.site_name.clone().unwrap_or_default(),
            since: fmt_ts(w.added_at),
            sites: site_opts(t, b, &w.site_id.map(|s| s.to_string()).unwrap_or_default()),
        })
        .collect()
}

fn request_rows(t: &Tr, b: &Board) -> Vec<RequestRow> {
    b.extension_requests
        .iter()
        .map(|r| RequestRow {
            id: r.id.to_string(),
            person: person(t, &r.person_label),
            site: r.site_name.clone(),
            place: r.place_label.clone(),
            stay_until: r.stay_until.clone().unwrap_or_default(),
            new_until: r.new_until.clone(),
            reason: r.reason.clone().unwrap_or_default(),
            requested_by: r.requested_by.clone(),
            requested_at: fmt_ts(r.requested_at),
        })
        .collect()
}

/// The board, with `errors` from a refused action and the waiting-list form as typed.
pub(super) async fn board_page(
    app: &AppState,
    s: &Session,
    t: Tr,
    chrome: Chrome,
    errors: FormErrors,
    v: WaitingForm,
) -> Result<BoardPage, PageErr> {
    let b = shelters::board(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let mut site_choices = vec![Choice::new("", t.t("shelter-any-site"), false)];
    site_choices.extend(site_opts(&t, &b, &v.site_id));
    Ok(BoardPage {
        chrome,
        today: b.today.clone(),
        errors,
        sites: b.sites.iter().map(load_row).collect(),
        ending: b.ending.iter().map(|p| stay_row(&t, p)).collect(),
        waiting: waiting_rows(&t, &b),
        can_manage: s.actor.can(Permission::ShelterManage),
        can_configure: s.actor.can(Permission::CaseworkConfigure),
        can_approve: s.actor.can(Permission::StayExtensionApprove),
        requests: request_rows(&t, &b),
        candidates: candidate_opts(&t, &b.candidates, &v.case_id),
        site_choices,
        priorities: priority_opts(&t, &v.priority),
        v,
        t,
    })
}

/// A refused action shown on the board (or an error page when it was not a refusal).
pub(super) async fn board_refused(
    app: &AppState,
    s: &Session,
    t: Tr,
    chrome: Chrome,
    e: Error,
    v: WaitingForm,
) -> PageResult {
    let (status, errors) = action_errors(&t, e).map_err(t.page())?;
    let page = board_page(app, s, t, chrome, errors, v).await?;
    Ok((status, render(&page)).into_response())
}

pub async fn board(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let v = WaitingForm::default();
    let page = board_page(&app, &s, t, chrome, FormErrors::default(), v).await?;
    Ok(render(&page))
}

pub async fn waiting_add(
    StaffPage { app, s, t, chrome }: StaffPage,
    Form(f): Form<WaitingForm>,
) -> PageResult {
    let input = WaitingInput {
        case_id: Some(f.case_id.clone()),
        site_id: Some(f.site_id.clone()),
        priority: Some(f.priority.clone()),
        referral_source: Some(f.referral_source.clone()),
    };
    match shelters::add_to_waiting_list(&app.ctx, &s.actor, &input).await {
        Ok(_) => Ok(see_other(BOARD)),
        Err(e) => board_refused(&app, &s, t, chrome, e, f).await,
    }
}

/// The site chosen when admitting from the waiting list.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SiteChoiceForm {
    pub site_id: String,
}

pub async fn waiting_admit(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<WaitingId>,
    Form(f): Form<SiteChoiceForm>,
) -> PageResult {
    let input = AdmitWaitingInput {
        site_id: Some(f.site_id),
    };
    match shelters::admit_from_waiting_list(&app.ctx, &s.actor, id, &input).await {
        Ok(p) => Ok(see_other(&format!("{BOARD}/{}", p.site_id))),
        Err(e) => board_refused(&app, &s, t, chrome, e, WaitingForm::default()).await,
    }
}

pub async fn waiting_remove(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(id): Id<WaitingId>,
) -> PageResult {
    shelters::remove_from_waiting_list(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(BOARD))
}

async fn decide(p: StaffPage, id: uuid::Uuid, approve: bool) -> PageResult {
    match shelters::decide_extension(&p.app.ctx, &p.s.actor, id, approve).await {
        Ok(_) => Ok(see_other(BOARD)),
        Err(e) => {
            let chrome = p.chrome_at(BOARD);
            board_refused(&p.app, &p.s, p.t, chrome, e, WaitingForm::default()).await
        }
    }
}

pub async fn approve_extension(p: StaffPage, Id(id): Id<uuid::Uuid>) -> PageResult {
    decide(p, id, true).await
}

pub async fn refuse_extension(p: StaffPage, Id(id): Id<uuid::Uuid>) -> PageResult {
    decide(p, id, false).await
}
