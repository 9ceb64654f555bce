//! The lists of sent and received referrals, one referral with its steps on either side,
//! and the decisions on it: withdrawing (sending side), accepting, declining and recording
//! the result (receiving side).

use askama::Template;
use axum::http::StatusCode;
use axum::Form;
use haven_core::ids::ReferralId;
use haven_core::referrals::{
    self, DeclineInput, ReferralResult, ReferralStatus, ReferredPerson, ResultInput, SharedField,
    Step, StepKind,
};

use super::{line_view, result_label, source_label, status_label, type_label, LineView};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::forms::{answer, coded, Field, FormView, Typed};
use crate::pages::{see_other, PageResult};
use crate::views::{birth_text, fmt_ts, render, Chrome};

fn received_url(rid: ReferralId) -> String {
    format!("/staff/referrals/received/{rid}")
}

// Lists

#[derive(Template)]
#[template(path = "referrals_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub sent: bool,
    pub rows: Vec<LineView>,
}

/// The organisation's referrals, sent or received, most recently changed first.
async fn index(StaffPage { app, s, t, chrome }: StaffPage, sent: bool) -> PageResult {
    let lines = if sent {
        referrals::sent(&app.ctx, &s.actor, 200).await
    } else {
        referrals::received(&app.ctx, &s.actor, 200).await
    };
    let lines = lines.map_err(t.page())?;
    Ok(render(&IndexPage {
        title: t.t(if sent {
            "referrals-sent"
        } else {
            "referrals-received"
        }),
        sent,
        rows: lines.into_iter().map(|l| line_view(&t, l, sent)).collect(),
        chrome,
        t,
    }))
}

pub async fn sent_index(p: StaffPage) -> PageResult {
    index(p, true).await
}

pub async fn received_index(p: StaffPage) -> PageResult {
    index(p, false).await
}

// One referral

pub struct StepView {
    pub what: String,
    pub when: String,
    pub who: String,
}

fn step_views(t: &Tr, steps: Vec<Step>) -> Vec<StepView> {
    steps
        .into_iter()
        .map(|st| {
            let mut what = t.t(&format!("referral-step-{}", st.kind.as_str()));
            if let (StepKind::Completed, Some(r)) = (st.kind, st.result) {
                what = format!("{what}: {}", result_label(t, r));
            }
            StepView {
                what,
                when: fmt_ts(st.at),
                who: format!("{} · {}", st.by, st.org),
            }
        })
        .collect()
}

/// One shared field of the person, as label and value.
fn shared_fact(t: &Tr, p: &ReferredPerson, f: &SharedField) -> (String, String) {
    let list = |v: &Option<Vec<String>>| v.clone().unwrap_or_default().join(", ");
    let (label, value) = match f {
        SharedField::Name => (t.t("field-name"), p.name.clone().unwrap_or_default()),
        SharedField::Alias => (t.t("field-alias"), p.alias.clone().unwrap_or_default()),
        SharedField::Birth => (
            t.t("field-birth"),
            birth_text(t, &p.birth_date, p.birth_year),
        ),
        SharedField::Gender => (
            t.t("field-gender"),
            p.gender
                .map(|g| t.t(&format!("gender-{}", g.as_str())))
                .unwrap_or_default(),
        ),
        SharedField::Nationalities => (t.t("field-nationalities"), list(&p.nationalities)),
        SharedField::Languages => (t.t("field-languages"), list(&p.languages)),
        SharedField::Phone => (t.t("field-phone"), p.phone.clone().unwrap_or_default()),
    };
    if value.is_empty() {
        (label, t.t("not-recorded"))
    } else {
        (label, value)
    }
}

/// What the receiving side sees of the person: the consented fields only.
fn person_facts(t: &Tr, p: &ReferredPerson) -> Vec<(String, String)> {
    let mut out: Vec<_> = p.shared.iter().map(|f| shared_fact(t, p, f)).collect();
    if let Some(rs) = p.residence_status {
        out.push((
            t.t("field-residence_status"),
            t.t(&format!("status-{}", rs.as_str())),
        ));
    }
    out
}

#[derive(Template)]
#[template(path = "referral_show.html")]
pub struct ShowPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub id: String,
    pub sent: bool,
    pub heading: String,
    pub facts: Vec<(String, String)>,
    pub reason: String,
    pub decline_reason: String,
    /// The allowlisted fields (receiving side), or the link to the person (sending side).
    pub person: Vec<(String, String)>,
    pub person_href: String,
    /// The receiving side while access has ended.
    pub person_closed: bool,
    pub steps: Vec<StepView>,
    pub can_withdraw: bool,
    pub can_accept: bool,
    pub can_result: bool,
}

/// The facts both sides see first: the other organisation, service, purpose, status and
/// result.
fn first_facts(
    t: &Tr,
    org: (&str, &str),
    service: &str,
    type_code: &str,
    status: ReferralStatus,
    result: Option<ReferralResult>,
) -> Vec<(String, String)> {
    let mut facts = vec![
        (t.t(org.0), org.1.to_owned()),
        (t.t("field-service_id"), service.to_owned()),
        (t.t("field-purpose"), type_label(t, type_code)),
        (t.t("field-status"), status_label(t, status)),
    ];
    if let Some(res) = result {
        facts.push((t.t("field-result"), result_label(t, res)));
    }
    facts
}

