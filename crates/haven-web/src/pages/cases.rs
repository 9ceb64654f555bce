//! Casework pages: the caseload, the team lead's overview, the case page and its forms.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use haven_core::cases::{
    self, programmes, AppointmentInput, AssignInput, Attention, CaseFile, CaseLine, CloseInput,
    Contract, DecisionStage, Domain, EpisodeInput, GoalInput, GoalStatus, ItemKind, NoteInput,
    OpenInput, Outcome, Perspective, PerspectiveInput, ProcedureInput, StaffRef, Term,
};
use haven_core::ids::{CaseId, PersonId};
use haven_core::{people, Error, Permission};
use serde::Deserialize;

use super::forms::{coded, Field, FormView, Typed};
use super::see_other;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::views::{fmt_ts, render, Chrome, FormErrors};
use crate::AppState;

fn parse<T: std::str::FromStr>(id: &str) -> Result<T, Error> {
    id.parse().map_err(|_| Error::NotFound)
}

fn case_url(id: CaseId) -> String {
    format!("/staff/cases/{id}")
}

/// "3 days" or "5 hours".
pub fn duration_text(t: &Tr, seconds: i64) -> String {
    let seconds = seconds.max(0);
    if seconds < 86_400 {
        t.t1("duration-hours", "count", seconds / 3600)
    } else {
        t.t1("duration-days", "count", seconds / 86_400)
    }
}

/// "in 3 days", "2 days ago", "today".
pub fn relative_days(t: &Tr, days: i64) -> String {
    match days {
        0 => t.t("days-today"),
        d if d > 0 => t.t1("days-ahead", "count", d),
        d => t.t1("days-ago", "count", -d),
    }
}

fn attention_text(t: &Tr, a: &Attention) -> String {
    let id = format!("attention-{}", a.kind.as_str());
    format!("{}: {} ({})", t.t(&id), a.date, relative_days(t, a.days))
}

fn label_or_unnamed(t: &Tr, l: &Option<String>) -> String {
    l.clone().unwrap_or_else(|| t.t("person-unnamed"))
}

pub struct LineView {
    pub href: String,
    pub person: String,
    pub programme: String,
    pub start: String,
    pub manager: String,
    pub wait: String,
    pub last_contact: String,
    pub reasons: Vec<String>,
    pub urgent: bool,
    pub id: String,
}

fn line_view(t: &Tr, l: &CaseLine) -> LineView {
    let c = &l.case;
    LineView {
        href: case_url(c.id),
        id: c.id.to_string(),
        person: label_or_unnamed(t, &c.person_label),
        programme: c.programme_name.clone(),
        start: c.start_date.clone(),
        manager: c
            .case_manager
            .as_ref()
            .map(|m| m.name.clone())
            .unwrap_or_else(|| t.t("case-no-manager")),
        wait: match c.wait_seconds {
            Some(w) => duration_text(t, w),
            None => t.t1("case-waiting-since", "when", fmt_ts(c.intake_at)),
        },
        last_contact: c.last_contact_at.map(fmt_ts).unwrap_or_default(),
        reasons: l.attention.iter().map(|a| attention_text(t, a)).collect(),
        urgent: !l.attention.is_empty(),
    }
}

// ---------------------------------------------------------------------------------------
// Caseload

#[derive(Template)]
#[template(path = "cases_index.html")]
pub struct CaseloadPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<LineView>,
    pub attention: usize,
    pub can_assign: bool,
}

pub async fn caseload(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
) -> Result<Response, PageErr> {
    let list = cases::caseload(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let rows: Vec<LineView> = list.iter().map(|l| line_view(&t, l)).collect();
    let page = CaseloadPage {
        attention: rows.iter().filter(|r| r.urgent).count(),
        rows,
        can_assign: s.actor.can(Permission::CaseAssign),
        chrome,
        t,
    };
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------
// Team lead

pub struct LoadRow {
    pub name: String,
    pub href: String,
    pub cells: Vec<(i64, i64, bool)>,
    pub total: i64,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "cases_team.html")]
pub struct TeamPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub programmes: Vec<String>,
    pub loads: Vec<LoadRow>,
    pub unassigned: Vec<LineView>,
    pub manager_name: String,
    pub manager_cases: Vec<LineView>,
    pub assigned: i64,
    pub average_wait: String,
    pub longest_wait: String,
}

#[derive(Deserialize)]
pub struct TeamQuery {
    #[serde(default)]
    manager: String,
}

