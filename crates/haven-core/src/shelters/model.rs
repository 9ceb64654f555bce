//! What the shelter use cases return, the inputs they take as text, and the parsing that
//! turns those inputs into domain values (every bad field at once, with a Fluent message id).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::codes::code_enum;
use crate::dates;
use crate::error::Errors;
use crate::ids::{CaseId, OrgId, PersonId, PlaceId, PlacementId, SiteId, UserId, WaitingId};
use crate::input::{got, one_field, optional_id, required_id};
use crate::{FieldError, Result};

code_enum!(
    /// Why a stay ended.
    DischargeReason {
        Moved = "moved",
        Outcome = "outcome",
        Left = "left",
        RuleBreach = "rule_breach",
        StayLimit = "stay_limit",
        Other = "other",
    }
);

// Views

/// A shelter site.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Site {
    #[schema(value_type = String, format = Uuid)]
    pub id: SiteId,
    pub name: String,
    pub neighbourhood: String,
    /// The number of places.
    pub capacity: i64,
    #[schema(value_type = String, format = Uuid)]
    pub operator_org: OrgId,
    pub operator_name: String,
    pub target_group: String,
    pub active: bool,
}

/// A site's places now and this week.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteLoad {
    pub site: Site,
    pub taken: i64,
    pub free: i64,
    /// Arrivals and departures count moves between places too: a move is a departure
    /// from one place and an arrival at another.
    pub arrivals_today: i64,
    /// Since Monday, today included.
    pub arrivals_week: i64,
    pub departures_today: i64,
    pub departures_week: i64,
}

/// A stay extension, as recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Extension {
    pub old_until: String,
    pub new_until: String,
    pub reason: Option<String>,
    pub requested_by: String,
    pub approved_by: String,
    pub at: i64,
}

/// A placement with its countdown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Placement {
    #[schema(value_type = String, format = Uuid)]
    pub id: PlacementId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    /// Name or alias; none when not recorded or erased.
    pub person_label: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub site_id: SiteId,
    pub site_name: String,
    #[schema(value_type = String, format = Uuid)]
    pub place_id: PlaceId,
    pub place_label: String,
    pub admitted_on: String,
    /// The last day of the stay, extensions included; none when the programme has no limit.
    pub stay_until: Option<String>,
    /// Days from today to `stay_until` (negative when passed).
    pub days_left: Option<i64>,
    /// The programme's alert point reached (e.g. 90 or 30 days before the end), if any.
    pub alert: Option<i64>,
    pub discharged_on: Option<String>,
    pub discharge_reason: Option<DischargeReason>,
    /// Filled where a single placement is shown (case page, API).
    pub extensions: Vec<Extension>,
}

/// A stay extension asked for and not yet decided.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExtensionRequest {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub placement_id: PlacementId,
    pub person_label: Option<String>,
    pub site_name: String,
    pub place_label: String,
    pub stay_until: Option<String>,
    pub new_until: String,
    pub reason: Option<String>,
    /// Display name of the staff member who asked.
    pub requested_by: String,
    pub requested_at: i64,
}

/// One place and who holds it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlaceView {
    #[schema(value_type = String, format = Uuid)]
    pub id: PlaceId,
    pub label: String,
    /// Somebody holds the place now (also when the organisation may not see who).
    pub taken: bool,
    /// Who holds it, when the organisation sees that person as its own.
    pub occupant: Option<Placement>,
}

/// A month of a site's occupancy: place-nights used against place-nights available.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MonthOccupancy {
    /// `YYYY-MM`.
    pub month: String,
    /// Days of the month counted (up to today for the current month).
    pub days: i64,
    pub place_days: i64,
    pub capacity_days: i64,
    /// Average places taken per night, one decimal.
    pub average_taken: f64,
    /// Whole per cent.
    pub rate_percent: i64,
}

/// An open case that may be given a place.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseChoice {
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    pub person_label: Option<String>,
    pub programme: String,
}

/// A free place, for moving someone.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FreePlace {
    #[schema(value_type = String, format = Uuid)]
    pub place_id: PlaceId,
    #[schema(value_type = String, format = Uuid)]
    pub site_id: SiteId,
    pub site_name: String,
    pub label: String,
}

/// An entry of the waiting list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WaitingEntry {
    #[schema(value_type = String, format = Uuid)]
    pub id: WaitingId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    pub person_label: Option<String>,
    /// The site asked for, if any.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub site_id: Option<SiteId>,
    pub site_name: Option<String>,
    /// 1 urgent, 2 high, 3 normal.
    pub priority: i64,
    pub referral_source: String,
    pub added_at: i64,
    /// waiting | admitted | removed
    pub status: String,
}

