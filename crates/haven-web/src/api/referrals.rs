//! Referrals through the API: the same use cases as the pages. A referral of another
//! organisation, or a person the receiving organisation may no longer see, is 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::ids::{ConsentId, NotificationId, PersonId, ReferralId};
use haven_core::referrals::{
    self, Consent, ConsentInput, ConsentOptions, DeclineInput, Network, Notification,
    PersonReferrals, ReceivedReferral, ReceivingService, ReferInput, ReferralLine, ReferralType,
    ReferredPerson, ResultInput, SentReferral,
};
use haven_core::Error;
use serde::{Deserialize, Serialize};

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

fn parse<T: std::str::FromStr>(id: &str, t: &Tr) -> Result<T, ApiErr> {
    id.parse().map_err(|_| t.api()(Error::NotFound))
}

/// The id of the referral created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedReferral {
    pub id: String,
}

/// The configured referral types and the person fields each shares.
#[utoipa::path(get, path = "/api/v1/referral-types", tag = "referrals",
    responses(
        (status = 200, body = Vec<ReferralType>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn types(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<ReferralType>>, ApiErr> {
    referrals::types(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// The services one may refer to: active services of other network organisations.
#[utoipa::path(get, path = "/api/v1/referral-services", tag = "referrals",
    responses(
        (status = 200, body = Vec<ReceivingService>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn services(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<ReceivingService>>, ApiErr> {
    referrals::receiving_services(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// The choices for recording a consent for a person.
#[utoipa::path(get, path = "/api/v1/persons/{id}/consent-options", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = ConsentOptions),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn consent_options(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<ConsentOptions>, ApiErr> {
    let pid: PersonId = parse(&id, &t)?;
    referrals::consent_options(&state.ctx, &s.actor, pid)
        .await
        .map(Json)
        .map_err(t.api())
}

/// A person's consents and the referrals your organisation made for them. Audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}/referrals", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = PersonReferrals),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn of_person(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<PersonReferrals>, ApiErr> {
    let pid: PersonId = parse(&id, &t)?;
    referrals::of_person(&state.ctx, &s.actor, pid)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Record a person's consent to share with one organisation for one purpose until a day:
/// the first step of every referral.
#[utoipa::path(post, path = "/api/v1/persons/{id}/consents", tag = "referrals",
    params(("id" = String, Path, format = Uuid)), request_body = ConsentInput,
    responses(
        (status = 201, body = Consent),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn record_consent(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> Result<(StatusCode, Json<Consent>), ApiErr> {
    let pid: PersonId = parse(&id, &t)?;
    referrals::record_consent(&state.ctx, &s.actor, pid, &input)
        .await
        .map(|c| (StatusCode::CREATED, Json(c)))
        .map_err(t.api())
}

/// Record that the person withdrew a consent: open referrals under it are withdrawn and
/// the receiving organisation's access ends.
#[utoipa::path(post, path = "/api/v1/consents/{id}/withdraw", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiErr> {
    let cid: ConsentId = parse(&id, &t)?;
    referrals::withdraw_consent(&state.ctx, &s.actor, cid)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Refer a person under a valid consent to a service of the consented organisation.
#[utoipa::path(post, path = "/api/v1/referrals", tag = "referrals", request_body = ReferInput,
    responses(
        (status = 201, body = CreatedReferral),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<ReferInput>,
) -> Result<(StatusCode, Json<CreatedReferral>), ApiErr> {
    referrals::refer(&state.ctx, &s.actor, &input)
        .await
        .map(|id| {
            (
                StatusCode::CREATED,
                Json(CreatedReferral { id: id.to_string() }),
            )
        })
        .map_err(t.api())
}

/// The referrals your organisation sent, newest first. Audited.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals",
    responses(
        (status = 200, body = Vec<ReferralLine>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn sent(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<ReferralLine>>, ApiErr> {
    referrals::sent(&state.ctx, &s.actor, 200)
        .await
        .map(Json)
        .map_err(t.api())
}

/// A referral your organisation sent, with every step. Audited.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = SentReferral),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get_sent(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<SentReferral>, ApiErr> {
    let rid: ReferralId = parse(&id, &t)?;
    referrals::get_sent(&state.ctx, &s.actor, rid)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Withdraw an open referral your organisation sent.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/withdraw", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiErr> {
    let rid: ReferralId = parse(&id, &t)?;
    referrals::withdraw(&state.ctx, &s.actor, rid)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// The referrals to your organisation, newest first; no person data.
#[utoipa::path(get, path = "/api/v1/referrals/received", tag = "referrals",
    responses(
        (status = 200, body = Vec<ReferralLine>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn received(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<ReferralLine>>, ApiErr> {
    referrals::received(&state.ctx, &s.actor, 200)
        .await
        .map(Json)
        .map_err(t.api())
}

/// A referral to your organisation: while open and consented with the allowlisted person
/// fields (an audited read), afterwards only its steps.
#[utoipa::path(get, path = "/api/v1/referrals/received/{id}", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = ReceivedReferral),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get_received(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<ReceivedReferral>, ApiErr> {
    let rid: ReferralId = parse(&id, &t)?;
    referrals::get_received(&state.ctx, &s.actor, rid)
        .await
        .map(Json)
        .map_err(t.api())
}

/// The referred person: only the fields the referral type allows, only while the referral
/// is open and its consent stands; 404 otherwise. Audited.
#[utoipa::path(get, path = "/api/v1/referrals/received/{id}/person", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = ReferredPerson),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn person(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<ReferredPerson>, ApiErr> {
    let rid: ReferralId = parse(&id, &t)?;
    referrals::referred_person(&state.ctx, &s.actor, rid)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Accept a referral to your organisation.
#[utoipa::path(post, path = "/api/v1/referrals/received/{id}/accept", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn accept(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiErr> {
    let rid: ReferralId = parse(&id, &t)?;
    referrals::accept(&state.ctx, &s.actor, rid)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Decline a referral to your organisation, with a reason for the sender.
#[utoipa::path(post, path = "/api/v1/referrals/received/{id}/decline", tag = "referrals",
    params(("id" = String, Path, format = Uuid)), request_body = DeclineInput,
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn decline(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DeclineInput>,
) -> Result<StatusCode, ApiErr> {
    let rid: ReferralId = parse(&id, &t)?;
    referrals::decline(&state.ctx, &s.actor, rid, &input)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Record what came of an accepted referral; this closes it.
#[utoipa::path(post, path = "/api/v1/referrals/received/{id}/result", tag = "referrals",
    params(("id" = String, Path, format = Uuid)), request_body = ResultInput,
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn result(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResultInput>,
) -> Result<StatusCode, ApiErr> {
    let rid: ReferralId = parse(&id, &t)?;
    referrals::record_result(&state.ctx, &s.actor, rid, &input)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Your notifications, unread first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "referrals",
    responses(
        (status = 200, body = Vec<Notification>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn notifications(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<Notification>>, ApiErr> {
    referrals::notifications(&state.ctx, &s.actor, 100)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Which notification to mark read; none marks all.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MarkRead {
    pub id: Option<String>,
}

/// Mark one notification read, or all of them.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "referrals",
    request_body = MarkRead,
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn mark_read(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<MarkRead>,
) -> Result<StatusCode, ApiErr> {
    let id: Option<NotificationId> = match input.id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(x) => Some(
            x.parse()
                .map_err(|_| t.api()(Error::invalid("id", "err-choice")))?,
        ),
    };
    referrals::mark_read(&state.ctx, &s.actor, id)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// The referral network: who refers to whom, how often and how fast. Aggregates only;
/// counts below 5 are withheld.
#[utoipa::path(get, path = "/api/v1/network", tag = "referrals",
    responses(
        (status = 200, body = Network),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn network(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Network>, ApiErr> {
    referrals::network(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}