pub async fn team(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Query(q): Query<TeamQuery>,
) -> Result<Response, PageErr> {
    let manager = match q.manager.trim() {
        "" => None,
        m => Some(parse(m).map_err(t.page())?),
    };
    let o = cases::team(&state.ctx, &s.actor, manager)
        .await
        .map_err(t.page())?;
    let manager_name = o
        .managers
        .iter()
        .find(|m| Some(m.manager.id) == manager)
        .map(|m| m.manager.name.clone())
        .unwrap_or_default();
    let page = TeamPage {
        programmes: o.programmes.iter().map(|p| p.name.clone()).collect(),
        loads: o
            .managers
            .iter()
            .map(|m| LoadRow {
                name: m.manager.name.clone(),
                href: format!("/staff/cases/team?manager={}", m.manager.id),
                cells: m
                    .loads
                    .iter()
                    .map(|l| (l.open_cases, l.cap, l.open_cases >= l.cap))
                    .collect(),
                total: m.total,
                selected: Some(m.manager.id) == manager,
            })
            .collect(),
        unassigned: o.unassigned.iter().map(|l| line_view(&t, l)).collect(),
        manager_cases: o.manager_cases.iter().map(|l| line_view(&t, l)).collect(),
        manager_name,
        assigned: o.assigned_cases,
        average_wait: o
            .average_wait_seconds
            .map(|w| duration_text(&t, w))
            .unwrap_or_default(),
        longest_wait: o
            .longest_wait_seconds
            .map(|w| duration_text(&t, w))
            .unwrap_or_default(),
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------
// The case page

pub struct PerspectiveView {
    pub when: String,
    pub by: String,
    pub perspective: String,
    pub stage: String,
    pub migration_project: String,
    pub current_situation: String,
    pub legal_options: String,
    pub decision: String,
}

pub struct ProcedureView {
    pub kind: String,
    pub filed: String,
    pub decision: String,
    pub decision_on: String,
    pub appeal: String,
    pub deadline: String,
    pub deadline_passed: bool,
    pub notes: String,
    pub edit: String,
}

pub struct GoalView {
    pub domain: String,
    pub title: String,
    pub term: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
    pub progress: Vec<String>,
    pub edit: String,
}

pub struct ItemView {
    pub kind: String,
    pub title: String,
    pub due: String,
    pub done: String,
    pub overdue: bool,
    pub done_action: String,
}

pub struct NoteView {
    pub when: String,
    pub by: String,
    pub text: String,
}

pub struct PlacementView {
    pub site: String,
    pub place: String,
    pub admitted: String,
    pub until: String,
    pub left: String,
    pub discharged: String,
    pub extensions: i64,
}

#[derive(Template)]
#[template(path = "case_show.html")]
pub struct CasePage {
    pub t: Tr,
    pub chrome: Chrome,
    pub id: String,
    pub heading: String,
    pub person_href: String,
    pub open: bool,
    pub facts: Vec<(String, String)>,
    pub attention: Vec<String>,
    pub perspectives: Vec<PerspectiveView>,
    pub procedures: Vec<ProcedureView>,
    pub goals: Vec<GoalView>,
    pub items: Vec<ItemView>,
    pub notes: Vec<NoteView>,
    pub placements: Vec<PlacementView>,
    pub follows_employment: bool,
    pub episodes: Vec<(String, String, String, String, i64)>,
    pub follow_up: Vec<(String, String, String)>,
    pub outcome: Vec<(String, String)>,
    pub history: Vec<(String, String, String)>,
    pub can_write: bool,
    pub can_assign: bool,
    /// "Refer" from this case: the consent form with the case as the referral's source.
    pub refer_href: String,
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn case_page(t: Tr, chrome: Chrome, f: CaseFile, can_write: bool, can_assign: bool) -> CasePage {
    let c = &f.case;
    let id = c.id;
    let base = case_url(id);
    let mut facts = vec![
        (t.t("field-programme_id"), c.programme_name.clone()),
        (
            t.t("case-status"),
            t.t(&format!("case-status-{}", c.status)),
        ),
        (
            t.t("field-case_manager_id"),
            c.case_manager
                .as_ref()
                .map(|m| m.name.clone())
                .unwrap_or_else(|| t.t("case-no-manager")),
        ),
        (t.t("case-intake"), fmt_ts(c.intake_at)),
        (
            t.t("case-time-to-manager"),
            c.wait_seconds
                .map(|w| duration_text(&t, w))
                .unwrap_or_else(|| t.t("case-no-manager")),
        ),
        (t.t("field-start_date"), c.start_date.clone()),
    ];
    if let Some(end) = &c.end_date {
        facts.push((t.t("case-end-date"), end.clone()));
    }
    facts.push((
        t.t("field-perspective"),
        t.t(&format!("perspective-{}", c.perspective.as_str())),
    ));
    facts.push((
        t.t("case-last-contact"),
        c.last_contact_at.map(fmt_ts).unwrap_or_default(),
    ));
    let mut outcome = Vec::new();
    if let Some(o) = c.outcome {
        outcome.push((
            t.t("field-outcome"),
            t.t(&format!("outcome-{}", o.as_str())),
        ));
        outcome.push((t.t("field-closed_on"), or_dash(&c.closed_on)));
        if let Some(d) = &f.outcome_details {
            for (k, v) in [
                ("field-permit_type", &d.permit_type),
                ("field-country", &d.country),
                ("field-supporting_org", &d.supporting_org),
                ("field-details", &d.details),
            ] {
                if let Some(v) = v {
                    outcome.push((t.t(k), v.clone()));
                }
            }
        }
    }
    let page = CasePage {
        id: id.to_string(),
        heading: label_or_unnamed(&t, &c.person_label),
        person_href: format!("/staff/persons/{}", c.person_id),
        open: c.status == "open",
        facts,
        attention: f.attention.iter().map(|a| attention_text(&t, a)).collect(),
        perspectives: f
            .perspectives
            .iter()
            .map(|p| PerspectiveView {
                when: fmt_ts(p.at),
                by: p.recorded_by.clone(),
                perspective: t.t(&format!("perspective-{}", p.perspective.as_str())),
                stage: t.t(&format!("stage-{}", p.decision_stage.as_str())),
                migration_project: or_dash(&p.text.migration_project),
                current_situation: or_dash(&p.text.current_situation),
                legal_options: or_dash(&p.text.legal_options),
                decision: or_dash(&p.text.decision),
            })
            .collect(),
        procedures: f
            .procedures
            .iter()
            .map(|p| ProcedureView {
                kind: p.kind_label.clone(),
                filed: or_dash(&p.filed_on),
                decision: t.t(&format!("decision-{}", p.decision.as_str())),
                decision_on: or_dash(&p.decision_on),
                appeal: or_dash(&p.appeal_filed_on),
                deadline_passed: f.attention.iter().any(|a| {
                    a.kind == cases::AttentionKind::DeadlinePassed
                        && Some(&a.date) == p.deadline.as_ref()
                }),
                deadline: or_dash(&p.deadline),
                notes: or_dash(&p.notes),
                edit: format!("{base}/procedures/{}", p.id),
            })
            .collect(),
        goals: f
            .goals
            .iter()
            .map(|g| GoalView {
                domain: t.t(&format!("domain-{}", g.domain.as_str())),
                title: g.title.clone(),
                term: t.t(&format!("term-{}", g.term.as_str())),
                owner: g.owner.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
                due: or_dash(&g.due_on),
                status: t.t(&format!("goal-status-{}", g.status.as_str())),
                overdue: g.overdue,
                progress: g
                    .progress
                    .iter()
                    .map(|p| format!("{} · {}: {}", fmt_ts(p.at), p.by, p.text))
                    .collect(),
                edit: format!("{base}/goals/{}", g.id),
            })
            .collect(),
        items: f
            .appointments
            .iter()
            .map(|a| ItemView {
                kind: t.t(&format!("item-{}", a.kind.as_str())),
                title: a.title.clone(),
                due: fmt_ts(a.due_at),
                done: a.done_at.map(fmt_ts).unwrap_or_default(),
                overdue: a.overdue,
                done_action: format!("{base}/appointments/{}/done", a.id),
            })
            .collect(),
        notes: f
            .notes
            .iter()
            .map(|n| NoteView {
                when: fmt_ts(n.at),
                by: n.written_by.clone(),
                text: n.text.clone(),
            })
            .collect(),
        placements: f
            .placements
            .iter()
            .map(|p| PlacementView {
                site: format!("{} ({})", p.site, p.neighbourhood),
                place: p.place.clone(),
                admitted: p.admitted_on.clone(),
                until: or_dash(&p.stay_until),
                left: p
                    .days_left
                    .map(|d| relative_days(&t, d))
                    .unwrap_or_default(),
                discharged: match (&p.discharged_on, &p.discharge_reason) {
                    (Some(d), Some(r)) => format!("{d} ({r})"),
                    (Some(d), None) => d.clone(),
                    _ => String::new(),
                },
                extensions: p.extensions,
            })
            .collect(),
        follows_employment: f.follows_employment || !f.employment.episodes.is_empty(),
        episodes: f
            .employment
            .episodes
            .iter()
            .map(|e| {
                (
                    e.start_on.clone(),
                    or_dash(&e.end_on),
                    t.t(&format!("contract-{}", e.contract.as_str())),
                    e.sector.clone(),
                    e.hours_per_week,
                )
            })
            .collect(),
        follow_up: f
            .employment
            .follow_up
            .iter()
            .map(|u| {
                let mut status = t.t(&format!("employment-{}", u.status.as_str()));
                if let Some(c) = u.contract {
                    status = format!("{status} ({})", t.t(&format!("contract-{}", c.as_str())));
                }
                (
                    t.t1("follow-up-months", "count", u.months),
                    u.date.clone(),
                    status,
                )
            })
            .collect(),
        outcome,
        history: f
            .history
            .iter()
            .map(|h| {
                (
                    fmt_ts(h.at),
                    t.t(&format!("history-{}", h.what)),
                    h.by.clone().unwrap_or_default(),
                )
            })
            .collect(),
        can_write,
        can_assign,
        refer_href: String::new(),
        chrome,
        t,
    };
    page
}

pub async fn show(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
    Id(id): Id<CaseId>,
) -> Result<Response, PageErr> {
    let f = cases::get(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let refer_href = if s.actor.can(Permission::ReferralSend) {
        format!(
            "/staff/persons/{}/consents/new?case={}",
            f.case.person_id, f.case.id
        )
    } else {
        String::new()
    };
    let mut page = case_page(
        t,
        chrome,
        f,
        s.actor.can(Permission::CaseWrite),
        s.actor.can(Permission::CaseAssign),
    );
    page.refer_href = refer_href;
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------
// Forms

fn staff_choices(list: &[StaffRef]) -> Vec<(String, String)> {
    list.iter()
        .map(|m| (m.id.to_string(), m.name.clone()))
        .collect()
}

fn form_view(
    t: Tr,
    chrome: Chrome,
    title: String,
    context: Vec<(String, String)>,
    action: String,
    fields: Vec<Field>,
    cancel: String,
) -> FormView {
    FormView {
        submit: t.t("save"),
        title,
        intro: String::new(),
        context,
        action,
        fields,
        cancel,
        errors: FormErrors::default(),
        chrome,
        t,
    }
}

/// The case a form belongs to: read (audited) for the heading and current values.
async fn load_case(state: &AppState, s: &Staff, t: &Tr, id: &str) -> Result<CaseFile, PageErr> {
    let id: CaseId = parse(id).map_err(t.page())?;
    cases::get(&state.ctx, &s.0.actor, id)
        .await
        .map_err(t.page())
}

fn case_context(t: &Tr, f: &CaseFile) -> Vec<(String, String)> {
    vec![
        (
            t.t("case-person"),
            label_or_unnamed(t, &f.case.person_label),
        ),
        (t.t("field-programme_id"), f.case.programme_name.clone()),
    ]
}

/// Answers a form post: to the case page when done, the form again when refused.
fn answer(
    t: &Tr,
    res: Result<(), Error>,
    to: String,
    form: impl FnOnce() -> FormView,
) -> Result<Response, PageErr> {
    match res {
        Ok(()) => Ok(see_other(&to)),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => form().refused(e).map_err(t.page()),
        Err(e) => Err(t.page()(e)),
    }
}

// Intake

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    person: String,
}

fn intake_fields(
    t: &Tr,
    v: &Typed,
    options: &programmes::Options,
    managers: &[StaffRef],
) -> Vec<Field> {
    vec![
        Field::hidden("person_id", v.value("person_id")),
        Field::select(
            t,
            "programme_id",
            v,
            options
                .programmes
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect(),
            true,
        ),
        Field::date(t, "start_date", v),
        Field::select(
            t,
            "perspective",
            v,
            coded(
                t,
                "perspective",
                Perspective::ALL.iter().map(|p| p.as_str()),
            ),
            false,
        ),
        Field::area(t, "screening_note", v).hint(t.t("hint-screening_note")),
        Field::select(t, "case_manager_id", v, staff_choices(managers), true)
            .hint(t.t("hint-case_manager_id")),
    ]
}

async fn intake_form(
    state: &AppState,
    s: &Staff,
    t: &Tr,
    path: &str,
    v: Typed,
) -> Result<FormView, PageErr> {
    let person: PersonId = parse(&v.value("person_id")).map_err(t.page())?;
    let p = people::get(&state.ctx, &s.0.actor, person)
        .await
        .map_err(t.page())?;
    let options = programmes::options(&state.ctx, &s.0.actor)
        .await
        .map_err(t.page())?;
    let managers = cases::case_managers(&state.ctx, &s.0.actor)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s.0, t, path, state.cfg.demo);
    let mut f = form_view(
        t.clone(),
        chrome,
        t.t("case-open"),
        vec![(
            t.t("case-person"),
            p.label()
                .map(str::to_owned)
                .unwrap_or_else(|| t.t("person-unnamed")),
        )],
        "/staff/cases".to_owned(),
        intake_fields(t, &v, &options, &managers),
        format!("/staff/persons/{person}"),
    );
    f.intro = t.t("case-open-intro");
    f.submit = t.t("case-open");
    Ok(f)
}

pub async fn new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageErr> {
    // A case is opened from a person's page; without a person, find one first.
    if q.person.trim().is_empty() {
        return Ok(see_other("/staff/persons"));
    }
    let today = time::OffsetDateTime::from_unix_timestamp(state.ctx.clock.now_ts())
        .map(|d| d.date().to_string())
        .unwrap_or_default();
    let v = Typed::default()
        .with("person_id", q.person.trim())
        .with("start_date", today)
        .with("perspective", "undecided");
    Ok(intake_form(&state, &s, &t, uri.path(), v)
        .await?
        .respond(StatusCode::OK))
}

pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let v = Typed(pairs);
    let input = OpenInput {
        person_id: v.get("person_id"),
        programme_id: v.get("programme_id"),
        start_date: v.get("start_date"),
        perspective: v.get("perspective"),
        screening_note: v.get("screening_note"),
        case_manager_id: v.get("case_manager_id"),
    };
    match cases::open_case(&state.ctx, &s.0.actor, &input).await {
        Ok(c) => Ok(see_other(&case_url(c.id))),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            if parse::<PersonId>(&v.value("person_id")).is_err() {
                return Err(t.page()(e));
            }
            intake_form(&state, &s, &t, uri.path(), v)
                .await?
                .refused(e)
                .map_err(t.page())
        }
        Err(e) => Err(t.page()(e)),
    }
}

// Assign

pub async fn assign_form(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let v = Typed::default().with(
        "case_manager_id",
        f.case
            .case_manager
            .as_ref()
            .map(|m| m.id.to_string())
            .unwrap_or_default(),
    );
    Ok(assign_view(&state, &s, &t, uri.path(), &f, v)
        .await?
        .respond(StatusCode::OK))
}

async fn assign_view(
    state: &AppState,
    s: &Staff,
    t: &Tr,
    path: &str,
    f: &CaseFile,
    v: Typed,
) -> Result<FormView, PageErr> {
    let managers = cases::case_managers(&state.ctx, &s.0.actor)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s.0, t, path, state.cfg.demo);
    Ok(form_view(
        t.clone(),
        chrome,
        t.t("case-assign"),
        case_context(t, f),
        format!("{}/assign", case_url(f.case.id)),
        vec![
            Field::select(t, "case_manager_id", &v, staff_choices(&managers), true)
                .hint(t.t("hint-assign-cap")),
        ],
        case_url(f.case.id),
    ))
}