/// The shelter board of the actor's organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub today: String,
    pub sites: Vec<SiteLoad>,
    /// Current stays that reached an alert point or passed their end, soonest first.
    pub ending: Vec<Placement>,
    /// Waiting, most urgent and longest waiting first.
    pub waiting: Vec<WaitingEntry>,
    /// Open shelter cases without a place and not waiting, for adding to the list.
    pub candidates: Vec<CaseChoice>,
    /// Extension requests waiting for a decision.
    pub extension_requests: Vec<ExtensionRequest>,
}

/// One site with its places, occupancy over the past 12 months and what the forms need.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteDetail {
    pub today: String,
    pub load: SiteLoad,
    pub places: Vec<PlaceView>,
    pub occupancy: Vec<MonthOccupancy>,
    pub candidates: Vec<CaseChoice>,
    pub free_places: Vec<FreePlace>,
}

/// The alert points of a programme, largest first, e.g. `[90, 30]`.
pub fn alert_points(alert_days: &str) -> Vec<i64> {
    let mut v: Vec<i64> = alert_days
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|n| *n > 0)
        .collect();
    v.sort_unstable_by_key(|n| std::cmp::Reverse(*n));
    v.dedup();
    v
}

/// Days left and the alert point reached: the smallest point not yet passed by the
/// countdown, e.g. 30 when 30 or fewer days are left.
pub fn countdown(
    today: Date,
    stay_until: Option<Date>,
    points: &[i64],
) -> (Option<i64>, Option<i64>) {
    match stay_until {
        None => (None, None),
        Some(u) => {
            let left = dates::days_between(today, u);
            let alert = points.iter().copied().filter(|p| left <= *p).min();
            (Some(left), alert)
        }
    }
}

// Inputs

/// A site as typed. Capacity is a whole number of places (1–1000); it can grow, not shrink.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SiteInput {
    pub name: Option<String>,
    pub neighbourhood: Option<String>,
    pub capacity: Option<String>,
    /// The operating organisation's id.
    pub operator_org: Option<String>,
    pub target_group: Option<String>,
    /// Defaults to true.
    pub active: Option<bool>,
}

/// Admit a case's person to a place.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AdmitInput {
    pub case_id: Option<String>,
    pub place_id: Option<String>,
}

/// Move to another place.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MoveInput {
    pub place_id: Option<String>,
}

/// End a stay: moved | outcome | left | rule_breach | stay_limit | other.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DischargeInput {
    pub reason: Option<String>,
}

/// Extend a stay to `new_until` (`YYYY-MM-DD`), with a reason. Only an approver holding
/// the stay-extension permission may do this; they are recorded as approver, and
/// `requested_by` (a staff member of the same organisation; default: the approver) as
/// the one who asked.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ExtensionInput {
    pub new_until: Option<String>,
    pub reason: Option<String>,
    pub requested_by: Option<String>,
}

/// Ask for a stay to be extended to `new_until` (`YYYY-MM-DD`), with a reason; an
/// approver decides.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ExtensionRequestInput {
    pub new_until: Option<String>,
    pub reason: Option<String>,
}

/// Put a case on the waiting list. Priority 1 (urgent) to 3 (normal).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WaitingInput {
    pub case_id: Option<String>,
    /// A preferred site, if any.
    pub site_id: Option<String>,
    pub priority: Option<String>,
    pub referral_source: Option<String>,
}

/// Admit a waiting entry at a site: its first free place is taken.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AdmitWaitingInput {
    pub site_id: Option<String>,
}

// Parsed inputs

/// A site as the use cases store it.
pub(super) struct SiteData {
    pub name: String,
    pub neighbourhood: String,
    pub capacity: i64,
    pub operator_org: OrgId,
    pub target_group: String,
    pub active: bool,
}

/// A new end for a stay and why, as an approver grants it or a coordinator asks for it.
pub(super) struct NewEnd {
    pub new_until: Date,
    pub reason: String,
}

/// A case to put on the waiting list.
pub(super) struct WaitingData {
    pub case_id: CaseId,
    pub site_id: Option<SiteId>,
    pub priority: i64,
    pub referral_source: String,
}

fn trimmed(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or_default()
}

fn required_text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> Result<String, FieldError> {
    let s = trimmed(v);
    if s.is_empty() {
        Err(FieldError::new(field, "err-required"))
    } else if s.chars().count() > max {
        Err(FieldError::new(field, "err-too-long"))
    } else {
        Ok(s.to_owned())
    }
}

