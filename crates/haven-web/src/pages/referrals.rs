//! Referral pages: recording a consent and referring, the lists of sent and received
//! referrals, a referral with its steps on either side, the receiving side's decisions,
//! notifications, and the network view for policy advisors.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use haven_core::ids::{ConsentId, NotificationId, PersonId, ReferralId};
use haven_core::referrals::{
    self, ConsentInput, DeclineInput, NotificationKind, ReferInput, ReferralLine, ReferralResult,
    ReferralStatus, ReferredPerson, ResultInput, SharedField, SourceType, Step, StepKind,
};
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::forms::{coded, Field, FormView, Typed};
use super::see_other;
use super::stats::count_text;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{fmt_ts, render, Chrome, FormErrors};
use crate::AppState;

fn parse<T: std::str::FromStr>(id: &str) -> Result<T, Error> {
    id.parse().map_err(|_| Error::NotFound)
}

/// A referral type's name: its translation, else its code.
pub fn type_label(t: &Tr, code: &str) -> String {
    let id = format!("referral-type-{code}");
    let s = t.t(&id);
    if s == id {
        code.to_owned()
    } else {
        s
    }
}

fn source_label(t: &Tr, s: SourceType) -> String {
    t.t(&format!("referral-source-{}", s.as_str()))
}

pub(crate) fn status_label(t: &Tr, s: ReferralStatus) -> String {
    t.t(&format!("referral-status-{}", s.as_str()))
}

pub(crate) fn result_label(t: &Tr, r: ReferralResult) -> String {
    t.t(&format!("referral-result-{}", r.as_str()))
}

pub(crate) fn form(
    t: Tr,
    chrome: Chrome,
    title: String,
    context: Vec<(String, String)>,
    action: String,
    fields: Vec<Field>,
    cancel: String,
) -> FormView {
    FormView {
        submit: t.t("save"),
        title,
        intro: String::new(),
        context,
        action,
        fields,
        cancel,
        errors: FormErrors::default(),
        chrome,
        t,
    }
}

pub(crate) fn answer(
    t: &Tr,
    res: Result<String, Error>,
    form: impl FnOnce() -> FormView,
) -> Result<Response, PageErr> {
    match res {
        Ok(to) => Ok(see_other(&to)),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => form().refused(e).map_err(t.page()),
        Err(e) => Err(t.page()(e)),
    }
}

pub(crate) fn on(v: &Typed, name: &str) -> Option<bool> {
    Some(matches!(v.value(name).as_str(), "on" | "true" | "1"))
}

// ---------------------------------------------------------------------------------------
// Consent, then the referral

#[derive(Deserialize)]
pub struct SourceQuery {
    #[serde(default)]
    case: String,
}

fn consent_fields(t: &Tr, v: &Typed, o: &referrals::ConsentOptions) -> Vec<Field> {
    let mut orgs: Vec<(String, String)> = Vec::new();
    for s in &o.services {
        if !orgs.iter().any(|(id, _)| *id == s.org_id.to_string()) {
            orgs.push((s.org_id.to_string(), s.org_name.clone()));
        }
    }
    vec![
        Field::hidden("case", v.value("case")),
        Field::select(t, "to_org", v, orgs, true),
        Field::select(
            t,
            "purpose",
            v,
            o.types
                .iter()
                .map(|ty| (ty.code.clone(), type_label(t, &ty.code)))
                .collect(),
            true,
        )
        .hint(t.t("hint-purpose")),
        Field::date(t, "valid_until", v),
        Field::checkbox(t, "share_residence_status", v),
        Field::checkbox(t, "person_agreed", v),
    ]
}

pub async fn consent_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Query(q): Query<SourceQuery>,
) -> Result<Response, PageErr> {
    let pid: PersonId = parse(&id).map_err(t.page())?;
    let o = referrals::consent_options(&state.ctx, &s.actor, pid)
        .await
        .map_err(t.page())?;
    let v = Typed::default().with("case", q.case);
    let mut view = form(
        t.clone(),
        Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t.t("consent-record"),
        Vec::new(),
        format!("/staff/persons/{pid}/consents"),
        consent_fields(&t, &v, &o),
        format!("/staff/persons/{pid}"),
    );
    view.intro = t.t("consent-intro");
    view.submit = t.t("consent-submit");
    Ok(view.respond(StatusCode::OK))
}