pub async fn assign(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let input = AssignInput {
        case_manager_id: v.get("case_manager_id"),
    };
    match cases::assign(&state.ctx, &s.0.actor, cid, &input).await {
        Ok(_) => {
            let to = if v.value("back") == "team" {
                "/staff/cases/team".to_owned()
            } else {
                case_url(cid)
            };
            Ok(see_other(&to))
        }
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let f = load_case(&state, &s, &t, &id).await?;
            assign_view(&state, &s, &t, uri.path(), &f, v)
                .await?
                .refused(e)
                .map_err(t.page())
        }
        Err(e) => Err(t.page()(e)),
    }
}

// Perspective

fn perspective_fields(t: &Tr, v: &Typed) -> Vec<Field> {
    vec![
        Field::select(
            t,
            "perspective",
            v,
            coded(
                t,
                "perspective",
                Perspective::ALL.iter().map(|p| p.as_str()),
            ),
            false,
        ),
        Field::area(t, "migration_project", v).hint(t.t("hint-migration_project")),
        Field::area(t, "current_situation", v),
        Field::area(t, "legal_options", v).hint(t.t("hint-legal_options")),
        Field::area(t, "decision", v)
            .label(t.t("field-person-decision"))
            .hint(t.t("hint-decision")),
        Field::select(
            t,
            "decision_stage",
            v,
            coded(t, "stage", DecisionStage::ALL.iter().map(|p| p.as_str())),
            false,
        ),
    ]
}