/// `new_until` (a date) and a reason of up to 4,000 characters.
fn new_end(e: &mut Errors, new_until: &Option<String>, reason: &Option<String>) -> Option<NewEnd> {
    let new_until = e.take(dates::parse_input(
        new_until.as_deref().unwrap_or_default(),
        "new_until",
    ));
    let reason = e.take(required_text(reason, "reason", 4000));
    Some(NewEnd {
        new_until: new_until?,
        reason: reason?,
    })
}

impl SiteInput {
    pub(super) fn parse(&self) -> Result<SiteData> {
        let mut e = Errors::default();
        let name = e.take(required_text(&self.name, "name", 200));
        let neighbourhood = e.take(required_text(&self.neighbourhood, "neighbourhood", 200));
        let target_group = e.take(required_text(&self.target_group, "target_group", 200));
        let capacity = e.take(match trimmed(&self.capacity) {
            "" => Err(FieldError::new("capacity", "err-required")),
            s => s
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or(FieldError::new("capacity", "err-capacity")),
        });
        let operator_org = e.take(required_id(&self.operator_org, "operator_org"));
        e.finish()?;
        Ok(SiteData {
            name: got(name)?,
            neighbourhood: got(neighbourhood)?,
            capacity: got(capacity)?,
            operator_org: got(operator_org)?,
            target_group: got(target_group)?,
            active: self.active.unwrap_or(true),
        })
    }
}

impl AdmitInput {
    pub(super) fn parse(&self) -> Result<(CaseId, PlaceId)> {
        let mut e = Errors::default();
        let case_id = e.take(required_id(&self.case_id, "case_id"));
        let place_id = e.take(required_id(&self.place_id, "place_id"));
        e.finish()?;
        Ok((got(case_id)?, got(place_id)?))
    }
}

impl MoveInput {
    pub(super) fn parse(&self) -> Result<PlaceId> {
        one_field(required_id(&self.place_id, "place_id"))
    }
}

impl DischargeInput {
    pub(super) fn parse(&self) -> Result<DischargeReason> {
        one_field(match trimmed(&self.reason) {
            "" => Err(FieldError::new("reason", "err-required")),
            s => DischargeReason::parse(s).ok_or(FieldError::new("reason", "err-choice")),
        })
    }
}

impl ExtensionInput {
    /// The new end and the staff member who asked, if not the approver.
    pub(super) fn parse(&self) -> Result<(NewEnd, Option<UserId>)> {
        let mut e = Errors::default();
        let end = new_end(&mut e, &self.new_until, &self.reason);
        let requested_by = e.take(optional_id(&self.requested_by, "requested_by"));
        e.finish()?;
        Ok((got(end)?, got(requested_by)?))
    }
}

impl ExtensionRequestInput {
    pub(super) fn parse(&self) -> Result<NewEnd> {
        let mut e = Errors::default();
        let end = new_end(&mut e, &self.new_until, &self.reason);
        e.finish()?;
        got(end)
    }
}

impl WaitingInput {
    pub(super) fn parse(&self) -> Result<WaitingData> {
        let mut e = Errors::default();
        let case_id = e.take(required_id(&self.case_id, "case_id"));
        let site_id = e.take(optional_id(&self.site_id, "site_id"));
        let priority = e.take(
            self.priority
                .as_deref()
                .map(str::trim)
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|p| (1..=3).contains(p))
                .ok_or(FieldError::new("priority", "err-priority")),
        );
        let referral_source = e.take(required_text(&self.referral_source, "referral_source", 200));
        e.finish()?;
        Ok(WaitingData {
            case_id: got(case_id)?,
            site_id: got(site_id)?,
            priority: got(priority)?,
            referral_source: got(referral_source)?,
        })
    }
}

impl AdmitWaitingInput {
    pub(super) fn parse(&self) -> Result<SiteId> {
        one_field(required_id(&self.site_id, "site_id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn countdown_reaches_the_alert_points() {
        let until = Some(date!(2028 - 02 - 28));
        let pts = alert_points("90,30");
        assert_eq!(pts, vec![90, 30]);
        assert_eq!(
            countdown(date!(2027 - 11 - 29), until, &pts),
            (Some(91), None)
        );
        assert_eq!(
            countdown(date!(2027 - 11 - 30), until, &pts),
            (Some(90), Some(90))
        );
        assert_eq!(
            countdown(date!(2028 - 01 - 29), until, &pts),
            (Some(30), Some(30))
        );
        assert_eq!(
            countdown(date!(2028 - 03 - 01), until, &pts),
            (Some(-2), Some(30))
        );
        assert_eq!(countdown(date!(2028 - 01 - 01), None, &pts), (None, None));
    }
}
