//! The case page: facts, what needs attention, the person's perspective, legal
//! procedures, goals, appointments and tasks, notes, shelter stays, employment, outcome
//! and history.

use askama::Template;
use haven_core::cases::{self, AttentionKind, CaseFile, CaseSummary};
use haven_core::ids::CaseId;
use haven_core::Permission;

use super::{attention_text, case_url, duration_text, label_or_unnamed, or_dash, relative_days};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{fmt_ts, render, Chrome};

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

pub async fn show(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let f = cases::get(&app.ctx, &s.actor, id).await.map_err(t.page())?;
    let refer_href = if s.actor.can(Permission::ReferralSend) {
        format!(
            "/staff/persons/{}/consents/new?case={}",
            f.case.person_id, f.case.id
        )
    } else {
        String::new()
    };
    let mut page = case_page(t, chrome, f);
    page.can_write = s.actor.can(Permission::CaseWrite);
    page.can_assign = s.actor.can(Permission::CaseAssign);
    page.refer_href = refer_href;
    Ok(render(&page))
}

fn case_page(t: Tr, chrome: Chrome, f: CaseFile) -> CasePage {
    let c = &f.case;
    let base = case_url(c.id);
    CasePage {
        id: c.id.to_string(),
        heading: label_or_unnamed(&t, &c.person_label),
        person_href: format!("/staff/persons/{}", c.person_id),
        open: c.status == "open",
        facts: facts(&t, c),
        attention: f.attention.iter().map(|a| attention_text(&t, a)).collect(),
        perspectives: perspectives(&t, &f),
        procedures: procedures(&t, &f, &base),
        goals: goals(&t, &f, &base),
        items: items(&t, &f, &base),
        notes: f
            .notes
            .iter()
            .map(|n| NoteView {
                when: fmt_ts(n.at),
                by: n.written_by.clone(),
                text: n.text.clone(),
            })
            .collect(),
        placements: placements(&t, &f),
        follows_employment: f.follows_employment || !f.employment.episodes.is_empty(),
        episodes: episodes(&t, &f),
        follow_up: follow_up(&t, &f),
        outcome: outcome(&t, &f),
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
        can_write: false,
        can_assign: false,
        refer_href: String::new(),
        chrome,
        t,
    }
}

fn facts(t: &Tr, c: &CaseSummary) -> Vec<(String, String)> {
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
                .map(|w| duration_text(t, w))
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
    facts
}

fn outcome(t: &Tr, f: &CaseFile) -> Vec<(String, String)> {
    let c = &f.case;
    let mut outcome = Vec::new();
    let Some(o) = c.outcome else {
        return outcome;
    };
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
    outcome
}

fn perspectives(t: &Tr, f: &CaseFile) -> Vec<PerspectiveView> {
    f.perspectives
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
        .collect()
}

fn procedures(t: &Tr, f: &CaseFile, base: &str) -> Vec<ProcedureView> {
    f.procedures
        .iter()
        .map(|p| ProcedureView {
            kind: p.kind_label.clone(),
            filed: or_dash(&p.filed_on),
            decision: t.t(&format!("decision-{}", p.decision.as_str())),
            decision_on: or_dash(&p.decision_on),
            appeal: or_dash(&p.appeal_filed_on),
            deadline_passed: f.attention.iter().any(|a| {
                a.kind == AttentionKind::DeadlinePassed && Some(&a.date) == p.deadline.as_ref()
            }),
            deadline: or_dash(&p.deadline),
            notes: or_dash(&p.notes),
            edit: format!("{base}/procedures/{}", p.id),
        })
        .collect()
}

fn goals(t: &Tr, f: &CaseFile, base: &str) -> Vec<GoalView> {
    f.goals
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
        .collect()
}

fn items(t: &Tr, f: &CaseFile, base: &str) -> Vec<ItemView> {
    f.appointments
        .iter()
        .map(|a| ItemView {
            kind: t.t(&format!("item-{}", a.kind.as_str())),
            title: a.title.clone(),
            due: fmt_ts(a.due_at),
            done: a.done_at.map(fmt_ts).unwrap_or_default(),
            overdue: a.overdue,
            done_action: format!("{base}/appointments/{}/done", a.id),
        })
        .collect()
}

fn placements(t: &Tr, f: &CaseFile) -> Vec<PlacementView> {
    f.placements
        .iter()
        .map(|p| PlacementView {
            site: format!("{} ({})", p.site, p.neighbourhood),
            place: p.place.clone(),
            admitted: p.admitted_on.clone(),
            until: or_dash(&p.stay_until),
            left: p.days_left.map(|d| relative_days(t, d)).unwrap_or_default(),
            discharged: match (&p.discharged_on, &p.discharge_reason) {
                (Some(d), Some(r)) => format!("{d} ({r})"),
                (Some(d), None) => d.clone(),
                _ => String::new(),
            },
            extensions: p.extensions,
        })
        .collect()
}

fn episodes(t: &Tr, f: &CaseFile) -> Vec<(String, String, String, String, i64)> {
    f.employment
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
        .collect()
}

fn follow_up(t: &Tr, f: &CaseFile) -> Vec<(String, String, String)> {
    f.employment
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
        .collect()
}
