//! The outreach app and the team lead's page.
//!
//! The app is one page (the shell) plus a few hand-written JavaScript modules, a service
//! worker, a manifest and a stylesheet, all served from `/outreach/` so that the service
//! worker's scope is the app. The shell holds no personal data and no session secret: the
//! app asks `/api/v1/outreach/session` for those, so a cached shell is safe to keep. The
//! static files are public (they hold nothing but code and are needed to start offline).

use askama::Template;
use axum::extract::{OriginalUri, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::outreach::{self, ReferLineInput};
use serde::Deserialize;

use super::forms::{answer, Field, FormView, Typed};
use super::referrals::{result_label, status_label, type_label};
use super::stats::count_text;
use crate::auth::Staff;
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, static_file, Cell, Chrome, Report};

/// The messages the app's scripts show, passed to them as a JSON data block.
const SCRIPT_MESSAGES: &[&str] = &[
    "outreach-all-sent",
    "outreach-offline",
    "outreach-sending",
    "outreach-signin",
    "outreach-saved",
    "outreach-state-queued",
    "outreach-state-sent",
    "outreach-state-conflict",
    "outreach-resend-new",
    "outreach-discard",
    "outreach-edit",
    "outreach-anonymous",
    "outreach-person",
    "outreach-remove-person",
    "outreach-find-none",
    "outreach-find-offline",
    "outreach-registered",
    "outreach-none-recorded",
    "outreach-no-config",
    "outreach-errors",
    "outreach-register",
    "outreach-consent",
    "outreach-name",
    "outreach-programme",
    "outreach-programme-none",
    "outreach-thread-heading",
    "outreach-new-with-alias",
    "outreach-editing",
    "outreach-storage-failed",
    "outreach-activity-contacted",
    "outreach-activity-informed",
    "outreach-activity-referred",
    "outreach-decision-not_considering",
    "outreach-decision-exploring",
    "outreach-decision-decided",
    "outreach-topics",
    "outreach-decision",
    "outreach-project",
    "outreach-registered-already",
    "outreach-referral-lines",
    "err-internal",
];

/// Messages with a `$count`, sent as one text per plural category.
const COUNTED: &[&str] = &["outreach-pending", "outreach-sign-out-confirm"];

/// The text of a counted message for each CLDR plural category, with `{count}` where the
/// number goes: rendered with a number of each category and the number put back as a
/// placeholder. The script picks the form with `Intl.PluralRules`.
fn plural_forms(t: &Tr, id: &str) -> serde_json::Value {
    let mut forms = serde_json::Map::new();
    for (category, n) in [
        ("zero", 0),
        ("one", 1),
        ("two", 2),
        ("few", 3),
        ("many", 11),
        ("other", 100),
    ] {
        let text = t.t1(id, "count", n).replace(&n.to_string(), "{count}");
        forms.insert(category.to_owned(), serde_json::Value::String(text));
    }
    serde_json::Value::Object(forms)
}

#[derive(Template)]
#[template(path = "outreach_app.html")]
pub struct AppShell {
    pub t: Tr,
    pub messages: String,
    pub genders: Vec<(&'static str, String)>,
    pub decisions: Vec<(&'static str, String)>,
    pub activities: Vec<(&'static str, String)>,
}

/// The app's shell: the same for every user of a language; no data in it.
pub async fn app(t: Tr, Staff(_s): Staff) -> Response {
    let mut msgs = serde_json::Map::new();
    for id in SCRIPT_MESSAGES {
        msgs.insert((*id).to_owned(), serde_json::Value::String(t.t(id)));
    }
    for id in COUNTED {
        msgs.insert((*id).to_owned(), plural_forms(&t, id));
    }
    // A `</script>` in a translation must not end the data block.
    let messages = serde_json::Value::Object(msgs)
        .to_string()
        .replace('<', "\\u003c");
    let genders = haven_core::people::Gender::ALL
        .iter()
        .map(|g| (g.as_str(), t.t(&format!("gender-{}", g.as_str()))))
        .collect();
    let decisions = outreach::DECISIONS
        .iter()
        .map(|d| (*d, t.t(&format!("outreach-decision-{d}"))))
        .collect();
    let activities = outreach::ACTIVITIES
        .iter()
        .map(|a| (*a, t.t(&format!("outreach-activity-{a}"))))
        .collect();
    let mut res = render(&AppShell {
        t,
        messages,
        genders,
        decisions,
        activities,
    });
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    res
}

const JS: &str = "text/javascript; charset=utf-8";

/// The app's static files: path, content and type. The service worker keeps its own
/// copy; the browser revalidates by ETag.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "/outreach/app.js",
        include_str!("../../static/outreach/app.js"),
        JS,
    ),
    (
        "/outreach/store.js",
        include_str!("../../static/outreach/store.js"),
        JS,
    ),
    (
        "/outreach/sw.js",
        include_str!("../../static/outreach/sw.js"),
        JS,
    ),
    (
        "/outreach/outreach.css",
        include_str!("../../static/outreach/outreach.css"),
        "text/css; charset=utf-8",
    ),
    (
        "/outreach/manifest.webmanifest",
        include_str!("../../static/outreach/manifest.webmanifest"),
        "application/manifest+json",
    ),
    (
        "/outreach/icon.svg",
        include_str!("../../static/outreach/icon.svg"),
        "image/svg+xml",
    ),
];

/// A static file of the app, by its path (the route table names each one).
pub async fn asset(OriginalUri(uri): OriginalUri, headers: HeaderMap) -> Response {
    match ASSETS.iter().find(|(path, _, _)| *path == uri.path()) {
        Some(&(_, body, content_type)) => {
            static_file(&headers, ("", body), content_type, "no-cache")
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Template)]
#[template(path = "outreach_team.html")]
pub struct TeamPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub year: i32,
    pub contacts: i64,
    pub counselling: i64,
    pub people: i64,
    pub followups: Report,
    pub weeks: Report,
    pub referrals: Report,
    /// What became of the referrals; shown with them.
    pub outcomes: Report,
}

fn when(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|d| {
            format!(
                "{} {:02}:{:02}",
                d.date(),
                d.time().hour(),
                d.time().minute()
            )
        })
        .unwrap_or_default()
}

