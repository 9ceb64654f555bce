//! Referrals through the API: the same use cases as the pages. A referral of another
//! organisation, or a person the receiving organisation may no longer see, is 404.

use haven_core::ids::{ConsentId, NotificationId, PersonId, ReferralId};
use haven_core::referrals::{
    self, Consent, ConsentInput, ConsentOptions, DeclineInput, Network, Notification,
    PersonReferrals, ReceivedReferral, ReceivingService, ReferInput, ReferralLine, ReferralType,
    ReferredPerson, ResultInput, SentReferral,
};
use serde::{Deserialize, Serialize};

use crate::api::handler::chosen;
use crate::api::{
    Answer, ApiJson, Conflict, CreatedAnswer, Done, Forbidden, Invalid, NotFound, StaffApi,
    Unauthorized,
};
use crate::extract::Id;

/// The id of the referral created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedReferral {
    pub id: String,
}

impl CreatedReferral {
    pub(crate) fn of(id: impl ToString) -> Self {
        CreatedReferral { id: id.to_string() }
    }
}

/// The configured referral types and the person fields each shares.
#[utoipa::path(get, path = "/api/v1/referral-types", tag = "referrals",
    responses((status = 200, body = Vec<ReferralType>), Unauthorized, Forbidden))]
pub async fn types(a: StaffApi) -> Answer<Vec<ReferralType>> {
    a.json(referrals::types(&a.ctx, &a.s.actor).await)
}

/// The services one may refer to: active services of other network organisations.
#[utoipa::path(get, path = "/api/v1/referral-services", tag = "referrals",
    responses((status = 200, body = Vec<ReceivingService>), Unauthorized, Forbidden))]
pub async fn services(a: StaffApi) -> Answer<Vec<ReceivingService>> {
    a.json(referrals::receiving_services(&a.ctx, &a.s.actor).await)
}

/// The choices for recording a consent for a person.
#[utoipa::path(get, path = "/api/v1/persons/{id}/consent-options", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsentOptions), Unauthorized, Forbidden, NotFound))]
pub async fn consent_options(a: StaffApi, Id(pid): Id<PersonId>) -> Answer<ConsentOptions> {
    a.json(referrals::consent_options(&a.ctx, &a.s.actor, pid).await)
}

/// A person's consents and the referrals your organisation made for them. Audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}/referrals", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = PersonReferrals), Unauthorized, Forbidden, NotFound))]
pub async fn of_person(a: StaffApi, Id(pid): Id<PersonId>) -> Answer<PersonReferrals> {
    a.json(referrals::of_person(&a.ctx, &a.s.actor, pid).await)
}

/// Record a person's consent to share with one organisation for one purpose until a day:
/// the first step of every referral.
#[utoipa::path(post, path = "/api/v1/persons/{id}/consents", tag = "referrals",
    params(("id" = String, Path, format = Uuid)), request_body = ConsentInput,
    responses((status = 201, body = Consent), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn record_consent(
    a: StaffApi,
    Id(pid): Id<PersonId>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> CreatedAnswer<Consent> {
    a.created(referrals::record_consent(&a.ctx, &a.s.actor, pid, &input).await)
}

/// Record that the person withdrew a consent: open referrals under it are withdrawn and
/// the receiving organisation's access ends.
#[utoipa::path(post, path = "/api/v1/consents/{id}/withdraw", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn withdraw_consent(a: StaffApi, Id(cid): Id<ConsentId>) -> Done {
    a.done(referrals::withdraw_consent(&a.ctx, &a.s.actor, cid).await)
}

/// Refer a person under a valid consent to a service of the consented organisation.
#[utoipa::path(post, path = "/api/v1/referrals", tag = "referrals", request_body = ReferInput,
    responses((status = 201, body = CreatedReferral), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn create(
    a: StaffApi,
    ApiJson(input): ApiJson<ReferInput>,
) -> CreatedAnswer<CreatedReferral> {
    a.created(
        referrals::refer(&a.ctx, &a.s.actor, &input)
            .await
            .map(CreatedReferral::of),
    )
}

/// The referrals your organisation sent, newest first. Audited.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals",
    responses((status = 200, body = Vec<ReferralLine>), Unauthorized, Forbidden))]
pub async fn sent(a: StaffApi) -> Answer<Vec<ReferralLine>> {
    a.json(referrals::sent(&a.ctx, &a.s.actor, 200).await)
}