pub async fn perspective_form(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let mut v = Typed::default().with("perspective", f.case.perspective.as_str());
    if let Some(p) = f.perspectives.first() {
        v = v
            .with("decision_stage", p.decision_stage.as_str())
            .with("migration_project", or_dash(&p.text.migration_project))
            .with("current_situation", or_dash(&p.text.current_situation))
            .with("legal_options", or_dash(&p.text.legal_options))
            .with("decision", or_dash(&p.text.decision));
    }
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    let mut view = form_view(
        t.clone(),
        chrome,
        t.t("case-record-perspective"),
        case_context(&t, &f),
        format!("{}/perspective", case_url(f.case.id)),
        perspective_fields(&t, &v),
        case_url(f.case.id),
    );
    view.intro = t.t("perspective-intro");
    Ok(view.respond(StatusCode::OK))
}

pub async fn perspective(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let input = PerspectiveInput {
        perspective: v.get("perspective"),
        decision_stage: v.get("decision_stage"),
        migration_project: v.get("migration_project"),
        current_situation: v.get("current_situation"),
        legal_options: v.get("legal_options"),
        decision: v.get("decision"),
    };
    let res = cases::record_perspective(&state.ctx, &s.0.actor, cid, &input)
        .await
        .map(|_| ());
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    answer(&t, res, case_url(cid), || {
        form_view(
            t.clone(),
            chrome,
            t.t("case-record-perspective"),
            Vec::new(),
            format!("{}/perspective", case_url(cid)),
            perspective_fields(&t, &v),
            case_url(cid),
        )
    })
}

