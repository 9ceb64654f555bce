//! Opening a case from a person's page (intake and screening), and assigning its case
//! manager.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::Form;
use haven_core::cases::{
    self, programmes, AssignInput, CaseFile, OpenInput, Perspective, StaffRef,
};
use haven_core::ids::{CaseId, PersonId};
use haven_core::{people, Error};
use serde::Deserialize;

use super::{case_context, case_form, case_url, load_case, staff_choices, today};
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::pages::forms::{coded, Field, FormView, Typed};
use crate::pages::{see_other, PageResult};

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    person: String,
}

fn intake_fields(
    t: &crate::i18n::Tr,
    v: &Typed,
    options: &programmes::Options,
    managers: &[StaffRef],
) -> Vec<Field> {
    let programmes = options
        .programmes
        .iter()
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect();
    let perspectives = coded(
        t,
        "perspective",
        Perspective::ALL.iter().map(|p| p.as_str()),
    );
    vec![
        Field::hidden("person_id", v.value("person_id")),
        Field::select(t, "programme_id", v, programmes, true),
        Field::date(t, "start_date", v),
        Field::select(t, "perspective", v, perspectives, false),
        Field::area(t, "screening_note", v).hint(t.t("hint-screening_note")),
        Field::select(t, "case_manager_id", v, staff_choices(managers), true)
            .hint(t.t("hint-case_manager_id")),
    ]
}

/// The intake form for the person named in `v`, with the programmes and case managers to
/// choose from.
async fn intake_form(p: StaffPage, v: Typed) -> Result<FormView, PageErr> {
    let StaffPage { app, s, t, chrome } = p;
    let person: PersonId = v
        .value("person_id")
        .parse()
        .map_err(|_| t.page()(Error::NotFound))?;
    let found = people::get(&app.ctx, &s.actor, person)
        .await
        .map_err(t.page())?;
    let options = programmes::options(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let managers = cases::case_managers(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let name = found
        .label()
        .map(str::to_owned)
        .unwrap_or_else(|| t.t("person-unnamed"));
    let fields = intake_fields(&t, &v, &options, &managers);
    let back = format!("/staff/persons/{person}");
    Ok(FormView::new(
        &t,
        chrome,
        t.t("case-open"),
        "/staff/cases".into(),
        fields,
        back,
    )
    .context(vec![(t.t("case-person"), name)])
    .intro(t.t("case-open-intro"))
    .submit(t.t("case-open")))
}

pub async fn new(p: StaffPage, Query(q): Query<NewQuery>) -> PageResult {
    // A case is opened from a person's page; without a person, find one first.
    if q.person.trim().is_empty() {
        return Ok(see_other("/staff/persons"));
    }
    let v = Typed::default()
        .with("person_id", q.person.trim())
        .with("start_date", today(&p.app))
        .with("perspective", "undecided");
    Ok(intake_form(p, v).await?.respond(StatusCode::OK))
}

pub async fn create(p: StaffPage, Form(v): Form<Typed>) -> PageResult {
    let input: OpenInput = v.input().map_err(p.t.page())?;
    match cases::open_case(&p.app.ctx, &p.s.actor, &input).await {
        Ok(c) => Ok(see_other(&case_url(c.id))),
        // Without a person there is no form to show again.
        Err(e @ (Error::Invalid(_) | Error::Conflict(_)))
            if v.value("person_id").parse::<PersonId>().is_ok() =>
        {
            let t = p.t.clone();
            intake_form(p, v).await?.refused(e).map_err(t.page())
        }
        Err(e) => Err(p.t.page()(e)),
    }
}

async fn assign_view(p: StaffPage, f: &CaseFile, v: Typed) -> Result<FormView, PageErr> {
    let StaffPage { app, s, t, chrome } = p;
    let managers = cases::case_managers(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let fields = vec![
        Field::select(&t, "case_manager_id", &v, staff_choices(&managers), true)
            .hint(t.t("hint-assign-cap")),
    ];
    Ok(
        case_form(&t, chrome, f.case.id, "case-assign", "assign", fields)
            .context(case_context(&t, f)),
    )
}

pub async fn assign_form(p: StaffPage, Id(id): Id<CaseId>) -> PageResult {
    let f = load_case(&p, id).await?;
    let manager = f.case.case_manager.as_ref().map(|m| m.id.to_string());
    let v = Typed::default().with("case_manager_id", manager.unwrap_or_default());
    Ok(assign_view(p, &f, v).await?.respond(StatusCode::OK))
}

pub async fn assign(p: StaffPage, Id(cid): Id<CaseId>, Form(v): Form<Typed>) -> PageResult {
    let input: AssignInput = v.input().map_err(p.t.page())?;
    match cases::assign(&p.app.ctx, &p.s.actor, cid, &input).await {
        // Assigned from the team page: back there.
        Ok(_) if v.value("back") == "team" => Ok(see_other("/staff/cases/team")),
        Ok(_) => Ok(see_other(&case_url(cid))),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let t = p.t.clone();
            let f = load_case(&p, cid).await?;
            assign_view(p, &f, v).await?.refused(e).map_err(t.page())
        }
        Err(e) => Err(p.t.page()(e)),
    }
}