pub async fn consent_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let pid: PersonId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let input = ConsentInput {
        to_org: v.get("to_org"),
        purpose: v.get("purpose"),
        valid_until: v.get("valid_until"),
        share_residence_status: on(&v, "share_residence_status"),
        person_agreed: on(&v, "person_agreed"),
    };
    let res = referrals::record_consent(&state.ctx, &s.actor, pid, &input).await;
    let case = v.value("case");
    let res = res.map(|c| {
        if case.is_empty() {
            format!("/staff/consents/{}/refer", c.id)
        } else {
            format!("/staff/consents/{}/refer?case={}", c.id, urlencoding(&case))
        }
    });
    let o = match &res {
        Err(Error::Invalid(_)) => Some(
            referrals::consent_options(&state.ctx, &s.actor, pid)
                .await
                .map_err(t.page())?,
        ),
        _ => None,
    };
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    answer(&t, res, || {
        let fields = o
            .as_ref()
            .map(|o| consent_fields(&t, &v, o))
            .unwrap_or_default();
        let mut view = form(
            t.clone(),
            chrome,
            t.t("consent-record"),
            Vec::new(),
            format!("/staff/persons/{pid}/consents"),
            fields,
            format!("/staff/persons/{pid}"),
        );
        view.submit = t.t("consent-submit");
        view
    })
}

/// Only what a case id may contain travels back into a link.
fn urlencoding(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn consent_context(t: &Tr, c: &referrals::Consent) -> Vec<(String, String)> {
    vec![
        (t.t("field-to_org"), c.to_org_name.clone()),
        (t.t("field-purpose"), type_label(t, &c.purpose)),
        (t.t("consent-until"), fmt_ts(c.expires_at)),
        (
            t.t("field-share_residence_status"),
            t.t(if c.share_residence_status {
                "yes"
            } else {
                "no"
            }),
        ),
    ]
}

fn refer_fields(t: &Tr, v: &Typed, o: &referrals::ReferOptions) -> Vec<Field> {
    let mut fields = vec![
        Field::select(
            t,
            "service_id",
            v,
            o.services
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
            true,
        ),
        Field::area(t, "reason", v).hint(t.t("hint-referral-reason")),
    ];
    if !v.value("source_id").is_empty() {
        fields.push(Field::hidden("source_type", "case".to_owned()));
        fields.push(Field::hidden("source_id", v.value("source_id")));
    }
    fields
}

pub async fn refer_new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Query(q): Query<SourceQuery>,
) -> Result<Response, PageErr> {
    let cid: ConsentId = parse(&id).map_err(t.page())?;
    let o = referrals::refer_options(&state.ctx, &s.actor, cid)
        .await
        .map_err(t.page())?;
    let v = Typed::default().with("source_id", q.case);
    let mut view = form(
        t.clone(),
        Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t.t("referral-new"),
        consent_context(&t, &o.consent),
        format!("/staff/consents/{cid}/refer"),
        refer_fields(&t, &v, &o),
        format!("/staff/persons/{}", o.consent.person_id),
    );
    view.intro = t.t("referral-new-intro");
    view.submit = t.t("referral-send");
    Ok(view.respond(StatusCode::OK))
}