// Procedures

fn procedure_fields(t: &Tr, v: &Typed, kinds: &[programmes::ListItem]) -> Vec<Field> {
    vec![
        Field::select(
            t,
            "kind",
            v,
            kinds
                .iter()
                .map(|k| (k.code.clone(), k.label.clone()))
                .collect(),
            true,
        )
        .label(t.t("field-procedure-kind")),
        Field::date(t, "filed_on", v),
        Field::select(
            t,
            "decision",
            v,
            coded(
                t,
                "decision",
                cases::Decision::ALL.iter().map(|d| d.as_str()),
            ),
            false,
        ),
        Field::date(t, "decision_on", v),
        Field::date(t, "appeal_filed_on", v),
        Field::date(t, "deadline", v).hint(t.t("hint-deadline")),
        Field::area(t, "notes", v),
    ]
}

async fn procedure_view(
    state: &AppState,
    s: &Staff,
    t: &Tr,
    path: &str,
    cid: CaseId,
    v: &Typed,
    action: String,
) -> Result<FormView, PageErr> {
    let options = programmes::options(&state.ctx, &s.0.actor)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s.0, t, path, state.cfg.demo);
    Ok(form_view(
        t.clone(),
        chrome,
        t.t("case-procedure"),
        Vec::new(),
        action,
        procedure_fields(t, v, &options.procedure_types),
        case_url(cid),
    ))
}

