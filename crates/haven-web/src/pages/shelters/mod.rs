//! The shelter board ([`board`]: sites, stays ending, the waiting list, extension
//! requests), a site's places and the actions on a stay ([`site`]), and configuring sites
//! ([`config`]).
//!
//! A refused action is shown on the page it was sent from, with the fields' messages or
//! the rule in the way.

mod board;
mod config;
mod site;

pub use board::{
    approve_extension, board, refuse_extension, waiting_add, waiting_admit, waiting_remove,
    BoardPage, RequestRow, WaitingForm, WaitingRow,
};
pub use config::{
    config_create, config_edit, config_index, config_new, config_update, ConfigIndexPage,
    ConfigRow, SiteForm, SiteFormPage,
};
pub use site::{
    admit, discharge, extend, free_place, move_to, request_extension, site, MonthRow, PlaceRow,
    SitePage,
};

use axum::http::StatusCode;
use haven_core::shelters::{Placement, SiteLoad};
use haven_core::Error;

use crate::i18n::Tr;
use crate::views::FormErrors;

const BOARD: &str = "/staff/shelters";
const CONFIG: &str = "/staff/admin/shelter-sites";

/// A person's label, or "unnamed".
fn person(t: &Tr, label: &Option<String>) -> String {
    label.clone().unwrap_or_else(|| t.t("person-unnamed"))
}

/// A failed action as the page shows it: the fields' messages, or the rule in the way.
fn action_errors(t: &Tr, e: Error) -> Result<(StatusCode, FormErrors), Error> {
    match e {
        Error::Invalid(f) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_fields(t, &f),
        )),
        Error::Conflict(code) => Ok((
            StatusCode::CONFLICT,
            FormErrors(vec![("action", t.t("field-action"), t.t(code))]),
        )),
        other => Err(other),
    }
}

pub struct LoadRow {
    pub href: String,
    pub name: String,
    pub neighbourhood: String,
    pub target_group: String,
    pub capacity: i64,
    pub taken: i64,
    pub free: i64,
    pub arrivals_today: i64,
    pub arrivals_week: i64,
    pub departures_today: i64,
    pub departures_week: i64,
}

fn load_row(l: &SiteLoad) -> LoadRow {
    LoadRow {
        href: format!("{BOARD}/{}", l.site.id),
        name: l.site.name.clone(),
        neighbourhood: l.site.neighbourhood.clone(),
        target_group: l.site.target_group.clone(),
        capacity: l.site.capacity,
        taken: l.taken,
        free: l.free,
        arrivals_today: l.arrivals_today,
        arrivals_week: l.arrivals_week,
        departures_today: l.departures_today,
        departures_week: l.departures_week,
    }
}

/// A current stay as a table row.
pub struct StayRow {
    pub id: String,
    pub person: String,
    pub person_href: String,
    pub site: String,
    pub place: String,
    pub admitted_on: String,
    pub stay_until: String,
    pub days_left: String,
    pub alert: String,
    pub urgent: bool,
}

fn stay_row(t: &Tr, p: &Placement) -> StayRow {
    let overdue = p.days_left.is_some_and(|d| d < 0);
    StayRow {
        id: p.id.to_string(),
        person: person(t, &p.person_label),
        person_href: format!("/staff/persons/{}", p.person_id),
        site: p.site_name.clone(),
        place: p.place_label.clone(),
        admitted_on: p.admitted_on.clone(),
        stay_until: p
            .stay_until
            .clone()
            .unwrap_or_else(|| t.t("shelter-no-limit")),
        days_left: p.days_left.map(|d| d.to_string()).unwrap_or_default(),
        alert: if overdue {
            t.t("shelter-stay-passed")
        } else {
            p.alert
                .map(|a| t.t1("shelter-alert", "days", a))
                .unwrap_or_default()
        },
        urgent: overdue || p.alert.is_some(),
    }
}
