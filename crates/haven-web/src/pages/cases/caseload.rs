//! The caseload (a case manager's open cases, those needing attention first) and the team
//! lead's overview (load per manager and programme, the unassigned cases, waiting times).

use askama::Template;
use axum::extract::Query;
use haven_core::cases::{self, CaseLine, TeamOverview};
use haven_core::ids::UserId;
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::{attention_text, case_url, duration_text, label_or_unnamed};
use crate::error::ErrExt;
use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{fmt_ts, render, Chrome};

pub struct LineView {
    pub href: String,
    pub person: String,
    pub programme: String,
    pub start: String,
    pub manager: String,
    pub wait: String,
    pub last_contact: String,
    /// Each reason's text, and whether its moment has passed (shown apart from "near").
    pub reasons: Vec<(String, bool)>,
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
        reasons: l
            .attention
            .iter()
            .map(|a| (attention_text(t, a), a.kind.is_past()))
            .collect(),
        urgent: !l.attention.is_empty(),
    }
}

fn line_views(t: &Tr, lines: &[CaseLine]) -> Vec<LineView> {
    lines.iter().map(|l| line_view(t, l)).collect()
}

#[derive(Template)]
#[template(path = "cases_index.html")]
pub struct CaseloadPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<LineView>,
    pub attention: usize,
    pub can_assign: bool,
}

pub async fn caseload(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let list = cases::caseload(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let rows = line_views(&t, &list);
    let page = CaseloadPage {
        attention: rows.iter().filter(|r| r.urgent).count(),
        rows,
        can_assign: s.actor.can(Permission::CaseAssign),
        chrome,
        t,
    };
    Ok(render(&page))
}

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
    StaffPage { app, s, t, chrome }: StaffPage,
    Query(q): Query<TeamQuery>,
) -> PageResult {
    let manager: Option<UserId> = match q.manager.trim() {
        "" => None,
        m => Some(m.parse().map_err(|_| t.page()(Error::NotFound))?),
    };
    let o = cases::team(&app.ctx, &s.actor, manager)
        .await
        .map_err(t.page())?;
    Ok(render(&team_page(t, chrome, &o, manager)))
}

fn team_page(t: Tr, chrome: Chrome, o: &TeamOverview, manager: Option<UserId>) -> TeamPage {
    let wait = |w: Option<i64>| w.map(|w| duration_text(&t, w)).unwrap_or_default();
    TeamPage {
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
        unassigned: line_views(&t, &o.unassigned),
        manager_cases: line_views(&t, &o.manager_cases),
        manager_name: o
            .managers
            .iter()
            .find(|m| Some(m.manager.id) == manager)
            .map(|m| m.manager.name.clone())
            .unwrap_or_default(),
        assigned: o.assigned_cases,
        average_wait: wait(o.average_wait_seconds),
        longest_wait: wait(o.longest_wait_seconds),
        chrome,
        t,
    }
}