fn procedure_input(v: &Typed) -> ProcedureInput {
    ProcedureInput {
        kind: v.get("kind"),
        filed_on: v.get("filed_on"),
        decision: v.get("decision"),
        decision_on: v.get("decision_on"),
        appeal_filed_on: v.get("appeal_filed_on"),
        deadline: v.get("deadline"),
        notes: v.get("notes"),
    }
}

pub async fn procedure_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let v = Typed::default().with("decision", "pending");
    let mut view = procedure_view(
        &state,
        &s,
        &t,
        uri.path(),
        f.case.id,
        &v,
        format!("{}/procedures", case_url(f.case.id)),
    )
    .await?;
    view.context = case_context(&t, &f);
    Ok(view.respond(StatusCode::OK))
}

pub async fn procedure_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let res = cases::add_procedure(&state.ctx, &s.0.actor, cid, &procedure_input(&v))
        .await
        .map(|_| ());
    let view = procedure_view(
        &state,
        &s,
        &t,
        uri.path(),
        cid,
        &v,
        format!("{}/procedures", case_url(cid)),
    )
    .await?;
    answer(&t, res, case_url(cid), || view)
}

pub async fn procedure_edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path((id, pid)): Path<(String, String)>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let p = f
        .procedures
        .iter()
        .find(|p| p.id.to_string() == pid)
        .ok_or_else(|| t.page()(Error::NotFound))?;
    let v = Typed::default()
        .with("kind", p.kind.clone())
        .with("filed_on", or_dash(&p.filed_on))
        .with("decision", p.decision.as_str())
        .with("decision_on", or_dash(&p.decision_on))
        .with("appeal_filed_on", or_dash(&p.appeal_filed_on))
        .with("deadline", or_dash(&p.deadline))
        .with("notes", or_dash(&p.notes));
    let mut view = procedure_view(
        &state,
        &s,
        &t,
        uri.path(),
        f.case.id,
        &v,
        format!("{}/procedures/{}", case_url(f.case.id), p.id),
    )
    .await?;
    view.context = case_context(&t, &f);
    Ok(view.respond(StatusCode::OK))
}

pub async fn procedure_update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path((id, pid)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let proc_id = parse(&pid).map_err(t.page())?;
    let v = Typed(pairs);
    let res =
        cases::update_procedure(&state.ctx, &s.0.actor, cid, proc_id, &procedure_input(&v)).await;
    let view = procedure_view(
        &state,
        &s,
        &t,
        uri.path(),
        cid,
        &v,
        format!("{}/procedures/{pid}", case_url(cid)),
    )
    .await?;
    answer(&t, res, case_url(cid), || view)
}

// Goals

fn goal_fields(t: &Tr, v: &Typed, staff: &[StaffRef], editing: bool) -> Vec<Field> {
    let mut f = vec![
        Field::text(t, "title", v).label(t.t("field-goal-title")),
        Field::select(
            t,
            "domain",
            v,
            coded(t, "domain", Domain::ALL.iter().map(|d| d.as_str())),
            !editing,
        ),
        Field::select(
            t,
            "term",
            v,
            coded(t, "term", Term::ALL.iter().map(|d| d.as_str())),
            false,
        ),
        Field::select(t, "owner_id", v, staff_choices(staff), true),
        Field::date(t, "due_on", v),
        Field::select(
            t,
            "status",
            v,
            coded(t, "goal-status", GoalStatus::ALL.iter().map(|d| d.as_str())),
            false,
        ),
    ];
    f.push(Field::area(t, "progress", v).hint(t.t("hint-progress")));
    f
}

fn goal_input(v: &Typed) -> GoalInput {
    GoalInput {
        title: v.get("title"),
        domain: v.get("domain"),
        term: v.get("term"),
        owner_id: Some(v.value("owner_id")),
        due_on: v.get("due_on"),
        status: v.get("status"),
        progress: v.get("progress"),
    }
}

