//! The shelter board, a site's places, placements, the waiting list, and configuring
//! sites.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::ids::{PlaceId, PlacementId, SiteId, WaitingId};
use haven_core::shelters::{
    self, AdmitInput, AdmitWaitingInput, DischargeInput, DischargeReason, ExtensionInput,
    ExtensionRequestInput, MoveInput, Placement, Site, SiteDetail, SiteInput, SiteLoad,
    WaitingInput,
};
use haven_core::users::Session;
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::see_other;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{fmt_ts, render, Chrome, FormErrors};
use crate::AppState;

const BOARD: &str = "/staff/shelters";
const CONFIG: &str = "/staff/admin/shelter-sites";

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opt(value: impl ToString, label: String) -> Opt {
    Opt {
        value: value.to_string(),
        label,
        selected: false,
    }
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
        person: p
            .person_label
            .clone()
            .unwrap_or_else(|| t.t("person-unnamed")),
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

pub struct WaitingRow {
    pub id: String,
    pub priority: String,
    pub person: String,
    pub person_href: String,
    pub referral_source: String,
    pub site: String,
    pub since: String,
    pub sites: Vec<Opt>,
}

pub struct RequestRow {
    pub id: String,
    pub person: String,
    pub site: String,
    pub place: String,
    pub stay_until: String,
    pub new_until: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
}

#[derive(Template)]
#[template(path = "shelters_board.html")]
pub struct BoardPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub today: String,
    pub errors: FormErrors,
    pub sites: Vec<LoadRow>,
    pub ending: Vec<StayRow>,
    pub waiting: Vec<WaitingRow>,
    pub can_manage: bool,
    pub can_configure: bool,
    pub can_approve: bool,
    pub requests: Vec<RequestRow>,
    pub candidates: Vec<Opt>,
    pub site_choices: Vec<Opt>,
    pub priorities: Vec<Opt>,
    pub v: WaitingForm,
}

fn priority_opts(t: &Tr, selected: &str) -> Vec<Opt> {
    (1..=3)
        .map(|p| Opt {
            value: p.to_string(),
            label: t.t(&format!("priority-{p}")),
            selected: selected == p.to_string() || (selected.is_empty() && p == 3),
        })
        .collect()
}