/// The team lead's page: the same figures as `GET /api/v1/outreach/team`.
pub async fn team(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let v = outreach::team(&app.ctx, &s.actor, 12)
        .await
        .map_err(t.page())?;
    let followups = Report::new(
        "h-followups",
        t.t("outreach-followups"),
        t.t("outreach-followups-none"),
        vec!["outreach-followup-at", "outreach-area", "outreach-people"],
    )
    .rows(v.followups.into_iter().map(|f| {
        let href = format!("/staff/outreach/contacts/{}", query_safe(&f.contact_id));
        vec![
            Cell::figure(when(f.followup_at)).link(href),
            Cell::name(f.area),
            Cell::figure(f.people),
        ]
    }));
    let weeks = Report::new(
        "h-weeks",
        t.t("outreach-team-weeks"),
        t.t("outreach-none-weeks"),
        vec![
            "outreach-week",
            "outreach-area",
            "outreach-contacts",
            "outreach-people",
        ],
    )
    .rows(v.weeks.into_iter().map(|w| {
        vec![
            Cell::figure(w.week),
            Cell::name(w.area),
            Cell::figure(w.contacts),
            Cell::figure(w.people),
        ]
    }));
    let c = |n| Cell::figure(count_text(&t, n));
    let referrals = Report::new(
        "h-referrals",
        t.t("outreach-referrals-made"),
        t.t("outreach-referrals-none"),
        vec![
            "outreach-referral-target",
            "outreach-referrals-count",
            "outreach-line-signposted",
            "outreach-line-referred",
        ],
    )
    .rows(v.referrals.iter().map(|r| {
        vec![
            Cell::name(r.name.clone()),
            c(r.referrals),
            c(r.signposted),
            c(r.referred_with_consent),
        ]
    }));
    let mut outcomes = Report::new(
        "h-outcomes",
        t.t("outreach-outcomes"),
        String::new(),
        vec![
            "outreach-referral-target",
            "outreach-line-referred",
            "outreach-col-accepted",
            "outreach-col-declined",
            "outreach-col-helped",
            "outreach-col-no_show",
            "outreach-col-not_eligible",
            "outreach-col-referred_on",
        ],
    )
    .rows(v.referrals.into_iter().map(|r| {
        vec![
            Cell::name(r.name),
            c(r.referred_with_consent),
            c(r.accepted),
            c(r.declined),
            c(r.helped),
            c(r.no_show),
            c(r.not_eligible),
            c(r.referred_on),
        ]
    }));
    outcomes.intro = t.t("outreach-outcomes-intro");
    let page = TeamPage {
        year: v.year,
        contacts: v.contacts_this_year,
        counselling: v.counselling_this_year,
        people: v.people_this_year,
        followups,
        weeks,
        referrals,
        outcomes,
        chrome,
        t,
    };
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------
// A contact's referral lines, and a consented referral from one

pub struct LineRow {
    pub person: String,
    pub person_href: String,
    pub target: String,
    /// "Signposted" or "Referred with consent".
    pub kind: String,
    pub status: String,
    pub referral_href: String,
    pub refer_href: String,
    /// Why no consented referral can be made from this line, when none was made.
    pub note: String,
}

#[derive(Template)]
#[template(path = "outreach_contact.html")]
pub struct ContactPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub heading: String,
    pub rows: Vec<LineRow>,
}