async fn goal_view(
    state: &AppState,
    s: &Staff,
    t: &Tr,
    path: &str,
    cid: CaseId,
    v: &Typed,
    goal: Option<&str>,
) -> Result<FormView, PageErr> {
    let staff = cases::case_managers(&state.ctx, &s.0.actor)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s.0, t, path, state.cfg.demo);
    let editing = goal.is_some();
    let action = match goal {
        Some(g) => format!("{}/goals/{g}", case_url(cid)),
        None => format!("{}/goals", case_url(cid)),
    };
    let title = if editing {
        t.t("goal-update")
    } else {
        t.t("goal-add")
    };
    Ok(form_view(
        t.clone(),
        chrome,
        title,
        Vec::new(),
        action,
        goal_fields(t, v, &staff, editing),
        case_url(cid),
    ))
}

pub async fn goal_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let v = Typed::default()
        .with("term", "short")
        .with("status", "open")
        .with(
            "owner_id",
            s.0.actor.user_id.map(|u| u.to_string()).unwrap_or_default(),
        );
    let cid = f.case.id;
    let mut view = goal_view(&state, &s, &t, uri.path(), cid, &v, None).await?;
    view.context = case_context(&t, &f);
    view.intro = t.t("goal-intro");
    Ok(view.respond(StatusCode::OK))
}

pub async fn goal_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let res = cases::add_goal(&state.ctx, &s.0.actor, cid, &goal_input(&v))
        .await
        .map(|_| ());
    let view = goal_view(&state, &s, &t, uri.path(), cid, &v, None).await?;
    answer(&t, res, case_url(cid), || view)
}

pub async fn goal_edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path((id, gid)): Path<(String, String)>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let g = f
        .goals
        .iter()
        .find(|g| g.id.to_string() == gid)
        .ok_or_else(|| t.page()(Error::NotFound))?;
    let v = Typed::default()
        .with("title", g.title.clone())
        .with("domain", g.domain.as_str())
        .with("term", g.term.as_str())
        .with(
            "owner_id",
            g.owner
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
        )
        .with("due_on", or_dash(&g.due_on))
        .with("status", g.status.as_str());
    let cid = f.case.id;
    let mut view = goal_view(&state, &s, &t, uri.path(), cid, &v, Some(&gid)).await?;
    let mut context = case_context(&t, &f);
    for p in &g.progress {
        context.push((format!("{} · {}", fmt_ts(p.at), p.by), p.text.clone()));
    }
    view.context = context;
    Ok(view.respond(StatusCode::OK))
}

pub async fn goal_update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path((id, gid)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let goal = parse(&gid).map_err(t.page())?;
    let v = Typed(pairs);
    let res = cases::update_goal(&state.ctx, &s.0.actor, cid, goal, &goal_input(&v)).await;
    let view = goal_view(&state, &s, &t, uri.path(), cid, &v, Some(&gid)).await?;
    answer(&t, res, case_url(cid), || view)
}

// Appointments and tasks

fn appointment_fields(t: &Tr, v: &Typed) -> Vec<Field> {
    vec![
        Field::select(
            t,
            "kind",
            v,
            coded(t, "item", ItemKind::ALL.iter().map(|k| k.as_str())),
            false,
        )
        .label(t.t("field-item-kind")),
        Field::text(t, "title", v).label(t.t("field-item-title")),
        Field::date(t, "due_on", v),
        Field::time(t, "due_time", v).hint(t.t("hint-due_time")),
    ]
}

pub async fn appointment_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let v = Typed::default().with("kind", "appointment");
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    Ok(form_view(
        t.clone(),
        chrome,
        t.t("appointment-add"),
        case_context(&t, &f),
        format!("{}/appointments", case_url(f.case.id)),
        appointment_fields(&t, &v),
        case_url(f.case.id),
    )
    .respond(StatusCode::OK))
}

pub async fn appointment_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let input = AppointmentInput {
        kind: v.get("kind"),
        title: v.get("title"),
        due_on: v.get("due_on"),
        due_time: v.get("due_time"),
    };
    let res = cases::add_appointment(&state.ctx, &s.0.actor, cid, &input)
        .await
        .map(|_| ());
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    answer(&t, res, case_url(cid), || {
        form_view(
            t.clone(),
            chrome,
            t.t("appointment-add"),
            Vec::new(),
            format!("{}/appointments", case_url(cid)),
            appointment_fields(&t, &v),
            case_url(cid),
        )
    })
}

pub async fn appointment_done(
    State(state): State<AppState>,
    t: Tr,
    s: Staff,
    Path((id, aid)): Path<(String, String)>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let item = parse(&aid).map_err(t.page())?;
    cases::complete_appointment(&state.ctx, &s.0.actor, cid, item)
        .await
        .map_err(t.page())?;
    Ok(see_other(&case_url(cid)))
}

// Notes