pub async fn refer_create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let cid: ConsentId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let input = ReferInput {
        consent_id: Some(cid.to_string()),
        service_id: v.get("service_id"),
        reason: v.get("reason"),
        source_type: v.get("source_type"),
        source_id: v.get("source_id"),
    };
    let res = referrals::refer(&state.ctx, &s.actor, &input)
        .await
        .map(|rid| format!("/staff/referrals/{rid}"));
    let o = match &res {
        Err(Error::Invalid(_) | Error::Conflict(_)) => Some(
            referrals::refer_options(&state.ctx, &s.actor, cid)
                .await
                .map_err(t.page())?,
        ),
        _ => None,
    };
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    answer(&t, res, || {
        let (context, fields, cancel) = match &o {
            Some(o) => (
                consent_context(&t, &o.consent),
                refer_fields(&t, &v, o),
                format!("/staff/persons/{}", o.consent.person_id),
            ),
            None => (Vec::new(), Vec::new(), "/staff/referrals".to_owned()),
        };
        let mut view = form(
            t.clone(),
            chrome,
            t.t("referral-new"),
            context,
            format!("/staff/consents/{cid}/refer"),
            fields,
            cancel,
        );
        view.submit = t.t("referral-send");
        view
    })
}

pub async fn consent_withdraw(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let cid: ConsentId = parse(&id).map_err(t.page())?;
    let person = referrals::withdraw_consent(&state.ctx, &s.actor, cid)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("/staff/persons/{person}")))
}

// ---------------------------------------------------------------------------------------
// Lists

pub struct LineView {
    pub href: String,
    pub person: String,
    pub org: String,
    pub service: String,
    pub kind: String,
    pub status: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "referrals_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub sent: bool,
    pub lines: Vec<LineView>,
}

pub fn line_view(t: &Tr, l: ReferralLine, sent: bool) -> LineView {
    let status = match l.result {
        Some(r) => format!("{} · {}", status_label(t, l.status), result_label(t, r)),
        None => status_label(t, l.status),
    };
    LineView {
        href: if sent {
            format!("/staff/referrals/{}", l.id)
        } else {
            format!("/staff/referrals/received/{}", l.id)
        },
        person: l.person_label.unwrap_or_else(|| t.t("person-unnamed")),
        org: if sent { l.to_org_name } else { l.from_org_name },
        service: l.service_name,
        kind: type_label(t, &l.type_code),
        status,
        when: fmt_ts(l.updated_at),
    }
}

pub async fn sent_index(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let lines = referrals::sent(&state.ctx, &s.actor, 200)
        .await
        .map_err(t.page())?;
    Ok(render(&IndexPage {
        title: t.t("referrals-sent"),
        sent: true,
        lines: lines.into_iter().map(|l| line_view(&t, l, true)).collect(),
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    }))
}

pub async fn received_index(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let lines = referrals::received(&state.ctx, &s.actor, 200)
        .await
        .map_err(t.page())?;
    Ok(render(&IndexPage {
        title: t.t("referrals-received"),
        sent: false,
        lines: lines.into_iter().map(|l| line_view(&t, l, false)).collect(),
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    }))
}

// ---------------------------------------------------------------------------------------
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

fn person_facts(t: &Tr, p: &ReferredPerson) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in &p.shared {
        let (label, value) = match f {
            SharedField::Name => (t.t("field-name"), p.name.clone().unwrap_or_default()),
            SharedField::Alias => (t.t("field-alias"), p.alias.clone().unwrap_or_default()),
            SharedField::Birth => (
                t.t("field-birth"),
                super::persons::birth_text(t, &p.birth_date, p.birth_year),
            ),
            SharedField::Gender => (
                t.t("field-gender"),
                p.gender
                    .map(|g| t.t(&format!("gender-{}", g.as_str())))
                    .unwrap_or_default(),
            ),
            SharedField::Nationalities => (
                t.t("field-nationalities"),
                p.nationalities.clone().unwrap_or_default().join(", "),
            ),
            SharedField::Languages => (
                t.t("field-languages"),
                p.languages.clone().unwrap_or_default().join(", "),
            ),
            SharedField::Phone => (t.t("field-phone"), p.phone.clone().unwrap_or_default()),
        };
        let value = if value.is_empty() {
            t.t("not-recorded")
        } else {
            value
        };
        out.push((label, value));
    }
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

