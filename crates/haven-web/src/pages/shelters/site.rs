//! A site's page (its places, who is in them, occupancy by month) and the actions on a
//! stay: admit, move, discharge, free a place, extend the stay or ask for an extension.

use askama::Template;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use haven_core::ids::{PlaceId, PlacementId, SiteId};
use haven_core::shelters::{
    self, AdmitInput, DischargeInput, DischargeReason, ExtensionInput, ExtensionRequestInput,
    MoveInput, SiteDetail,
};
use haven_core::users::Session;
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::board::{board_refused, candidate_opts, WaitingForm};
use super::{action_errors, load_row, person, stay_row, LoadRow, StayRow, BOARD};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::{see_other, PageResult};
use crate::views::{render, Choice, Chrome, FormErrors};
use crate::AppState;

pub struct PlaceRow {
    pub id: String,
    pub label: String,
    /// Taken by somebody the organisation may not see (no name, no actions).
    pub taken_hidden: bool,
    pub stay: Option<StayRow>,
}

pub struct MonthRow {
    pub month: String,
    pub average: String,
    pub rate: i64,
}

#[derive(Template)]
#[template(path = "shelters_site.html")]
pub struct SitePage {
    pub t: Tr,
    pub chrome: Chrome,
    pub site_id: String,
    pub load: LoadRow,
    pub operator: String,
    pub today: String,
    pub errors: FormErrors,
    pub places: Vec<PlaceRow>,
    pub months: Vec<MonthRow>,
    pub can_manage: bool,
    pub can_extend: bool,
    pub candidates: Vec<Choice>,
    pub free_here: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub occupants: Vec<Choice>,
    pub moves: Vec<Choice>,
}

fn site_page(t: Tr, s: &Session, chrome: Chrome, d: SiteDetail, errors: FormErrors) -> SitePage {
    let site_id = d.load.site.id;
    let place_n = |label: &str| t.t1("shelter-place-n", "label", label);
    let occupants = d
        .places
        .iter()
        .filter_map(|p| p.occupant.as_ref())
        .map(|o| {
            let label = format!(
                "{} · {}",
                place_n(&o.place_label),
                person(&t, &o.person_label)
            );
            Choice::new(o.id, label, false)
        })
        .collect();
    let moves = d
        .free_places
        .iter()
        .map(|f| {
            Choice::new(
                f.place_id,
                format!("{} · {}", f.site_name, place_n(&f.label)),
                false,
            )
        })
        .collect();
    let free_here = d
        .free_places
        .iter()
        .filter(|f| f.site_id == site_id)
        .map(|f| Choice::new(f.place_id, place_n(&f.label), false))
        .collect();
    let reasons = DischargeReason::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), t.t(&format!("discharge-{}", r.as_str())), false))
        .collect();
    SitePage {
        chrome,
        site_id: site_id.to_string(),
        load: load_row(&d.load),
        operator: d.load.site.operator_name.clone(),
        today: d.today.clone(),
        errors,
        places: d
            .places
            .iter()
            .map(|p| PlaceRow {
                id: p.id.to_string(),
                label: p.label.clone(),
                taken_hidden: p.taken && p.occupant.is_none(),
                stay: p.occupant.as_ref().map(|o| stay_row(&t, o)),
            })
            .collect(),
        months: d
            .occupancy
            .iter()
            .map(|m| MonthRow {
                month: m.month.clone(),
                average: format!("{:.1}", m.average_taken),
                rate: m.rate_percent,
            })
            .collect(),
        can_manage: s.actor.can(Permission::ShelterManage),
        can_extend: s.actor.can(Permission::StayExtensionApprove),
        candidates: candidate_opts(&t, &d.candidates, ""),
        free_here,
        reasons,
        occupants,
        moves,
        t,
    }
}

async fn render_site(
    app: &AppState,
    s: &Session,
    t: Tr,
    chrome: Chrome,
    site: SiteId,
    status: StatusCode,
    errors: FormErrors,
) -> PageResult {
    let d = shelters::site(&app.ctx, &s.actor, site)
        .await
        .map_err(t.page())?;
    let page = site_page(t, s, chrome, d, errors);
    Ok((status, render(&page)).into_response())
}

/// A refused action shown on site `site`'s page (or an error page when it was not a
/// refusal).
async fn site_refused(p: StaffPage, site: SiteId, e: Error) -> PageResult {
    let (status, errors) = action_errors(&p.t, e).map_err(p.t.page())?;
    let chrome = p.chrome_at(&format!("{BOARD}/{site}"));
    render_site(&p.app, &p.s, p.t, chrome, site, status, errors).await
}