pub async fn sent_show(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(rid): Id<ReferralId>,
) -> PageResult {
    let r = referrals::get_sent(&app.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    let org = ("field-to_org", r.to_org_name.as_str());
    let mut facts = first_facts(&t, org, &r.service_name, &r.type_code, r.status, r.result);
    let withdrawn = match r.consent.withdrawn_at {
        Some(_) => format!(" · {}", t.t("consent-withdrawn")),
        None => String::new(),
    };
    facts.push((
        t.t("consent-until"),
        format!("{}{withdrawn}", fmt_ts(r.consent.expires_at)),
    ));
    let shared = if r.consent.share_residence_status {
        "yes"
    } else {
        "no"
    };
    facts.push((t.t("field-share_residence_status"), t.t(shared)));
    if let Some(src) = r.source_type {
        facts.push((t.t("referral-source"), source_label(&t, src)));
    }
    let name = r
        .person_label
        .clone()
        .unwrap_or_else(|| t.t("person-unnamed"));
    let page = ShowPage {
        id: rid.to_string(),
        sent: true,
        heading: t.t1("referral-heading", "name", name),
        facts,
        reason: r.reason.unwrap_or_default(),
        decline_reason: r.decline_reason.unwrap_or_default(),
        person: Vec::new(),
        person_href: format!("/staff/persons/{}", r.person_id),
        person_closed: false,
        steps: step_views(&t, r.steps),
        can_withdraw: r.status.is_open(),
        can_accept: false,
        can_result: false,
        chrome,
        t,
    };
    Ok(render(&page))
}

pub async fn received_show(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(rid): Id<ReferralId>,
) -> PageResult {
    let r = referrals::get_received(&app.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    let org = ("field-from_org", r.from_org_name.as_str());
    let mut facts = first_facts(&t, org, &r.service_name, &r.type_code, r.status, r.result);
    facts.push((t.t("consent-until"), fmt_ts(r.consent_expires_at)));
    // Where it was made, by kind only: never which case or contact.
    if let Some(src) = r.source_type {
        facts.push((t.t("referral-source"), source_label(&t, src)));
    }
    let person = r.person.as_ref().map(|p| person_facts(&t, p));
    let page = ShowPage {
        id: rid.to_string(),
        sent: false,
        heading: t.t1("referral-received-heading", "org", r.from_org_name.clone()),
        facts,
        reason: r.reason.unwrap_or_default(),
        decline_reason: String::new(),
        person_closed: person.is_none(),
        person: person.unwrap_or_default(),
        person_href: String::new(),
        steps: step_views(&t, r.steps),
        can_withdraw: false,
        can_accept: r.status == ReferralStatus::Sent,
        can_result: r.status == ReferralStatus::Accepted,
        chrome,
        t,
    };
    Ok(render(&page))
}

pub async fn withdraw(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(rid): Id<ReferralId>,
) -> PageResult {
    referrals::withdraw(&app.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("/staff/referrals/{rid}")))
}

pub async fn accept(StaffPage { app, s, t, .. }: StaffPage, Id(rid): Id<ReferralId>) -> PageResult {
    referrals::accept(&app.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    Ok(see_other(&received_url(rid)))
}

// The receiving side's decisions that take words

#[derive(Clone, Copy)]
enum Decision {
    Decline,
    Result,
}

fn decision_form(t: &Tr, chrome: Chrome, rid: ReferralId, which: Decision, v: &Typed) -> FormView {
    let (title, what, field) = match which {
        Decision::Decline => (
            "referral-decline",
            "decline",
            Field::area(t, "reason", v).hint(t.t("hint-decline-reason")),
        ),
        Decision::Result => {
            let results = ReferralResult::ALL.iter().map(|r| r.as_str());
            let choices = coded(t, "referral-result", results);
            let field = Field::select(t, "result", v, choices, true);
            ("referral-record-result", "result", field)
        }
    };
    let back = received_url(rid);
    FormView::new(
        t,
        chrome,
        t.t(title),
        format!("{back}/{what}"),
        vec![field],
        back,
    )
    .submit(t.t(title))
}

async fn decision_page(
    StaffPage { app, s, t, chrome }: StaffPage,
    rid: ReferralId,
    which: Decision,
) -> PageResult {
    // Reading the referral checks that it is the organisation's own (audited).
    referrals::get_received(&app.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    let view = decision_form(&t, chrome, rid, which, &Typed::default());
    Ok(view.respond(StatusCode::OK))
}

pub async fn decline_form(p: StaffPage, Id(rid): Id<ReferralId>) -> PageResult {
    decision_page(p, rid, Decision::Decline).await
}

pub async fn result_form(p: StaffPage, Id(rid): Id<ReferralId>) -> PageResult {
    decision_page(p, rid, Decision::Result).await
}

pub async fn decline(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(rid): Id<ReferralId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: DeclineInput = v.input().map_err(t.page())?;
    let res = referrals::decline(&app.ctx, &s.actor, rid, &input)
        .await
        .map(|()| received_url(rid));
    answer(&t, res, || {
        decision_form(&t, chrome, rid, Decision::Decline, &v)
    })
}

pub async fn result(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(rid): Id<ReferralId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: ResultInput = v.input().map_err(t.page())?;
    let res = referrals::record_result(&app.ctx, &s.actor, rid, &input)
        .await
        .map(|()| received_url(rid));
    answer(&t, res, || {
        decision_form(&t, chrome, rid, Decision::Result, &v)
    })
}