pub async fn sent_show(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    let r = referrals::get_sent(&state.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    let mut facts = vec![
        (t.t("field-to_org"), r.to_org_name.clone()),
        (t.t("field-service_id"), r.service_name.clone()),
        (t.t("field-purpose"), type_label(&t, &r.type_code)),
        (t.t("field-status"), status_label(&t, r.status)),
    ];
    if let Some(res) = r.result {
        facts.push((t.t("field-result"), result_label(&t, res)));
    }
    facts.push((
        t.t("consent-until"),
        format!(
            "{}{}",
            fmt_ts(r.consent.expires_at),
            if r.consent.withdrawn_at.is_some() {
                format!(" · {}", t.t("consent-withdrawn"))
            } else {
                String::new()
            }
        ),
    ));
    facts.push((
        t.t("field-share_residence_status"),
        t.t(if r.consent.share_residence_status {
            "yes"
        } else {
            "no"
        }),
    ));
    if let Some(src) = r.source_type {
        facts.push((t.t("referral-source"), source_label(&t, src)));
    }
    let page = ShowPage {
        id: rid.to_string(),
        sent: true,
        heading: t.t1(
            "referral-heading",
            "name",
            r.person_label
                .clone()
                .unwrap_or_else(|| t.t("person-unnamed")),
        ),
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
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}

pub async fn withdraw(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    referrals::withdraw(&state.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("/staff/referrals/{rid}")))
}

pub async fn received_show(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    let r = referrals::get_received(&state.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    let mut facts = vec![
        (t.t("field-from_org"), r.from_org_name.clone()),
        (t.t("field-service_id"), r.service_name.clone()),
        (t.t("field-purpose"), type_label(&t, &r.type_code)),
        (t.t("field-status"), status_label(&t, r.status)),
    ];
    if let Some(res) = r.result {
        facts.push((t.t("field-result"), result_label(&t, res)));
    }
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
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}

pub async fn accept(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    referrals::accept(&state.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("/staff/referrals/received/{rid}")))
}

fn decline_view(t: &Tr, chrome: Chrome, rid: ReferralId, v: &Typed) -> FormView {
    let mut view = form(
        t.clone(),
        chrome,
        t.t("referral-decline"),
        Vec::new(),
        format!("/staff/referrals/received/{rid}/decline"),
        vec![Field::area(t, "reason", v).hint(t.t("hint-decline-reason"))],
        format!("/staff/referrals/received/{rid}"),
    );
    view.submit = t.t("referral-decline");
    view
}

pub async fn decline_form(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    // Reading the referral checks that it is the organisation's own (audited).
    referrals::get_received(&state.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    Ok(decline_view(&t, chrome, rid, &Typed::default()).respond(StatusCode::OK))
}

pub async fn decline(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let res = referrals::decline(
        &state.ctx,
        &s.actor,
        rid,
        &DeclineInput {
            reason: v.get("reason"),
        },
    )
    .await
    .map(|()| format!("/staff/referrals/received/{rid}"));
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    answer(&t, res, || decline_view(&t, chrome, rid, &v))
}

fn result_view(t: &Tr, chrome: Chrome, rid: ReferralId, v: &Typed) -> FormView {
    let mut view = form(
        t.clone(),
        chrome,
        t.t("referral-record-result"),
        Vec::new(),
        format!("/staff/referrals/received/{rid}/result"),
        vec![Field::select(
            t,
            "result",
            v,
            coded(
                t,
                "referral-result",
                ReferralResult::ALL.iter().map(|r| r.as_str()),
            ),
            true,
        )],
        format!("/staff/referrals/received/{rid}"),
    );
    view.submit = t.t("referral-record-result");
    view
}

pub async fn result_form(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    referrals::get_received(&state.ctx, &s.actor, rid)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    Ok(result_view(&t, chrome, rid, &Typed::default()).respond(StatusCode::OK))
}

pub async fn result(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let rid: ReferralId = parse(&id).map_err(t.page())?;
    let v = Typed(pairs);
    let res = referrals::record_result(
        &state.ctx,
        &s.actor,
        rid,
        &ResultInput {
            result: v.get("result"),
        },
    )
    .await
    .map(|()| format!("/staff/referrals/received/{rid}"));
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    answer(&t, res, || result_view(&t, chrome, rid, &v))
}

// ---------------------------------------------------------------------------------------
// Notifications

pub struct NoteView {
    pub id: String,
    pub href: String,
    pub text: String,
    pub when: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub items: Vec<NoteView>,
    pub unread: bool,
}

/// The message id naming a notification's kind (the notifications page and the e-mail
/// about it say the same words).
pub fn notification_message(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Received => "notification-received",
        NotificationKind::Accepted => "notification-accepted",
        NotificationKind::Declined => "notification-declined",
        NotificationKind::Completed => "notification-completed",
        NotificationKind::Withdrawn => "notification-withdrawn",
    }
}

pub async fn notifications(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let items = referrals::notifications(&state.ctx, &s.actor, 100)
        .await
        .map_err(t.page())?;
    let items: Vec<NoteView> = items
        .into_iter()
        .map(|n| {
            let key = notification_message(n.kind);
            NoteView {
                id: n.id.to_string(),
                href: if n.incoming {
                    format!("/staff/referrals/received/{}", n.referral_id)
                } else {
                    format!("/staff/referrals/{}", n.referral_id)
                },
                text: format!(
                    "{} · {} · {}",
                    t.t(key),
                    type_label(&t, &n.type_code),
                    n.other_org
                ),
                when: fmt_ts(n.created_at),
                read: n.read,
            }
        })
        .collect();
    Ok(render(&NotificationsPage {
        unread: items.iter().any(|n| !n.read),
        items,
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    }))
}

/// Marks one notification read (`id` in the form) or all of them.
pub async fn notifications_read(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let v = Typed(pairs);
    let id = match v.get("id").filter(|x| !x.is_empty()) {
        Some(x) => Some(parse::<NotificationId>(&x).map_err(t.page())?),
        None => None,
    };
    referrals::mark_read(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other("/staff/notifications"))
}

// ---------------------------------------------------------------------------------------
// The network view

pub struct LinkView {
    pub from: String,
    pub to: String,
    pub referrals: String,
    pub accepted: String,
    pub declined: String,
    pub completed: String,
    pub rate: String,
    pub to_accept: String,
    pub to_complete: String,
}

#[derive(Template)]
#[template(path = "network.html")]
pub struct NetworkPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub total: String,
    pub links: Vec<LinkView>,
}