/// A referral your organisation sent, with every step. Audited.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = SentReferral), Unauthorized, Forbidden, NotFound))]
pub async fn get_sent(a: StaffApi, Id(rid): Id<ReferralId>) -> Answer<SentReferral> {
    a.json(referrals::get_sent(&a.ctx, &a.s.actor, rid).await)
}

/// Withdraw an open referral your organisation sent.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/withdraw", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn withdraw(a: StaffApi, Id(rid): Id<ReferralId>) -> Done {
    a.done(referrals::withdraw(&a.ctx, &a.s.actor, rid).await)
}

/// The referrals to your organisation, newest first; no person data.
#[utoipa::path(get, path = "/api/v1/referrals/received", tag = "referrals",
    responses((status = 200, body = Vec<ReferralLine>), Unauthorized, Forbidden))]
pub async fn received(a: StaffApi) -> Answer<Vec<ReferralLine>> {
    a.json(referrals::received(&a.ctx, &a.s.actor, 200).await)
}

/// A referral to your organisation: while open and consented with the allowlisted person
/// fields (an audited read), afterwards only its steps.
#[utoipa::path(get, path = "/api/v1/referrals/received/{id}", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ReceivedReferral), Unauthorized, Forbidden, NotFound))]
pub async fn get_received(a: StaffApi, Id(rid): Id<ReferralId>) -> Answer<ReceivedReferral> {
    a.json(referrals::get_received(&a.ctx, &a.s.actor, rid).await)
}

/// The referred person: only the fields the referral type allows, only while the referral
/// is open and its consent stands; 404 otherwise. Audited.
#[utoipa::path(get, path = "/api/v1/referrals/received/{id}/person", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ReferredPerson), Unauthorized, Forbidden, NotFound))]
pub async fn person(a: StaffApi, Id(rid): Id<ReferralId>) -> Answer<ReferredPerson> {
    a.json(referrals::referred_person(&a.ctx, &a.s.actor, rid).await)
}

/// Accept a referral to your organisation.
#[utoipa::path(post, path = "/api/v1/referrals/received/{id}/accept", tag = "referrals",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn accept(a: StaffApi, Id(rid): Id<ReferralId>) -> Done {
    a.done(referrals::accept(&a.ctx, &a.s.actor, rid).await)
}

/// Decline a referral to your organisation, with a reason for the sender.
#[utoipa::path(post, path = "/api/v1/referrals/received/{id}/decline", tag = "referrals",
    params(("id" = String, Path, format = Uuid)), request_body = DeclineInput,
    responses((status = 204), Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
pub async fn decline(
    a: StaffApi,
    Id(rid): Id<ReferralId>,
    ApiJson(input): ApiJson<DeclineInput>,
) -> Done {
    a.done(referrals::decline(&a.ctx, &a.s.actor, rid, &input).await)
}

/// Record what came of an accepted referral; this closes it.
#[utoipa::path(post, path = "/api/v1/referrals/received/{id}/result", tag = "referrals",
    params(("id" = String, Path, format = Uuid)), request_body = ResultInput,
    responses((status = 204), Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
pub async fn result(
    a: StaffApi,
    Id(rid): Id<ReferralId>,
    ApiJson(input): ApiJson<ResultInput>,
) -> Done {
    a.done(referrals::record_result(&a.ctx, &a.s.actor, rid, &input).await)
}

/// Your notifications, unread first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "referrals",
    responses((status = 200, body = Vec<Notification>), Unauthorized, Forbidden))]
pub async fn notifications(a: StaffApi) -> Answer<Vec<Notification>> {
    a.json(referrals::notifications(&a.ctx, &a.s.actor, 100).await)
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
    responses((status = 204), Unauthorized, Forbidden, Invalid))]
pub async fn mark_read(a: StaffApi, ApiJson(input): ApiJson<MarkRead>) -> Done {
    let id: Option<NotificationId> = chosen("id", input.id.as_deref()).map_err(|e| a.err(e))?;
    a.done(referrals::mark_read(&a.ctx, &a.s.actor, id).await)
}

/// The referral network: who refers to whom, how often and how fast. Aggregates only;
/// counts below 5 are withheld.
#[utoipa::path(get, path = "/api/v1/network", tag = "referrals",
    responses((status = 200, body = Network), Unauthorized, Forbidden))]
pub async fn network(a: StaffApi) -> Answer<Network> {
    a.json(referrals::network(&a.ctx, &a.s.actor).await)
}
