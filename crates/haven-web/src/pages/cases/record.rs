//! Appointments and tasks, notes, employment episodes, and closing the case with its
//! outcome.

use axum::http::StatusCode;
use axum::Form;
use haven_core::cases::{
    self, programmes, AppointmentInput, CloseInput, Contract, EpisodeInput, ItemKind, NoteInput,
    Outcome,
};
use haven_core::ids::{AppointmentId, CaseId};
use haven_core::Error;

use super::{case_context, case_form, case_url, load_case, today};
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::forms::{answer, coded, Field, FormView, Typed};
use crate::pages::{see_other, PageResult};
use crate::views::Chrome;

/// A form that adds to a case: its title (a message id) and where it posts below the case.
type Adding = (&'static str, &'static str);
const APPOINTMENT: Adding = ("appointment-add", "appointments");
const NOTE: Adding = ("note-add", "notes");
const EPISODE: Adding = ("employment-add", "employment");

/// The form for adding something to case `id`, shown with the case named above it.
async fn add_form(
    p: StaffPage,
    id: CaseId,
    (title, what): Adding,
    fields: impl FnOnce(&Tr) -> Vec<Field>,
) -> Result<FormView, PageErr> {
    let f = load_case(&p, id).await?;
    let StaffPage { t, chrome, .. } = p;
    let fields = fields(&t);
    Ok(case_form(&t, chrome, f.case.id, title, what, fields).context(case_context(&t, &f)))
}

/// Answers a form that adds to case `cid`: the case when added, the form again with what
/// was typed when refused.
fn added<T>(
    t: &Tr,
    chrome: Chrome,
    cid: CaseId,
    res: Result<T, Error>,
    (title, what): Adding,
    fields: Vec<Field>,
) -> PageResult {
    answer(t, res.map(|_| case_url(cid)), || {
        case_form(t, chrome, cid, title, what, fields)
    })
}

// Appointments and tasks

fn appointment_fields(t: &Tr, v: &Typed) -> Vec<Field> {
    let kinds = coded(t, "item", ItemKind::ALL.iter().map(|k| k.as_str()));
    vec![
        Field::select(t, "kind", v, kinds, false).label(t.t("field-item-kind")),
        Field::text(t, "title", v).label(t.t("field-item-title")),
        Field::date(t, "due_on", v),
        Field::time(t, "due_time", v).hint(t.t("hint-due_time")),
    ]
}

pub async fn appointment_new(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let v = Typed::default().with("kind", "appointment");
    let fields = |t: &Tr| appointment_fields(t, &v);
    let view = add_form(p, id, APPOINTMENT, fields).await?;
    Ok(view.respond(StatusCode::OK))
}

pub async fn appointment_create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: AppointmentInput = v.input().map_err(t.page())?;
    let res = cases::add_appointment(&app.ctx, &s.actor, cid, &input).await;
    added(
        &t,
        chrome,
        cid,
        res,
        APPOINTMENT,
        appointment_fields(&t, &v),
    )
}

pub async fn appointment_done(
    StaffPage { app, s, t, .. }: StaffPage,
    Id((cid, item)): Id<(CaseId, AppointmentId)>,
) -> PageResult {
    cases::complete_appointment(&app.ctx, &s.actor, cid, item)
        .await
        .map_err(t.page())?;
    Ok(see_other(&case_url(cid)))
}

// Notes

pub async fn note_new(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let intro = p.t.t("note-intro");
    let fields = |t: &Tr| vec![Field::area(t, "text", &Typed::default())];
    let view = add_form(p, id, NOTE, fields).await?;
    Ok(view.intro(intro).respond(StatusCode::OK))
}

pub async fn note_create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: NoteInput = v.input().map_err(t.page())?;
    let res = cases::add_note(&app.ctx, &s.actor, cid, &input).await;
    added(
        &t,
        chrome,
        cid,
        res,
        NOTE,
        vec![Field::area(&t, "text", &v)],
    )
}

// Employment

fn episode_fields(t: &Tr, v: &Typed) -> Vec<Field> {
    let contracts = coded(t, "contract", Contract::ALL.iter().map(|c| c.as_str()));
    vec![
        Field::date(t, "start_on", v),
        Field::date(t, "end_on", v).hint(t.t("hint-end_on")),
        Field::select(t, "contract", v, contracts, true),
        Field::text(t, "sector", v),
        Field::number(t, "hours_per_week", v),
    ]
}

pub async fn episode_new(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let fields = |t: &Tr| episode_fields(t, &Typed::default());
    let view = add_form(p, id, EPISODE, fields).await?;
    Ok(view.respond(StatusCode::OK))
}

pub async fn episode_create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: EpisodeInput = v.input().map_err(t.page())?;
    let res = cases::add_episode(&app.ctx, &s.actor, cid, &input).await;
    added(&t, chrome, cid, res, EPISODE, episode_fields(&t, &v))
}

// Closure

fn close_fields(t: &Tr, v: &Typed, permits: &[programmes::ListItem]) -> Vec<Field> {
    let outcomes = coded(t, "outcome", Outcome::ALL.iter().map(|o| o.as_str()));
    let permits = permits
        .iter()
        .map(|k| (k.code.clone(), k.label.clone()))
        .collect();
    vec![
        Field::select(t, "outcome", v, outcomes, true),
        Field::date(t, "closed_on", v),
        Field::select(t, "permit_type", v, permits, true).hint(t.t("hint-permit_type")),
        Field::text(t, "country", v).hint(t.t("hint-country")),
        Field::text(t, "supporting_org", v).hint(t.t("hint-supporting_org")),
        Field::area(t, "details", v),
    ]
}

async fn close_view(p: StaffPage, cid: CaseId, v: &Typed) -> Result<FormView, PageErr> {
    let StaffPage { app, s, t, chrome } = p;
    let options = programmes::options(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let fields = close_fields(&t, v, &options.permit_types);
    Ok(case_form(&t, chrome, cid, "case-close", "close", fields)
        .intro(t.t("case-close-intro"))
        .submit(t.t("case-close")))
}

pub async fn close_form(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let f = load_case(&p, id).await?;
    let context = case_context(&p.t, &f);
    let v = Typed::default().with("closed_on", today(&p.app));
    let view = close_view(p, f.case.id, &v).await?;
    Ok(view.context(context).respond(StatusCode::OK))
}

pub async fn close(p: StaffPage, Id(cid): Id<CaseId>, Form(v): Form<Typed>) -> PageResult {
    let input: CloseInput = v.input().map_err(p.t.page())?;
    let res = cases::close(&p.app.ctx, &p.s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    let view = close_view(p, cid, &v).await?;
    view.answer(res)
}
