//! Configuring shelter sites: the list, and the form that creates or changes a site.

use askama::Template;
use axum::Form;
use haven_core::ids::SiteId;
use haven_core::shelters::{self, Site, SiteInput};
use haven_core::users::Session;
use haven_core::Error;
use serde::Deserialize;

use super::CONFIG;
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::{see_other, PageResult};
use crate::views::{render, render_refused, Choice, Chrome, FormErrors};
use crate::AppState;

pub struct ConfigRow {
    pub href: String,
    pub name: String,
    pub neighbourhood: String,
    pub operator: String,
    pub target_group: String,
    pub capacity: i64,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "shelter_sites_index.html")]
pub struct ConfigIndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<ConfigRow>,
}

pub async fn config_index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let list = shelters::all_sites(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let page = ConfigIndexPage {
        rows: list
            .into_iter()
            .map(|x| ConfigRow {
                href: format!("{CONFIG}/{}", x.id),
                name: x.name,
                neighbourhood: x.neighbourhood,
                operator: x.operator_name,
                target_group: x.target_group,
                capacity: x.capacity,
                active: x.active,
            })
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}

/// The site form's values, as typed. An unticked checkbox sends nothing.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SiteForm {
    pub name: String,
    pub neighbourhood: String,
    pub capacity: String,
    pub operator_org: String,
    pub target_group: String,
    pub active: Option<String>,
}

impl SiteForm {
    fn to_input(&self) -> SiteInput {
        SiteInput {
            name: Some(self.name.clone()),
            neighbourhood: Some(self.neighbourhood.clone()),
            capacity: Some(self.capacity.clone()),
            operator_org: Some(self.operator_org.clone()),
            target_group: Some(self.target_group.clone()),
            active: Some(self.active.is_some()),
        }
    }

    fn from_site(s: &Site) -> Self {
        Self {
            name: s.name.clone(),
            neighbourhood: s.neighbourhood.clone(),
            capacity: s.capacity.to_string(),
            operator_org: s.operator_org.to_string(),
            target_group: s.target_group.clone(),
            active: s.active.then(|| "on".to_owned()),
        }
    }
}

#[derive(Template)]
#[template(path = "shelter_site_form.html")]
pub struct SiteFormPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub action: String,
    pub errors: FormErrors,
    pub v: SiteForm,
    pub operators: Vec<Choice>,
}

/// The site form (a new site, or site `editing`) with the organisations that may run it.
async fn site_form(
    app: &AppState,
    s: &Session,
    t: Tr,
    chrome: Chrome,
    v: SiteForm,
    errors: FormErrors,
    editing: Option<SiteId>,
) -> Result<SiteFormPage, PageErr> {
    let operators = shelters::operator_choices(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?
        .into_iter()
        .map(|(id, name)| Choice::new(id, name, v.operator_org == id.to_string()))
        .collect();
    let (title, action) = match editing {
        None => (t.t("shelter-site-new"), CONFIG.to_owned()),
        Some(id) => (t.t("shelter-site-edit"), format!("{CONFIG}/{id}")),
    };
    Ok(SiteFormPage {
        chrome,
        title,
        action,
        errors,
        v,
        operators,
        t,
    })
}

/// Answers the site form: to the list when saved, the form again (422) when refused.
async fn saved(
    p: StaffPage,
    res: Result<(), Error>,
    f: SiteForm,
    editing: Option<SiteId>,
) -> PageResult {
    let StaffPage { app, s, t, chrome } = p;
    match res {
        Ok(()) => Ok(see_other(CONFIG)),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            let page = site_form(&app, &s, t, chrome, f, errors, editing).await?;
            Ok(render_refused(&page))
        }
        Err(e) => Err(t.page()(e)),
    }
}

pub async fn config_new(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let v = SiteForm {
        active: Some("on".to_owned()),
        ..SiteForm::default()
    };
    let page = site_form(&app, &s, t, chrome, v, FormErrors::default(), None).await?;
    Ok(render(&page))
}

pub async fn config_create(p: StaffPage, Form(f): Form<SiteForm>) -> PageResult {
    let res = shelters::create_site(&p.app.ctx, &p.s.actor, &f.to_input()).await;
    saved(p, res.map(|_| ()), f, None).await
}

pub async fn config_edit(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<SiteId>,
) -> PageResult {
    let site = shelters::site_for_config(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let v = SiteForm::from_site(&site);
    let page = site_form(&app, &s, t, chrome, v, FormErrors::default(), Some(id)).await?;
    Ok(render(&page))
}

pub async fn config_update(
    p: StaffPage,
    Id(id): Id<SiteId>,
    Form(f): Form<SiteForm>,
) -> PageResult {
    let res = shelters::update_site(&p.app.ctx, &p.s.actor, id, &f.to_input()).await;
    saved(p, res.map(|_| ()), f, Some(id)).await
}
