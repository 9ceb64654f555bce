//! The person's perspective (their own project and decision), legal procedures and goals:
//! the forms that record and change them.

use axum::http::StatusCode;
use axum::Form;
use haven_core::cases::{
    self, programmes, DecisionStage, Domain, GoalInput, GoalStatus, Perspective, PerspectiveInput,
    ProcedureInput, StaffRef, Term,
};
use haven_core::ids::{CaseId, GoalId, ProcedureId};
use haven_core::Error;

use super::{case_context, case_form, case_url, load_case, or_dash, staff_choices};
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::forms::{answer, coded, Field, FormView, Typed};
use crate::pages::PageResult;
use crate::views::fmt_ts;

// Perspective

fn perspective_fields(t: &Tr, v: &Typed) -> Vec<Field> {
    let perspectives = coded(
        t,
        "perspective",
        Perspective::ALL.iter().map(|p| p.as_str()),
    );
    let stages = coded(t, "stage", DecisionStage::ALL.iter().map(|p| p.as_str()));
    vec![
        Field::select(t, "perspective", v, perspectives, false),
        Field::area(t, "migration_project", v).hint(t.t("hint-migration_project")),
        Field::area(t, "current_situation", v),
        Field::area(t, "legal_options", v).hint(t.t("hint-legal_options")),
        Field::area(t, "decision", v)
            .label(t.t("field-person-decision"))
            .hint(t.t("hint-decision")),
        Field::select(t, "decision_stage", v, stages, false),
    ]
}

pub async fn perspective_form(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let f = load_case(&p, id).await?;
    let mut v = Typed::default().with("perspective", f.case.perspective.as_str());
    if let Some(last) = f.perspectives.first() {
        v = v
            .with("decision_stage", last.decision_stage.as_str())
            .with("migration_project", or_dash(&last.text.migration_project))
            .with("current_situation", or_dash(&last.text.current_situation))
            .with("legal_options", or_dash(&last.text.legal_options))
            .with("decision", or_dash(&last.text.decision));
    }
    let StaffPage { t, chrome, .. } = p;
    let fields = perspective_fields(&t, &v);
    let view = case_form(
        &t,
        chrome,
        id,
        "case-record-perspective",
        "perspective",
        fields,
    )
    .context(case_context(&t, &f))
    .intro(t.t("perspective-intro"));
    Ok(view.respond(StatusCode::OK))
}

