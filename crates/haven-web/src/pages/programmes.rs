//! Configuring programmes: the administrator's casework settings.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use haven_core::cases::programmes::{self, outcome_codes, Programme, ProgrammeInput};
use haven_core::ids::ProgrammeId;
use haven_core::Error;

use super::forms::{answer, Field, FormView, Typed};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, Chrome};

const INDEX: &str = "/staff/admin/programmes";

pub struct Row {
    pub href: String,
    pub name: String,
    pub target_group: String,
    pub max: String,
    pub cap: i64,
    pub shelter: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "programmes_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<Row>,
}

pub fn months_text(t: &Tr, m: Option<i64>) -> String {
    match m {
        Some(m) => t.t1("programme-months", "count", m),
        None => t.t("programme-no-limit"),
    }
}

pub async fn index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let list = programmes::list(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let page = IndexPage {
        rows: list
            .into_iter()
            .map(|p| Row {
                href: format!("{INDEX}/{}", p.id),
                max: months_text(&t, p.max_months),
                name: p.name,
                target_group: p.target_group,
                cap: p.caseload_cap,
                shelter: p.includes_shelter,
                active: p.active,
            })
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}

/// The programme as the core takes it. An unticked box sends nothing, and for the core
/// a missing `active` means "active": the form says "false".
fn to_input(v: &Typed) -> Result<ProgrammeInput, Error> {
    let mut input: ProgrammeInput = v.input()?;
    input.includes_shelter = Some(v.value("includes_shelter"));
    input.active = Some(
        if v.get("active").is_some() {
            "true"
        } else {
            "false"
        }
        .to_owned(),
    );
    Ok(input)
}

fn from_programme(p: &Programme) -> Typed {
    let mut v = Typed::default()
        .with("name", p.name.clone())
        .with("target_group", p.target_group.clone())
        .with(
            "max_months",
            p.max_months.map(|m| m.to_string()).unwrap_or_default(),
        )
        .with("caseload_cap", p.caseload_cap.to_string())
        .with(
            "alert_days",
            p.alert_days
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        );
    if p.includes_shelter {
        v.set("includes_shelter", "on");
    }
    if p.active {
        v.set("active", "on");
    }
    for o in &p.outcomes {
        v.push("outcomes", o.clone());
    }
    v
}

fn form(t: &Tr, chrome: Chrome, v: &Typed, editing: Option<ProgrammeId>) -> FormView {
    let outcomes = outcome_codes()
        .into_iter()
        .map(|c| (c.to_owned(), t.t(&format!("outcome-{c}"))))
        .collect();
    let fields = vec![
        Field::text(t, "name", v),
        Field::text(t, "target_group", v),
        Field::number(t, "max_months", v).hint(t.t("hint-max_months")),
        Field::number(t, "caseload_cap", v).hint(t.t("hint-caseload_cap")),
        Field::checkbox(t, "includes_shelter", v),
        Field::checks(t, "outcomes", v, outcomes),
        Field::text(t, "alert_days", v).hint(t.t("hint-alert_days")),
        Field::checkbox(t, "active", v),
    ];
    let (title, action, submit) = match editing {
        None => (
            t.t("programme-new"),
            INDEX.to_owned(),
            t.t("programme-create"),
        ),
        Some(id) => (t.t("programme-edit"), format!("{INDEX}/{id}"), t.t("save")),
    };
    FormView::new(t, chrome, title, action, fields, INDEX.to_owned()).submit(submit)
}

pub async fn new(StaffPage { t, chrome, .. }: StaffPage) -> Response {
    let v = Typed::default()
        .with("caseload_cap", programmes::DEFAULT_CAP.to_string())
        .with("alert_days", programmes::DEFAULT_ALERT_DAYS)
        .with("active", "on");
    form(&t, chrome, &v, None).respond(StatusCode::OK)
}

pub async fn create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Form(v): Form<Typed>,
) -> PageResult {
    let input = to_input(&v).map_err(t.page())?;
    let res = programmes::create(&app.ctx, &s.actor, &input).await;
    answer(&t, res.map(|_| INDEX.to_owned()), || {
        form(&t, chrome, &v, None)
    })
}

pub async fn edit(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<ProgrammeId>,
) -> PageResult {
    let p = programmes::get(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(form(&t, chrome, &from_programme(&p), Some(id)).respond(StatusCode::OK))
}

pub async fn update(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<ProgrammeId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input = to_input(&v).map_err(t.page())?;
    let res = programmes::update(&app.ctx, &s.actor, id, &input).await;
    answer(&t, res.map(|_| INDEX.to_owned()), || {
        form(&t, chrome, &v, Some(id))
    })
}