pub async fn network(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let n = referrals::network(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let withheld = t.t("network-withheld");
    let hours = |h: Option<i64>| {
        h.map(|h| super::cases::duration_text(&t, h * 3600))
            .unwrap_or_else(|| withheld.clone())
    };
    let links = n
        .links
        .into_iter()
        .map(|l| LinkView {
            referrals: count_text(&t, l.referrals),
            accepted: count_text(&t, l.accepted),
            declined: count_text(&t, l.declined),
            completed: count_text(&t, l.completed),
            rate: l
                .acceptance_percent
                .map(|p| t.t1("network-percent", "value", p))
                .unwrap_or_else(|| withheld.clone()),
            to_accept: hours(l.median_hours_to_accept),
            to_complete: hours(l.median_hours_to_complete),
            from: l.from_org,
            to: l.to_org,
        })
        .collect();
    Ok(render(&NetworkPage {
        total: count_text(&t, n.referrals),
        links,
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    }))
}

/// A consent on the person page.
pub struct ConsentView {
    pub id: String,
    pub text: String,
    pub valid: bool,
    pub withdrawn: bool,
}

pub fn consent_view(t: &Tr, c: referrals::Consent) -> ConsentView {
    let state = if c.withdrawn_at.is_some() {
        t.t("consent-withdrawn")
    } else if c.valid {
        t.t1("consent-valid-until", "when", fmt_ts(c.expires_at))
    } else {
        t.t("consent-expired")
    };
    ConsentView {
        id: c.id.to_string(),
        text: format!(
            "{} · {} · {}",
            c.to_org_name,
            type_label(t, &c.purpose),
            state
        ),
        valid: c.valid,
        withdrawn: c.withdrawn_at.is_some(),
    }
}

/// Whether to offer "Refer" for a person (used by the person and case pages).
pub fn can_refer(s: &haven_core::users::Session) -> bool {
    s.actor.can(Permission::ReferralSend)
}