async fn board_page(
    state: &AppState,
    t: Tr,
    s: &Session,
    path: &str,
    errors: FormErrors,
    v: WaitingForm,
) -> Result<BoardPage, PageErr> {
    let b = shelters::board(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let site_opts = |selected: Option<String>| -> Vec<Opt> {
        b.sites
            .iter()
            .map(|l| Opt {
                value: l.site.id.to_string(),
                label: format!(
                    "{} ({})",
                    l.site.name,
                    t.t1("shelter-free-n", "count", l.free)
                ),
                selected: selected.as_deref() == Some(l.site.id.to_string().as_str()),
            })
            .collect()
    };
    let waiting = b
        .waiting
        .iter()
        .map(|w| WaitingRow {
            id: w.id.to_string(),
            priority: t.t(&format!("priority-{}", w.priority)),
            person: w
                .person_label
                .clone()
                .unwrap_or_else(|| t.t("person-unnamed")),
            person_href: format!("/staff/persons/{}", w.person_id),
            referral_source: w.referral_source.clone(),
            site: w.site_name.clone().unwrap_or_default(),
            since: fmt_ts(w.added_at),
            sites: site_opts(w.site_id.map(|s| s.to_string())),
        })
        .collect();
    let mut candidates: Vec<Opt> = b
        .candidates
        .iter()
        .map(|c| Opt {
            value: c.case_id.to_string(),
            label: format!(
                "{} · {}",
                c.person_label
                    .clone()
                    .unwrap_or_else(|| t.t("person-unnamed")),
                c.programme
            ),
            selected: v.case_id == c.case_id.to_string(),
        })
        .collect();
    candidates.sort_by(|a, b| a.label.cmp(&b.label));
    let mut site_choices = vec![opt("", t.t("shelter-any-site"))];
    site_choices.extend(site_opts(Some(v.site_id.clone())));
    Ok(BoardPage {
        chrome: Chrome::staff(s, &t, path, state.cfg.demo),
        today: b.today.clone(),
        errors,
        sites: b.sites.iter().map(load_row).collect(),
        ending: b.ending.iter().map(|p| stay_row(&t, p)).collect(),
        waiting,
        can_manage: s.actor.can(Permission::ShelterManage),
        can_configure: s.actor.can(Permission::CaseworkConfigure),
        can_approve: s.actor.can(Permission::StayExtensionApprove),
        requests: b
            .extension_requests
            .iter()
            .map(|r| RequestRow {
                id: r.id.to_string(),
                person: r
                    .person_label
                    .clone()
                    .unwrap_or_else(|| t.t("person-unnamed")),
                site: r.site_name.clone(),
                place: r.place_label.clone(),
                stay_until: r.stay_until.clone().unwrap_or_default(),
                new_until: r.new_until.clone(),
                reason: r.reason.clone().unwrap_or_default(),
                requested_by: r.requested_by.clone(),
                requested_at: fmt_ts(r.requested_at),
            })
            .collect(),
        candidates,
        site_choices,
        priorities: priority_opts(&t, &v.priority),
        v,
        t,
    })
}

pub async fn board(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let page = board_page(
        &state,
        t,
        &s,
        uri.path(),
        FormErrors::default(),
        WaitingForm::default(),
    )
    .await?;
    Ok(render(&page))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct WaitingForm {
    pub case_id: String,
    pub site_id: String,
    pub priority: String,
    pub referral_source: String,
}

pub async fn waiting_add(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Form(f): Form<WaitingForm>,
) -> Result<Response, PageErr> {
    let input = WaitingInput {
        case_id: Some(f.case_id.clone()),
        site_id: Some(f.site_id.clone()),
        priority: Some(f.priority.clone()),
        referral_source: Some(f.referral_source.clone()),
    };
    match shelters::add_to_waiting_list(&state.ctx, &s.actor, &input).await {
        Ok(_) => Ok(see_other(BOARD)),
        Err(e) => {
            let (status, errors) = action_errors(&t, e).map_err(t.page())?;
            let page = board_page(&state, t, &s, uri.path(), errors, f).await?;
            Ok((status, render(&page)).into_response())
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SiteChoiceForm {
    pub site_id: String,
}

fn parse<T: std::str::FromStr>(id: &str) -> Result<T, Error> {
    id.parse().map_err(|_| Error::NotFound)
}

pub async fn waiting_admit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<SiteChoiceForm>,
) -> Result<Response, PageErr> {
    let id: WaitingId = parse(&id).map_err(t.page())?;
    let input = AdmitWaitingInput {
        site_id: Some(f.site_id),
    };
    match shelters::admit_from_waiting_list(&state.ctx, &s.actor, id, &input).await {
        Ok(p) => Ok(see_other(&format!("{BOARD}/{}", p.site_id))),
        Err(e) => {
            let (status, errors) = action_errors(&t, e).map_err(t.page())?;
            let page =
                board_page(&state, t, &s, uri.path(), errors, WaitingForm::default()).await?;
            Ok((status, render(&page)).into_response())
        }
    }
}

pub async fn waiting_remove(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id: WaitingId = parse(&id).map_err(t.page())?;
    shelters::remove_from_waiting_list(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(BOARD))
}

// ---------------------------------------------------------------------------------------
// A site

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
    pub candidates: Vec<Opt>,
    pub free_here: Vec<Opt>,
    pub reasons: Vec<Opt>,
    pub occupants: Vec<Opt>,
    pub moves: Vec<Opt>,
}

fn site_page(
    state: &AppState,
    t: Tr,
    s: &Session,
    path: &str,
    d: SiteDetail,
    errors: FormErrors,
) -> SitePage {
    let site_id = d.load.site.id;
    let places = d
        .places
        .iter()
        .map(|p| PlaceRow {
            id: p.id.to_string(),
            label: p.label.clone(),
            taken_hidden: p.taken && p.occupant.is_none(),
            stay: p.occupant.as_ref().map(|o| stay_row(&t, o)),
        })
        .collect();
    let occupants = d
        .places
        .iter()
        .filter_map(|p| p.occupant.as_ref())
        .map(|o| {
            opt(
                o.id,
                format!(
                    "{} · {}",
                    t.t1("shelter-place-n", "label", &o.place_label),
                    o.person_label
                        .clone()
                        .unwrap_or_else(|| t.t("person-unnamed"))
                ),
            )
        })
        .collect();
    let moves = d
        .free_places
        .iter()
        .map(|f| {
            opt(
                f.place_id,
                format!(
                    "{} · {}",
                    f.site_name,
                    t.t1("shelter-place-n", "label", &f.label)
                ),
            )
        })
        .collect();
    let mut candidates: Vec<Opt> = d
        .candidates
        .iter()
        .map(|c| {
            opt(
                c.case_id,
                format!(
                    "{} · {}",
                    c.person_label
                        .clone()
                        .unwrap_or_else(|| t.t("person-unnamed")),
                    c.programme
                ),
            )
        })
        .collect();
    candidates.sort_by(|a, b| a.label.cmp(&b.label));
    let free_here = d
        .free_places
        .iter()
        .filter(|f| f.site_id == site_id)
        .map(|f| opt(f.place_id, t.t1("shelter-place-n", "label", &f.label)))
        .collect();
    let reasons = DischargeReason::ALL
        .iter()
        .map(|r| opt(r.as_str(), t.t(&format!("discharge-{}", r.as_str()))))
        .collect();
    SitePage {
        chrome: Chrome::staff(s, &t, path, state.cfg.demo),
        site_id: site_id.to_string(),
        load: load_row(&d.load),
        operator: d.load.site.operator_name.clone(),
        today: d.today.clone(),
        errors,
        places,
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
        candidates,
        free_here,
        reasons,
        occupants,
        moves,
        t,
    }
}

async fn render_site(
    state: &AppState,
    t: Tr,
    s: &Session,
    path: &str,
    site: SiteId,
    status: StatusCode,
    errors: FormErrors,
) -> Result<Response, PageErr> {
    let d = shelters::site(&state.ctx, &s.actor, site)
        .await
        .map_err(t.page())?;
    let page = site_page(state, t, s, path, d, errors);
    Ok((status, render(&page)).into_response())
}

pub async fn site(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id: SiteId = parse(&id).map_err(t.page())?;
    render_site(
        &state,
        t,
        &s,
        uri.path(),
        id,
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AdmitForm {
    pub case_id: String,
    pub place_id: String,
}

pub async fn admit(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<AdmitForm>,
) -> Result<Response, PageErr> {
    let site: SiteId = parse(&id).map_err(t.page())?;
    let input = AdmitInput {
        case_id: Some(f.case_id),
        place_id: Some(f.place_id),
    };
    match shelters::admit(&state.ctx, &s.actor, &input).await {
        Ok(p) => Ok(see_other(&format!("{BOARD}/{}", p.site_id))),
        Err(e) => {
            let (status, errors) = action_errors(&t, e).map_err(t.page())?;
            render_site(
                &state,
                t,
                &s,
                &format!("{BOARD}/{site}"),
                site,
                status,
                errors,
            )
            .await
        }
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

async fn after_placement_action(
    state: &AppState,
    t: Tr,
    s: &Session,
    site: &str,
    result: Result<SiteId, Error>,
) -> Result<Response, PageErr> {
    match result {
        Ok(site) => Ok(see_other(&format!("{BOARD}/{site}"))),
        Err(e) => {
            let (status, errors) = action_errors(&t, e).map_err(t.page())?;
            match site.parse::<SiteId>() {
                Ok(site) => {
                    render_site(
                        state,
                        t,
                        s,
                        &format!("{BOARD}/{site}"),
                        site,
                        status,
                        errors,
                    )
                    .await
                }
                Err(_) => {
                    let page =
                        board_page(state, t, s, BOARD, errors, WaitingForm::default()).await?;
                    Ok((status, render(&page)).into_response())
                }
            }
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub placement_id: String,
    pub place_id: String,
}

/// Moves someone from this site's page: who, and to which free place (of any site).
pub async fn move_to(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(site): Path<String>,
    Form(f): Form<MoveForm>,
) -> Result<Response, PageErr> {
    let id: PlacementId = match f.placement_id.trim().parse() {
        Ok(id) => id,
        Err(_) => {
            let errors = FormErrors::one(&t, "placement_id", t.t("err-choice"));
            return after_placement_action_errors(&state, t, &s, &site, errors).await;
        }
    };
    let input = MoveInput {
        place_id: Some(f.place_id),
    };
    let res = shelters::move_placement(&state.ctx, &s.actor, id, &input).await;
    after_placement_action(&state, t, &s, &site, res.map(|p| p.site_id)).await
}

async fn after_placement_action_errors(
    state: &AppState,
    t: Tr,
    s: &Session,
    site: &str,
    errors: FormErrors,
) -> Result<Response, PageErr> {
    let site: SiteId = parse(site).map_err(t.page())?;
    render_site(
        state,
        t,
        s,
        &format!("{BOARD}/{site}"),
        site,
        StatusCode::UNPROCESSABLE_ENTITY,
        errors,
    )
    .await
}

pub async fn discharge(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<PlacementForm>,
) -> Result<Response, PageErr> {
    let id: PlacementId = parse(&id).map_err(t.page())?;
    let input = DischargeInput {
        reason: Some(f.reason),
    };
    let res = shelters::discharge(&state.ctx, &s.actor, id, &input).await;
    after_placement_action(&state, t, &s, &f.site, res.map(|p| p.site_id)).await
}

/// Ends the stay in a place taken by somebody the organisation may not see.
pub async fn free_place(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<PlacementForm>,
) -> Result<Response, PageErr> {
    let id: PlaceId = parse(&id).map_err(t.page())?;
    let input = DischargeInput {
        reason: Some(f.reason),
    };
    let res = shelters::free_place(&state.ctx, &s.actor, id, &input).await;
    after_placement_action(&state, t, &s, &f.site, res).await
}

pub async fn extend(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<PlacementForm>,
) -> Result<Response, PageErr> {
    let id: PlacementId = parse(&id).map_err(t.page())?;
    let input = ExtensionInput {
        new_until: Some(f.new_until),
        reason: Some(f.reason),
        requested_by: None,
    };
    let res = shelters::extend_stay(&state.ctx, &s.actor, id, &input).await;
    after_placement_action(&state, t, &s, &f.site, res.map(|p| p.site_id)).await
}

// ---------------------------------------------------------------------------------------
// Configuring sites

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

pub async fn config_index(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let list = shelters::all_sites(&state.ctx, &s.actor)
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
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}

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
    pub operators: Vec<Opt>,
}

async fn site_form_page(
    state: &AppState,
    t: Tr,
    s: &Session,
    path: &str,
    v: SiteForm,
    errors: FormErrors,
    editing: Option<SiteId>,
) -> Result<SiteFormPage, PageErr> {
    let operators = shelters::operator_choices(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?
        .into_iter()
        .map(|(id, name)| Opt {
            selected: v.operator_org == id.to_string(),
            value: id.to_string(),
            label: name,
        })
        .collect();
    let (title, action) = match editing {
        None => (t.t("shelter-site-new"), CONFIG.to_owned()),
        Some(id) => (t.t("shelter-site-edit"), format!("{CONFIG}/{id}")),
    };
    Ok(SiteFormPage {
        chrome: Chrome::staff(s, &t, path, state.cfg.demo),
        title,
        action,
        errors,
        v,
        operators,
        t,
    })
}

pub async fn config_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let v = SiteForm {
        active: Some("on".to_owned()),
        ..SiteForm::default()
    };
    let page = site_form_page(&state, t, &s, uri.path(), v, FormErrors::default(), None).await?;
    Ok(render(&page))
}

pub async fn config_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Form(f): Form<SiteForm>,
) -> Result<Response, PageErr> {
    match shelters::create_site(&state.ctx, &s.actor, &f.to_input()).await {
        Ok(_) => Ok(see_other(CONFIG)),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            let page = site_form_page(&state, t, &s, uri.path(), f, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}

pub async fn config_edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id: SiteId = parse(&id).map_err(t.page())?;
    let site = shelters::site_for_config(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let v = SiteForm::from_site(&site);
    let page = site_form_page(
        &state,
        t,
        &s,
        uri.path(),
        v,
        FormErrors::default(),
        Some(id),
    )
    .await?;
    Ok(render(&page))
}

pub async fn config_update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<SiteForm>,
) -> Result<Response, PageErr> {
    let id: SiteId = parse(&id).map_err(t.page())?;
    match shelters::update_site(&state.ctx, &s.actor, id, &f.to_input()).await {
        Ok(_) => Ok(see_other(CONFIG)),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            let page = site_form_page(&state, t, &s, uri.path(), f, errors, Some(id)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}

pub async fn request_extension(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<PlacementForm>,
) -> Result<Response, PageErr> {
    let id: PlacementId = parse(&id).map_err(t.page())?;
    let input = ExtensionRequestInput {
        new_until: Some(f.new_until),
        reason: Some(f.reason),
    };
    match shelters::request_extension(&state.ctx, &s.actor, id, &input).await {
        Ok(_) => Ok(see_other(BOARD)),
        Err(e) => after_placement_action(&state, t, &s, &f.site, Err(e)).await,
    }
}

async fn decide(
    state: &AppState,
    t: Tr,
    s: &Session,
    id: &str,
    approve: bool,
) -> Result<Response, PageErr> {
    let id: uuid::Uuid = parse(id).map_err(t.page())?;
    match shelters::decide_extension(&state.ctx, &s.actor, id, approve).await {
        Ok(_) => Ok(see_other(BOARD)),
        Err(e) => {
            let (status, errors) = action_errors(&t, e).map_err(t.page())?;
            let page = board_page(state, t, s, BOARD, errors, WaitingForm::default()).await?;
            Ok((status, render(&page)).into_response())
        }
    }
}

pub async fn approve_extension(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    decide(&state, t, &s, &id, true).await
}

pub async fn refuse_extension(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    decide(&state, t, &s, &id, false).await
}
