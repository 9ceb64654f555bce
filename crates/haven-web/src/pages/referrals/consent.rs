//! Recording a person's consent, then referring them under it (from their page or from a
//! case), and withdrawing a consent.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::Form;
use haven_core::ids::{ConsentId, PersonId};
use haven_core::referrals::{
    self, Consent, ConsentInput, ConsentOptions, ReferInput, ReferOptions,
};
use haven_core::Error;
use serde::Deserialize;

use super::type_label;
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::forms::{answer, Field, FormView, Typed};
use crate::pages::{see_other, PageResult};
use crate::views::{fmt_ts, Chrome};

/// A referral made from a case names it (`?case=…`) through the consent and referral forms.
#[derive(Deserialize)]
pub struct SourceQuery {
    #[serde(default)]
    case: String,
}

/// Only what a case id may contain travels back into a link.
fn case_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn consent_fields(t: &Tr, v: &Typed, o: &ConsentOptions) -> Vec<Field> {
    let mut orgs: Vec<(String, String)> = Vec::new();
    for s in &o.services {
        if !orgs.iter().any(|(id, _)| *id == s.org_id.to_string()) {
            orgs.push((s.org_id.to_string(), s.org_name.clone()));
        }
    }
    let purposes = o
        .types
        .iter()
        .map(|ty| (ty.code.clone(), type_label(t, &ty.code)))
        .collect();
    vec![
        Field::hidden("case", v.value("case")),
        Field::select(t, "to_org", v, orgs, true),
        Field::select(t, "purpose", v, purposes, true).hint(t.t("hint-purpose")),
        Field::date(t, "valid_until", v),
        Field::checkbox(t, "share_residence_status", v),
        Field::checkbox(t, "person_agreed", v),
    ]
}

/// The consent form for person `pid`; without options (a refusal that needs none), no
/// fields.
fn consent_form(
    t: &Tr,
    chrome: Chrome,
    pid: PersonId,
    v: &Typed,
    o: Option<&ConsentOptions>,
) -> FormView {
    let fields = o.map(|o| consent_fields(t, v, o)).unwrap_or_default();
    let person = format!("/staff/persons/{pid}");
    FormView::new(
        t,
        chrome,
        t.t("consent-record"),
        format!("{person}/consents"),
        fields,
        person,
    )
    .submit(t.t("consent-submit"))
}

pub async fn consent_new(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(pid): Id<PersonId>,
    Query(q): Query<SourceQuery>,
) -> PageResult {
    let o = referrals::consent_options(&app.ctx, &s.actor, pid)
        .await
        .map_err(t.page())?;
    let v = Typed::default().with("case", q.case);
    let view = consent_form(&t, chrome, pid, &v, Some(&o)).intro(t.t("consent-intro"));
    Ok(view.respond(StatusCode::OK))
}

pub async fn consent_create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(pid): Id<PersonId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: ConsentInput = v.input().map_err(t.page())?;
    let res = referrals::record_consent(&app.ctx, &s.actor, pid, &input).await;
    // On to the referral, keeping the case it is made from.
    let res = res.map(|c| match v.value("case").as_str() {
        "" => format!("/staff/consents/{}/refer", c.id),
        case => format!("/staff/consents/{}/refer?case={}", c.id, case_safe(case)),
    });
    let o = match &res {
        Err(Error::Invalid(_)) => Some(
            referrals::consent_options(&app.ctx, &s.actor, pid)
                .await
                .map_err(t.page())?,
        ),
        _ => None,
    };
    answer(&t, res, || consent_form(&t, chrome, pid, &v, o.as_ref()))
}

pub async fn consent_withdraw(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(cid): Id<ConsentId>,
) -> PageResult {
    let person = referrals::withdraw_consent(&app.ctx, &s.actor, cid)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("/staff/persons/{person}")))
}

fn consent_context(t: &Tr, c: &Consent) -> Vec<(String, String)> {
    let shared = if c.share_residence_status {
        "yes"
    } else {
        "no"
    };
    vec![
        (t.t("field-to_org"), c.to_org_name.clone()),
        (t.t("field-purpose"), type_label(t, &c.purpose)),
        (t.t("consent-until"), fmt_ts(c.expires_at)),
        (t.t("field-share_residence_status"), t.t(shared)),
    ]
}

fn refer_fields(t: &Tr, v: &Typed, o: &ReferOptions) -> Vec<Field> {
    let services = o
        .services
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    let mut fields = vec![
        Field::select(t, "service_id", v, services, true),
        Field::area(t, "reason", v).hint(t.t("hint-referral-reason")),
    ];
    if !v.value("source_id").is_empty() {
        fields.push(Field::hidden("source_type", "case".to_owned()));
        fields.push(Field::hidden("source_id", v.value("source_id")));
    }
    fields
}

/// The referral form under consent `cid`; without options (a refusal that needs none),
/// no fields and no context.
fn refer_form(
    t: &Tr,
    chrome: Chrome,
    cid: ConsentId,
    v: &Typed,
    o: Option<&ReferOptions>,
) -> FormView {
    let (context, fields, cancel) = match o {
        Some(o) => (
            consent_context(t, &o.consent),
            refer_fields(t, v, o),
            format!("/staff/persons/{}", o.consent.person_id),
        ),
        None => (Vec::new(), Vec::new(), "/staff/referrals".to_owned()),
    };
    let action = format!("/staff/consents/{cid}/refer");
    FormView::new(t, chrome, t.t("referral-new"), action, fields, cancel)
        .context(context)
        .submit(t.t("referral-send"))
}

pub async fn refer_new(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(cid): Id<ConsentId>,
    Query(q): Query<SourceQuery>,
) -> PageResult {
    let o = referrals::refer_options(&app.ctx, &s.actor, cid)
        .await
        .map_err(t.page())?;
    let v = Typed::default().with("source_id", q.case);
    let view = refer_form(&t, chrome, cid, &v, Some(&o)).intro(t.t("referral-new-intro"));
    Ok(view.respond(StatusCode::OK))
}

pub async fn refer_create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(cid): Id<ConsentId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let mut input: ReferInput = v.input().map_err(t.page())?;
    input.consent_id = Some(cid.to_string());
    let res = referrals::refer(&app.ctx, &s.actor, &input)
        .await
        .map(|rid| format!("/staff/referrals/{rid}"));
    let o = match &res {
        Err(Error::Invalid(_) | Error::Conflict(_)) => Some(
            referrals::refer_options(&app.ctx, &s.actor, cid)
                .await
                .map_err(t.page())?,
        ),
        _ => None,
    };
    answer(&t, res, || refer_form(&t, chrome, cid, &v, o.as_ref()))
}
