//! Appointments and tasks, notes, employment episodes, and closing the case with its
//! outcome.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use haven_core::cases::{
    self, programmes, AppointmentInput, CloseInput, Contract, EpisodeInput, ItemKind, NoteInput,
    Outcome,
};
use haven_core::ids::{AppointmentId, CaseId};

use super::{case_context, case_form, case_url, load_case, today};
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::forms::{answer, coded, Field, FormView, Typed};
use crate::pages::see_other;
use crate::AppState;

/// The form for adding something to case `id`, shown with the case named above it.
async fn add_form(
    state: &AppState,
    p: StaffPage,
    id: CaseId,
    title: &str,
    what: &str,
    fields: impl FnOnce(&Tr) -> Vec<Field>,
) -> Result<FormView, PageErr> {
    let f = load_case(state, &p, id).await?;
    let StaffPage { t, chrome, .. } = p;
    let fields = fields(&t);
    Ok(case_form(&t, chrome, f.case.id, title, what, fields).context(case_context(&t, &f)))
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

pub async fn appointment_new(
    State(state): State<AppState>,
    p: StaffPage,
    Id(id): Id<CaseId>,
) -> Result<Response, PageErr> {
    let v = Typed::default().with("kind", "appointment");
    let fields = |t: &Tr| appointment_fields(t, &v);
    let view = add_form(&state, p, id, "appointment-add", "appointments", fields).await?;
    Ok(view.respond(StatusCode::OK))
}

pub async fn appointment_create(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> Result<Response, PageErr> {
    let input: AppointmentInput = v.input().map_err(t.page())?;
    let res = cases::add_appointment(&state.ctx, &s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    answer(&t, res, || {
        let fields = appointment_fields(&t, &v);
        case_form(&t, chrome, cid, "appointment-add", "appointments", fields)
    })
}

pub async fn appointment_done(
    State(state): State<AppState>,
    StaffPage { s, t, .. }: StaffPage,
    Id((cid, item)): Id<(CaseId, AppointmentId)>,
) -> Result<Response, PageErr> {
    cases::complete_appointment(&state.ctx, &s.actor, cid, item)
        .await
        .map_err(t.page())?;
    Ok(see_other(&case_url(cid)))
}

// Notes

pub async fn note_new(
    State(state): State<AppState>,
    p: StaffPage,
    Id(id): Id<CaseId>,
) -> Result<Response, PageErr> {
    let intro = p.t.t("note-intro");
    let fields = |t: &Tr| vec![Field::area(t, "text", &Typed::default())];
    let view = add_form(&state, p, id, "note-add", "notes", fields).await?;
    Ok(view.intro(intro).respond(StatusCode::OK))
}

pub async fn note_create(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> Result<Response, PageErr> {
    let input: NoteInput = v.input().map_err(t.page())?;
    let res = cases::add_note(&state.ctx, &s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    answer(&t, res, || {
        let fields = vec![Field::area(&t, "text", &v)];
        case_form(&t, chrome, cid, "note-add", "notes", fields)
    })
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

pub async fn episode_new(
    State(state): State<AppState>,
    p: StaffPage,
    Id(id): Id<CaseId>,
) -> Result<Response, PageErr> {
    let fields = |t: &Tr| episode_fields(t, &Typed::default());
    let view = add_form(&state, p, id, "employment-add", "employment", fields).await?;
    Ok(view.respond(StatusCode::OK))
}

pub async fn episode_create(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> Result<Response, PageErr> {
    let input: EpisodeInput = v.input().map_err(t.page())?;
    let res = cases::add_episode(&state.ctx, &s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    answer(&t, res, || {
        let fields = episode_fields(&t, &v);
        case_form(&t, chrome, cid, "employment-add", "employment", fields)
    })
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

async fn close_view(
    state: &AppState,
    p: StaffPage,
    cid: CaseId,
    v: &Typed,
) -> Result<FormView, PageErr> {
    let StaffPage { s, t, chrome } = p;
    let options = programmes::options(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let fields = close_fields(&t, v, &options.permit_types);
    Ok(case_form(&t, chrome, cid, "case-close", "close", fields)
        .intro(t.t("case-close-intro"))
        .submit(t.t("case-close")))
}

pub async fn close_form(
    State(state): State<AppState>,
    p: StaffPage,
    Id(id): Id<CaseId>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &p, id).await?;
    let context = case_context(&p.t, &f);
    let v = Typed::default().with("closed_on", today(&state));
    let view = close_view(&state, p, f.case.id, &v).await?;
    Ok(view.context(context).respond(StatusCode::OK))
}

pub async fn close(
    State(state): State<AppState>,
    p: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> Result<Response, PageErr> {
    let input: CloseInput = v.input().map_err(p.t.page())?;
    let res = cases::close(&state.ctx, &p.s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    let view = close_view(&state, p, cid, &v).await?;
    view.answer(res)
}