pub async fn site(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<SiteId>) -> PageResult {
    let errors = FormErrors::default();
    render_site(&app, &s, t, chrome, id, StatusCode::OK, errors).await
}

/// Admitting to a place of this site: which case.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AdmitForm {
    pub case_id: String,
    pub place_id: String,
}

pub async fn admit(p: StaffPage, Id(site): Id<SiteId>, Form(f): Form<AdmitForm>) -> PageResult {
    let input = AdmitInput {
        case_id: Some(f.case_id),
        place_id: Some(f.place_id),
    };
    match shelters::admit(&p.app.ctx, &p.s.actor, &input).await {
        Ok(placed) => Ok(see_other(&format!("{BOARD}/{}", placed.site_id))),
        Err(e) => site_refused(p, site, e).await,
    }
}

/// The placement forms carry the site they were sent from, to return there on failure.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PlacementForm {
    pub site: String,
    pub place_id: String,
    pub reason: String,
    pub new_until: String,
}

impl PlacementForm {
    /// Ending a stay (`discharge`, `free_place`): the reason.
    fn ending(&self) -> DischargeInput {
        DischargeInput {
            reason: Some(self.reason.clone()),
        }
    }
}

/// Answers an action on a stay: the site's page when done; when refused, the page of the
/// site it was sent from (or the board, for a form that named no site).
async fn after_placement_action(
    p: StaffPage,
    from: &str,
    result: Result<SiteId, Error>,
) -> PageResult {
    match (result, from.parse::<SiteId>()) {
        (Ok(site), _) => Ok(see_other(&format!("{BOARD}/{site}"))),
        (Err(e), Ok(site)) => site_refused(p, site, e).await,
        (Err(e), Err(_)) => {
            let chrome = p.chrome_at(BOARD);
            board_refused(&p.app, &p.s, p.t, chrome, e, WaitingForm::default()).await
        }
    }
}

/// Moving someone: who, and to which free place (of any site).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub placement_id: String,
    pub place_id: String,
}

/// Moves someone from this site's page: who, and to which free place (of any site).
pub async fn move_to(p: StaffPage, Id(site): Id<String>, Form(f): Form<MoveForm>) -> PageResult {
    let Ok(id) = f.placement_id.trim().parse::<PlacementId>() else {
        // Nobody chosen: the site's page again, asking for a choice.
        let site: SiteId = site.parse().map_err(|_| p.t.page()(Error::NotFound))?;
        let errors = FormErrors::one(&p.t, "placement_id", p.t.t("err-choice"));
        let chrome = p.chrome_at(&format!("{BOARD}/{site}"));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_site(&p.app, &p.s, p.t, chrome, site, status, errors).await;
    };
    let input = MoveInput {
        place_id: Some(f.place_id),
    };
    let res = shelters::move_placement(&p.app.ctx, &p.s.actor, id, &input).await;
    after_placement_action(p, &site, res.map(|x| x.site_id)).await
}

pub async fn discharge(
    p: StaffPage,
    Id(id): Id<PlacementId>,
    Form(f): Form<PlacementForm>,
) -> PageResult {
    let res = shelters::discharge(&p.app.ctx, &p.s.actor, id, &f.ending()).await;
    after_placement_action(p, &f.site, res.map(|x| x.site_id)).await
}

/// Ends the stay in a place taken by somebody the organisation may not see.
pub async fn free_place(
    p: StaffPage,
    Id(id): Id<PlaceId>,
    Form(f): Form<PlacementForm>,
) -> PageResult {
    let res = shelters::free_place(&p.app.ctx, &p.s.actor, id, &f.ending()).await;
    after_placement_action(p, &f.site, res).await
}

pub async fn extend(
    p: StaffPage,
    Id(id): Id<PlacementId>,
    Form(f): Form<PlacementForm>,
) -> PageResult {
    let input = ExtensionInput {
        new_until: Some(f.new_until),
        reason: Some(f.reason),
        requested_by: None,
    };
    let res = shelters::extend_stay(&p.app.ctx, &p.s.actor, id, &input).await;
    after_placement_action(p, &f.site, res.map(|x| x.site_id)).await
}

pub async fn request_extension(
    p: StaffPage,
    Id(id): Id<PlacementId>,
    Form(f): Form<PlacementForm>,
) -> PageResult {
    let input = ExtensionRequestInput {
        new_until: Some(f.new_until),
        reason: Some(f.reason),
    };
    match shelters::request_extension(&p.app.ctx, &p.s.actor, id, &input).await {
        Ok(_) => Ok(see_other(BOARD)),
        Err(e) => after_placement_action(p, &f.site, Err(e)).await,
    }
}