pub async fn perspective(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: PerspectiveInput = v.input().map_err(t.page())?;
    let res = cases::record_perspective(&app.ctx, &s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    answer(&t, res, || {
        let fields = perspective_fields(&t, &v);
        case_form(
            &t,
            chrome,
            cid,
            "case-record-perspective",
            "perspective",
            fields,
        )
    })
}

// Procedures

fn procedure_fields(t: &Tr, v: &Typed, kinds: &[programmes::ListItem]) -> Vec<Field> {
    let kinds = kinds
        .iter()
        .map(|k| (k.code.clone(), k.label.clone()))
        .collect();
    let decisions = coded(
        t,
        "decision",
        cases::Decision::ALL.iter().map(|d| d.as_str()),
    );
    vec![
        Field::select(t, "kind", v, kinds, true).label(t.t("field-procedure-kind")),
        Field::date(t, "filed_on", v),
        Field::select(t, "decision", v, decisions, false),
        Field::date(t, "decision_on", v),
        Field::date(t, "appeal_filed_on", v),
        Field::date(t, "deadline", v).hint(t.t("hint-deadline")),
        Field::area(t, "notes", v),
    ]
}

/// The procedure form, posting to `procedures` (a new one) or `procedures/{id}`.
async fn procedure_view(
    p: StaffPage,
    cid: CaseId,
    v: &Typed,
    what: &str,
) -> Result<FormView, PageErr> {
    let StaffPage { app, s, t, chrome } = p;
    let options = programmes::options(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let fields = procedure_fields(&t, v, &options.procedure_types);
    Ok(case_form(&t, chrome, cid, "case-procedure", what, fields))
}

pub async fn procedure_new(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let f = load_case(&p, id).await?;
    let context = case_context(&p.t, &f);
    let v = Typed::default().with("decision", "pending");
    let view = procedure_view(p, f.case.id, &v, "procedures").await?;
    Ok(view.context(context).respond(StatusCode::OK))
}

pub async fn procedure_create(
    p: StaffPage,
    Id(cid): Id<CaseId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: ProcedureInput = v.input().map_err(p.t.page())?;
    let res = cases::add_procedure(&p.app.ctx, &p.s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    let view = procedure_view(p, cid, &v, "procedures").await?;
    view.answer(res)
}

pub async fn procedure_edit(p: StaffPage, Id((id, pid)): Id<(CaseId, ProcedureId)>) -> PageResult {
    let f = load_case(&p, id).await?;
    let found = f.procedures.iter().find(|x| x.id == pid);
    let pr = found.ok_or_else(|| p.t.page()(Error::NotFound))?;
    let v = Typed::default()
        .with("kind", pr.kind.clone())
        .with("filed_on", or_dash(&pr.filed_on))
        .with("decision", pr.decision.as_str())
        .with("decision_on", or_dash(&pr.decision_on))
        .with("appeal_filed_on", or_dash(&pr.appeal_filed_on))
        .with("deadline", or_dash(&pr.deadline))
        .with("notes", or_dash(&pr.notes));
    let context = case_context(&p.t, &f);
    let what = format!("procedures/{}", pr.id);
    let view = procedure_view(p, f.case.id, &v, &what).await?;
    Ok(view.context(context).respond(StatusCode::OK))
}

pub async fn procedure_update(
    p: StaffPage,
    Id((cid, pid)): Id<(CaseId, ProcedureId)>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: ProcedureInput = v.input().map_err(p.t.page())?;
    let res = cases::update_procedure(&p.app.ctx, &p.s.actor, cid, pid, &input)
        .await
        .map(|_| case_url(cid));
    let what = format!("procedures/{pid}");
    let view = procedure_view(p, cid, &v, &what).await?;
    view.answer(res)
}

// Goals

fn goal_fields(t: &Tr, v: &Typed, staff: &[StaffRef], editing: bool) -> Vec<Field> {
    let domains = coded(t, "domain", Domain::ALL.iter().map(|d| d.as_str()));
    let terms = coded(t, "term", Term::ALL.iter().map(|d| d.as_str()));
    let statuses = coded(t, "goal-status", GoalStatus::ALL.iter().map(|d| d.as_str()));
    vec![
        Field::text(t, "title", v).label(t.t("field-goal-title")),
        // A goal keeps its domain once set.
        Field::select(t, "domain", v, domains, !editing),
        Field::select(t, "term", v, terms, false),
        Field::select(t, "owner_id", v, staff_choices(staff), true),
        Field::date(t, "due_on", v),
        Field::select(t, "status", v, statuses, false),
        Field::area(t, "progress", v).hint(t.t("hint-progress")),
    ]
}

/// The goal form: adding one, or changing goal `goal`.
async fn goal_view(
    p: StaffPage,
    cid: CaseId,
    v: &Typed,
    goal: Option<GoalId>,
) -> Result<FormView, PageErr> {
    let StaffPage { app, s, t, chrome } = p;
    let staff = cases::case_managers(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let fields = goal_fields(&t, v, &staff, goal.is_some());
    Ok(match goal {
        Some(g) => case_form(
            &t,
            chrome,
            cid,
            "goal-update",
            &format!("goals/{g}"),
            fields,
        ),
        None => case_form(&t, chrome, cid, "goal-add", "goals", fields),
    })
}

/// The goal as the core takes it. The form always sends an owner, so none chosen means
/// no owner (for the API, a missing owner means "unchanged").
fn goal_input(v: &Typed) -> Result<GoalInput, Error> {
    let mut input: GoalInput = v.input()?;
    input.owner_id = Some(v.value("owner_id"));
    Ok(input)
}

pub async fn goal_new(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let f = load_case(&p, id).await?;
    let me = p.s.actor.user_id.map(|u| u.to_string());
    let v = Typed::default()
        .with("term", "short")
        .with("status", "open")
        .with("owner_id", me.unwrap_or_default());
    let (context, intro) = (case_context(&p.t, &f), p.t.t("goal-intro"));
    let view = goal_view(p, f.case.id, &v, None).await?;
    Ok(view.context(context).intro(intro).respond(StatusCode::OK))
}

pub async fn goal_create(p: StaffPage, Id(cid): Id<CaseId>, Form(v): Form<Typed>) -> PageResult {
    let input = goal_input(&v).map_err(p.t.page())?;
    let res = cases::add_goal(&p.app.ctx, &p.s.actor, cid, &input)
        .await
        .map(|_| case_url(cid));
    let view = goal_view(p, cid, &v, None).await?;
    view.answer(res)
}

pub async fn goal_edit(p: StaffPage, Id((id, gid)): Id<(CaseId, GoalId)>) -> PageResult {
    let f = load_case(&p, id).await?;
    let found = f.goals.iter().find(|g| g.id == gid);
    let g = found.ok_or_else(|| p.t.page()(Error::NotFound))?;
    let owner = g.owner.as_ref().map(|o| o.id.to_string());
    let v = Typed::default()
        .with("title", g.title.clone())
        .with("domain", g.domain.as_str())
        .with("term", g.term.as_str())
        .with("owner_id", owner.unwrap_or_default())
        .with("due_on", or_dash(&g.due_on))
        .with("status", g.status.as_str());
    // The progress so far, above the form.
    let mut context = case_context(&p.t, &f);
    for x in &g.progress {
        context.push((format!("{} · {}", fmt_ts(x.at), x.by), x.text.clone()));
    }
    let view = goal_view(p, f.case.id, &v, Some(gid)).await?;
    Ok(view.context(context).respond(StatusCode::OK))
}

pub async fn goal_update(
    p: StaffPage,
    Id((cid, gid)): Id<(CaseId, GoalId)>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input = goal_input(&v).map_err(p.t.page())?;
    let res = cases::update_goal(&p.app.ctx, &p.s.actor, cid, gid, &input)
        .await
        .map(|_| case_url(cid));
    let view = goal_view(p, cid, &v, Some(gid)).await?;
    view.answer(res)
}
