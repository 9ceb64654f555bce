//! Configuring programmes: the administrator's casework settings.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use haven_core::cases::programmes::{self, outcome_codes, Programme, ProgrammeInput};
use haven_core::ids::ProgrammeId;
use haven_core::Error;

use super::forms::{Field, FormView, Typed};
use super::see_other;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{render, Chrome, FormErrors};
use crate::AppState;

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

pub async fn index(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let list = programmes::list(&state.ctx, &s.actor)
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
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}

fn to_input(v: &Typed) -> ProgrammeInput {
    ProgrammeInput {
        name: v.get("name"),
        target_group: v.get("target_group"),
        max_months: v.get("max_months"),
        caseload_cap: v.get("caseload_cap"),
        includes_shelter: Some(v.value("includes_shelter")),
        outcomes: v.all("outcomes"),
        alert_days: v.get("alert_days"),
        active: Some(
            if v.get("active").is_some() {
                "true"
            } else {
                "false"
            }
            .to_owned(),
        ),
    }
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
        v.0.push(("outcomes".into(), o.clone()));
    }
    v
}

fn form(t: Tr, chrome: Chrome, v: Typed, editing: Option<ProgrammeId>) -> FormView {
    let outcomes = outcome_codes()
        .into_iter()
        .map(|c| (c.to_owned(), t.t(&format!("outcome-{c}"))))
        .collect();
    let fields = vec![
        Field::text(&t, "name", &v),
        Field::text(&t, "target_group", &v),
        Field::number(&t, "max_months", &v).hint(t.t("hint-max_months")),
        Field::number(&t, "caseload_cap", &v).hint(t.t("hint-caseload_cap")),
        Field::checkbox(&t, "includes_shelter", &v),
        Field::checks(&t, "outcomes", &v, outcomes),
        Field::text(&t, "alert_days", &v).hint(t.t("hint-alert_days")),
        Field::checkbox(&t, "active", &v),
    ];
    let (title, action, submit) = match editing {
        None => (
            t.t("programme-new"),
            INDEX.to_owned(),
            t.t("programme-create"),
        ),
        Some(id) => (t.t("programme-edit"), format!("{INDEX}/{id}"), t.t("save")),
    };
    FormView {
        title,
        intro: String::new(),
        context: Vec::new(),
        action,
        fields,
        submit,
        cancel: INDEX.to_owned(),
        errors: FormErrors::default(),
        chrome,
        t,
    }
}

pub async fn new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Response {
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    let v = Typed::default()
        .with("caseload_cap", programmes::DEFAULT_CAP.to_string())
        .with("alert_days", programmes::DEFAULT_ALERT_DAYS)
        .with("active", "on");
    form(t, chrome, v, None).respond(StatusCode::OK)
}

pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let v = Typed(pairs);
    match programmes::create(&state.ctx, &s.actor, &to_input(&v)).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(e) => {
            let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
            form(t.clone(), chrome, v, None)
                .refused(e)
                .map_err(t.page())
        }
    }
}

fn parse_id(id: &str) -> Result<ProgrammeId, Error> {
    id.parse().map_err(|_| Error::NotFound)
}

pub async fn edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    let p = programmes::get(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    Ok(form(t, chrome, from_programme(&p), Some(id)).respond(StatusCode::OK))
}

pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    let v = Typed(pairs);
    match programmes::update(&state.ctx, &s.actor, id, &to_input(&v)).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(e) => {
            let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
            form(t.clone(), chrome, v, Some(id))
                .refused(e)
                .map_err(t.page())
        }
    }
}
