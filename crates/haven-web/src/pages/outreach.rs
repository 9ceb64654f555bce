//! The outreach app and the team lead's page.
//!
//! The app is one page (the shell) plus a few hand-written JavaScript modules, a service
//! worker, a manifest and a stylesheet, all served from `/outreach/` so that the service
//! worker's scope is the app. The shell holds no personal data and no session secret: the
//! app asks `/api/v1/outreach/session` for those, so a cached shell is safe to keep. The
//! static files are public (they hold nothing but code and are needed to start offline).

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use haven_core::outreach;

use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{render, Chrome};
use crate::AppState;

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

const APP_JS: &str = include_str!("../../static/outreach/app.js");
const STORE_JS: &str = include_str!("../../static/outreach/store.js");
const SW_JS: &str = include_str!("../../static/outreach/sw.js");
const CSS: &str = include_str!("../../static/outreach/outreach.css");
const MANIFEST: &str = include_str!("../../static/outreach/manifest.webmanifest");
const ICON: &str = include_str!("../../static/outreach/icon.svg");

/// A static file of the app, revalidated by ETag (the service worker keeps its own copy).
fn asset(headers: &HeaderMap, body: &'static str, content_type: &'static str) -> Response {
    let etag = format!("\"{}-{}\"", env!("CARGO_PKG_VERSION"), body.len());
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

pub async fn app_js(h: HeaderMap) -> Response {
    asset(&h, APP_JS, "text/javascript; charset=utf-8")
}
pub async fn store_js(h: HeaderMap) -> Response {
    asset(&h, STORE_JS, "text/javascript; charset=utf-8")
}
pub async fn service_worker(h: HeaderMap) -> Response {
    asset(&h, SW_JS, "text/javascript; charset=utf-8")
}
pub async fn stylesheet(h: HeaderMap) -> Response {
    asset(&h, CSS, "text/css; charset=utf-8")
}
pub async fn manifest(h: HeaderMap) -> Response {
    asset(&h, MANIFEST, "application/manifest+json")
}
pub async fn icon(h: HeaderMap) -> Response {
    asset(&h, ICON, "image/svg+xml")
}

pub struct WeekRow {
    pub week: String,
    pub area: String,
    pub contacts: i64,
    pub people: i64,
}

pub struct FollowRow {
    pub when: String,
    pub area: String,
    pub people: i64,
}

pub struct ReferralRow {
    pub name: String,
    pub referrals: i64,
}

#[derive(Template)]
#[template(path = "outreach_team.html")]
pub struct TeamPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub weeks: Vec<WeekRow>,
    pub followups: Vec<FollowRow>,
    pub year: i32,
    pub contacts: i64,
    pub counselling: i64,
    pub people: i64,
    pub referrals: Vec<ReferralRow>,
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
pub async fn team(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let v = outreach::team(&state.ctx, &s.actor, 12)
        .await
        .map_err(t.page())?;
    let page = TeamPage {
        weeks: v
            .weeks
            .into_iter()
            .map(|w| WeekRow {
                week: w.week,
                area: w.area,
                contacts: w.contacts,
                people: w.people,
            })
            .collect(),
        followups: v
            .followups
            .into_iter()
            .map(|f| FollowRow {
                when: when(f.followup_at),
                area: f.area,
                people: f.people,
            })
            .collect(),
        year: v.year,
        contacts: v.contacts_this_year,
        counselling: v.counselling_this_year,
        people: v.people_this_year,
        referrals: v
            .referrals
            .into_iter()
            .map(|r| ReferralRow {
                name: r.name,
                referrals: r.referrals,
            })
            .collect(),
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}