pub async fn note_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    let mut view = form_view(
        t.clone(),
        chrome,
        t.t("note-add"),
        case_context(&t, &f),
        format!("{}/notes", case_url(f.case.id)),
        vec![Field::area(&t, "text", &Typed::default())],
        case_url(f.case.id),
    );
    view.intro = t.t("note-intro");
    Ok(view.respond(StatusCode::OK))
}

pub async fn note_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let res = cases::add_note(
        &state.ctx,
        &s.0.actor,
        cid,
        &NoteInput {
            text: v.get("text"),
        },
    )
    .await
    .map(|_| ());
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    answer(&t, res, case_url(cid), || {
        form_view(
            t.clone(),
            chrome,
            t.t("note-add"),
            Vec::new(),
            format!("{}/notes", case_url(cid)),
            vec![Field::area(&t, "text", &v)],
            case_url(cid),
        )
    })
}

// Employment

fn episode_fields(t: &Tr, v: &Typed) -> Vec<Field> {
    vec![
        Field::date(t, "start_on", v),
        Field::date(t, "end_on", v).hint(t.t("hint-end_on")),
        Field::select(
            t,
            "contract",
            v,
            coded(t, "contract", Contract::ALL.iter().map(|c| c.as_str())),
            true,
        ),
        Field::text(t, "sector", v),
        Field::number(t, "hours_per_week", v),
    ]
}

pub async fn episode_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    Ok(form_view(
        t.clone(),
        chrome,
        t.t("employment-add"),
        case_context(&t, &f),
        format!("{}/employment", case_url(f.case.id)),
        episode_fields(&t, &Typed::default()),
        case_url(f.case.id),
    )
    .respond(StatusCode::OK))
}

pub async fn episode_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let input = EpisodeInput {
        start_on: v.get("start_on"),
        end_on: v.get("end_on"),
        contract: v.get("contract"),
        sector: v.get("sector"),
        hours_per_week: v.get("hours_per_week"),
    };
    let res = cases::add_episode(&state.ctx, &s.0.actor, cid, &input)
        .await
        .map(|_| ());
    let chrome = Chrome::staff(&s.0, &t, uri.path(), state.cfg.demo);
    answer(&t, res, case_url(cid), || {
        form_view(
            t.clone(),
            chrome,
            t.t("employment-add"),
            Vec::new(),
            format!("{}/employment", case_url(cid)),
            episode_fields(&t, &v),
            case_url(cid),
        )
    })
}

// Closure

fn close_fields(t: &Tr, v: &Typed, permits: &[programmes::ListItem]) -> Vec<Field> {
    vec![
        Field::select(
            t,
            "outcome",
            v,
            coded(t, "outcome", Outcome::ALL.iter().map(|o| o.as_str())),
            true,
        ),
        Field::date(t, "closed_on", v),
        Field::select(
            t,
            "permit_type",
            v,
            permits
                .iter()
                .map(|k| (k.code.clone(), k.label.clone()))
                .collect(),
            true,
        )
        .hint(t.t("hint-permit_type")),
        Field::text(t, "country", v).hint(t.t("hint-country")),
        Field::text(t, "supporting_org", v).hint(t.t("hint-supporting_org")),
        Field::area(t, "details", v),
    ]
}

async fn close_view(
    state: &AppState,
    s: &Staff,
    t: &Tr,
    path: &str,
    cid: CaseId,
    v: &Typed,
) -> Result<FormView, PageErr> {
    let options = programmes::options(&state.ctx, &s.0.actor)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s.0, t, path, state.cfg.demo);
    let mut view = form_view(
        t.clone(),
        chrome,
        t.t("case-close"),
        Vec::new(),
        format!("{}/close", case_url(cid)),
        close_fields(t, v, &options.permit_types),
        case_url(cid),
    );
    view.intro = t.t("case-close-intro");
    view.submit = t.t("case-close");
    Ok(view)
}

pub async fn close_form(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let f = load_case(&state, &s, &t, &id).await?;
    let today = time::OffsetDateTime::from_unix_timestamp(state.ctx.clock.now_ts())
        .map(|d| d.date().to_string())
        .unwrap_or_default();
    let v = Typed::default().with("closed_on", today);
    let mut view = close_view(&state, &s, &t, uri.path(), f.case.id, &v).await?;
    view.context = case_context(&t, &f);
    Ok(view.respond(StatusCode::OK))
}

pub async fn close(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    s: Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: CaseId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let input = CloseInput {
        outcome: v.get("outcome"),
        closed_on: v.get("closed_on"),
        permit_type: v.get("permit_type"),
        country: v.get("country"),
        supporting_org: v.get("supporting_org"),
        details: v.get("details"),
    };
    let res = cases::close(&state.ctx, &s.0.actor, cid, &input)
        .await
        .map(|_| ());
    let view = close_view(&state, &s, &t, uri.path(), cid, &v).await?;
    answer(&t, res, case_url(cid), || view)
}