fn line_row(t: &Tr, contact: &str, l: outreach::ReferralLineState) -> LineRow {
    use outreach::LineKind;
    let person = t.t1("outreach-person-n", "n", l.ordinal + 1);
    let person = match &l.person_id {
        Some(_) => format!("{person} · {}", t.t("outreach-line-registered")),
        None => format!("{person} · {}", t.t("outreach-anonymous")),
    };
    let status = match &l.referral {
        Some(r) => match r.result {
            Some(res) => format!("{} · {}", status_label(t, r.status), result_label(t, res)),
            None => status_label(t, r.status),
        },
        None => String::new(),
    };
    let note = if l.referral.is_some() || l.can_refer {
        String::new()
    } else if l.person_id.is_none() {
        t.t("outreach-line-anonymous-note")
    } else if l.target_kind != "service" {
        t.t("outreach-line-org-note")
    } else {
        t.t("err-outreach-not-network")
    };
    LineRow {
        person_href: l
            .person_id
            .as_ref()
            .map(|p| format!("/staff/persons/{p}"))
            .unwrap_or_default(),
        person,
        target: l.target_name,
        kind: t.t(match l.kind {
            LineKind::Signposted => "outreach-line-signposted",
            LineKind::ReferredWithConsent => "outreach-line-referred",
        }),
        status,
        referral_href: l
            .referral
            .as_ref()
            .map(|r| format!("/staff/referrals/{}", r.id))
            .unwrap_or_default(),
        refer_href: if l.can_refer {
            format!(
                "/staff/outreach/contacts/{contact}/refer?ordinal={}&service={}",
                l.ordinal,
                query_safe(&l.target_id)
            )
        } else {
            String::new()
        },
        note,
    }
}

/// Only what an id may contain travels into a link.
fn query_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect()
}

/// An outreach contact's referral lines: signposted or referred with consent, the
/// referral's status, and "Refer with consent" where a registered person's line allows it.
pub async fn contact(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<String>) -> PageResult {
    let c = outreach::lines(&app.ctx, &s.actor, &id)
        .await
        .map_err(t.page())?;
    let page = ContactPage {
        heading: format!(
            "{} · {} · {}",
            t.t("outreach-contact"),
            when(c.contact_at),
            c.area
        ),
        rows: c
            .lines
            .into_iter()
            .map(|l| line_row(&t, &c.contact_id, l))
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct LineQuery {
    #[serde(default)]
    ordinal: String,
    #[serde(default)]
    service: String,
}

fn refer_view(
    t: &Tr,
    chrome: Chrome,
    id: &str,
    v: &Typed,
    o: Option<&outreach::ReferLineOptions>,
) -> FormView {
    let mut fields = vec![
        Field::hidden("ordinal", v.value("ordinal")),
        Field::hidden("service_id", v.value("service_id")),
    ];
    let mut context = Vec::new();
    if let Some(o) = o {
        context.push((t.t("field-to_org"), o.to_org_name.clone()));
        context.push((t.t("field-service_id"), o.service_name.clone()));
        let purposes = o
            .types
            .iter()
            .map(|ty| (ty.code.clone(), type_label(t, &ty.code)))
            .collect();
        fields.push(Field::select(t, "purpose", v, purposes, true).hint(t.t("hint-purpose")));
    }
    fields.extend([
        Field::date(t, "valid_until", v),
        Field::checkbox(t, "share_residence_status", v),
        Field::checkbox(t, "person_agreed", v),
        Field::area(t, "reason", v).hint(t.t("hint-referral-reason")),
    ]);
    let contact = format!("/staff/outreach/contacts/{id}");
    let title = t.t("outreach-refer-title");
    FormView::new(
        t,
        chrome,
        title,
        format!("{contact}/refer"),
        fields,
        contact,
    )
    .context(context)
    .intro(t.t("outreach-refer-intro"))
    .submit(t.t("referral-send"))
}

/// The form that turns a registered person's line into a consented referral.
pub async fn refer_form(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<String>,
    Query(q): Query<LineQuery>,
) -> PageResult {
    let ordinal: i64 = q
        .ordinal
        .trim()
        .parse()
        .map_err(|_| t.page()(haven_core::Error::invalid("ordinal", "err-required")))?;
    let o = outreach::refer_line_options(&app.ctx, &s.actor, &id, ordinal, q.service.trim())
        .await
        .map_err(t.page())?;
    let v = Typed::default()
        .with("ordinal", ordinal.to_string())
        .with("service_id", o.line.target_id.clone());
    Ok(refer_view(&t, chrome, &o.contact_id, &v, Some(&o)).respond(StatusCode::OK))
}

pub async fn refer_create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<String>,
    Form(v): Form<Typed>,
) -> PageResult {
    // The ordinal is a hidden field of ours: one that is not a number names no line.
    let ordinal = v.value("ordinal").trim().parse::<i64>().ok();
    let input = ReferLineInput {
        ordinal,
        ..v.without("ordinal").input().map_err(t.page())?
    };
    let res = outreach::refer_line(&app.ctx, &s.actor, &id, &input)
        .await
        .map(|_| format!("/staff/outreach/contacts/{}", query_safe(&id)));
    let o = match (&res, ordinal) {
        (Err(haven_core::Error::Invalid(_)), Some(n)) => {
            outreach::refer_line_options(&app.ctx, &s.actor, &id, n, v.value("service_id").trim())
                .await
                .ok()
        }
        _ => None,
    };
    let id = query_safe(&id);
    answer(&t, res, || refer_view(&t, chrome, &id, &v, o.as_ref()))
}
