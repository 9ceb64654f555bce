//! The data-flow test of the firewall (issue 15): a canary person with a distinctive name,
//! alias, nationality, residence status and a note with an address, registered, given a
//! case and referred through the normal API, and then every route of the route table
//! (`haven_web::route_table`, as the authorization matrix walks it) called by nobody and
//! by accounts of every organisation kind (`OrgKind::ALL`) holding every role that kind
//! may hold, reads first, then changes. Each answer is searched for the canary:
//!
//! - a police liaison unit sees nothing of it, and no residence status at all;
//! - the receiving organisation of the consented referral may see who the person is and
//!   the referral's reason, but never the note, the address or the status (the consent
//!   does not share it);
//! - every other organisation, and the public, see nothing of it;
//! - a canary reporter's report to the safe-reporting hub reaches the hub's officer only.
//!
//! The e-mail that the referral sends (through the outbox, composed as the mailer writes
//! it) is searched too, and so is everything the server logged meanwhile, at every level
//! (Haven's own events, the web stack's and the database driver's). A new route is walked as soon as it is in the route table, so a
//! route that leaks fails this test.

use crate::helpers::*;
use haven_core::firewall;
use haven_core::ids::OrgId;
use haven_core::orgs::OrgKind;
use haven_core::referrals::{self, ReferInput};
use haven_core::{Actor, Role};
use reqwest::Method;
use serde_json::json;
use std::sync::{Arc, Mutex};

const NAME: &str = "Zephyrine Canaryvogel";
const ALIAS: &str = "Kanariepiet";
const NATIONALITY: &str = "Canarystani";
const STATUS: &str = "dublin_claimant";
const STATUS_LABEL: &str = "Dublin claimant";
const NOTE: &str = "Canary note";
const ADDRESS: &str = "Kanariegracht 17";
/// The referral's reason, written for the receiving organisation.
const REASON: &str = "Canary reason";
/// The canary reporter's account and contact, in a report to the safe-reporting hub: only
/// the hub's officers may read them.
const REPORT: &str = "Canary report of unpaid wages";
const REPORT_CONTACT: &str = "Canary contact via the day centre";

// A second canary report, worked on by a hub of its own and handed to the walk's police
// unit: what happened, the perpetrator and the reporter's name are handed over; the place
// and the contact are not, and the nationality and status are refused (the reporter did
// not choose to include them).
const R_WHAT: &str = "Canary deed at the Zwaluwkwekerij";
const R_PERP: &str = "Kanarie Kwekerij BV";
const R_NAME: &str = "Canary Reporter Zonnebloem";
const R_PLACE: &str = "Canary place Vinkenstraat";
const R_CONTACT: &str = "canary-contact-0699";
const R_NATIONALITY: &str = "Kanariaans";

/// The canary's objects, to fill paths with.
struct Canary {
    person: String,
    case: String,
    consent: String,
    referral: String,
    programme: String,
    user: String,
    org: String,
    /// The canary reporter's report (made once the hub exists).
    report: String,
    /// The handed-over report's protective measure and its hand-over.
    measure: String,
    handover: String,
}

impl Canary {
    /// A route's path with every placeholder filled: the canary's object that the segment
    /// before names, the canary person's id for any other `{id}`.
    fn fill(&self, path: &str) -> String {
        let segs: Vec<&str> = path.split('/').collect();
        let mut out = Vec::new();
        for (i, s) in segs.iter().enumerate() {
            let before = if i > 0 { segs[i - 1] } else { "" };
            let filled = match *s {
                "{id}" => match before {
                    "persons" => self.person.clone(),
                    "cases" => self.case.clone(),
                    "referrals" | "received" => self.referral.clone(),
                    "consents" => self.consent.clone(),
                    "users" => self.user.clone(),
                    "organisations" => self.org.clone(),
                    "programmes" => self.programme.clone(),
                    "reports" => self.report.clone(),
                    "measures" => self.measure.clone(),
                    "handovers" => self.handover.clone(),
                    // Anything else gets the canary person: a new route that takes an
                    // id is tried with the most sensitive one.
                    _ => self.person.clone(),
                },
                "{pid}" | "{gid}" | "{aid}" => uuid::Uuid::now_v7().to_string(),
                "{code}" => "legal_advice".to_owned(),
                "{lang}" => "en".to_owned(),
                "{slug}" => "canary".to_owned(),
                "{kind}" => "service".to_owned(),
                s => s.to_owned(),
            };
            out.push(filled);
        }
        out.join("/")
    }
}

/// What an organisation may see of the canary.
#[derive(Clone, Copy, PartialEq, Debug)]
enum May {
    /// Nothing at all, and no residence status of anyone (a police liaison unit).
    Nothing,
    /// Who the person is, but not the note, the address or the status (the receiver of
    /// the referral, whose consent does not share the status).
    Identity,
    /// Nothing of the canary.
    NotTheCanary,
    /// The police unit the hub handed the second canary report to: exactly the handed-over
    /// fields (what happened, the perpetrator, the reporter's name), nothing else.
    Handed,
}

/// What an answer shows that it may not: the canary values found. (The API documents
/// list every status code as a schema, which is no one's status.)
fn leaks(may: May, body: &str, person: &str, path: &str) -> Vec<&'static str> {
    let may = match may {
        May::Nothing | May::Handed if path.ends_with("/openapi.json") => May::NotTheCanary,
        m => m,
    };
    let mut found = Vec::new();
    let mut forbid = |token: &'static str| {
        if body.contains(token) {
            found.push(token);
        }
    };
    forbid(NOTE);
    forbid(ADDRESS);
    forbid(R_PLACE);
    forbid(R_CONTACT);
    forbid(R_NATIONALITY);
    if may != May::Handed {
        forbid(R_WHAT);
        forbid(R_PERP);
        forbid(R_NAME);
    }
    if may != May::Identity {
        forbid(REASON);
        forbid(NAME);
        forbid(ALIAS);
        forbid(NATIONALITY);
    }
    if matches!(may, May::Nothing | May::Handed) {
        forbid(STATUS);
        forbid(STATUS_LABEL);
    } else if body.contains(person) || body.contains(NAME) {
        // A status is the canary's when it comes with the canary.
        forbid(STATUS);
        forbid(STATUS_LABEL);
    }
    found
}

/// One request as a session (or nobody): the body and the redirect, as text.
async fn call(
    app: &TestApp,
    method: &Method,
    path: &str,
    session: Option<&(String, String)>,
) -> String {
    let r = app.bare_request(method, path, session).await;
    let loc = location(&r);
    format!("{loc}\n{}", r.text().await.unwrap_or_default())
}

/// The canary, registered, given a case and referred through the API by a case manager of
/// an organisation of its own; the receiving organisation is `receiver`.
async fn canary(app: &TestApp, receiver: OrgId) -> Canary {
    let cm = app.user_in("Canary Home", "ngo", &["case_manager"]).await;
    let token = app.token(&cm).await;
    let v = app
        .register(
            &token,
            json!({
                "name": NAME, "alias": ALIAS, "nationalities": [NATIONALITY],
                "residence_status": STATUS, "gender": "female", "birth_year": "1991",
                "notes": format!("{NOTE}: sleeps at {ADDRESS}, Rivierstad"),
            }),
        )
        .await;
    let person = v["id"].as_str().unwrap().to_owned();
    let programme = haven_core::cases::programmes::create(
        &app.ctx,
        &Actor::system(),
        &haven_core::cases::programmes::ProgrammeInput {
            name: Some("Canary programme".into()),
            target_group: Some("Everyone".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
    .to_string();
    let (status, case) = app
        .post(
            &token,
            "/api/v1/cases",
            json!({"person_id": person, "programme_id": programme,
                   "screening_note": format!("{NOTE}: screening at {ADDRESS}")}),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    let service = app.dir_service(receiver, "Canary advice desk").await;
    let (status, consent) = app
        .post(
            &token,
            &format!("/api/v1/persons/{person}/consents"),
            json!({"to_org": receiver.to_string(), "purpose": "legal_advice",
                   "valid_until": app.in_days(60), "share_residence_status": false,
                   "person_agreed": true}),
        )
        .await;
    assert_eq!(status, 201, "{consent}");
    let (status, referral) = app
        .post(
            &token,
            "/api/v1/referrals",
            json!({"consent_id": consent["id"], "service_id": service,
                   "reason": format!("{REASON}: needs advice on residence")}),
        )
        .await;
    assert_eq!(status, 201, "{referral}");
    Canary {
        person,
        case: case["id"].as_str().unwrap().to_owned(),
        consent: consent["id"].as_str().unwrap().to_owned(),
        referral: referral["id"].as_str().unwrap().to_owned(),
        programme,
        user: cm.id.to_string(),
        org: cm.org.to_string(),
        report: String::new(),
        measure: String::new(),
        handover: String::new(),
    }
}

/// The canary reporter: a report made on the public page to the (only) reporting hub.
async fn canary_report(app: &TestApp) -> String {
    let (id, _) = haven_core::hub::submit(
        &app.ctx,
        &haven_core::hub::ReportInput {
            category: Some("labour_exploitation".into()),
            occurred: Some(
                haven_core::Clock::now(app.clock.as_ref())
                    .date()
                    .to_string()[..7]
                    .to_owned(),
            ),
            what: Some(REPORT.into()),
            reporter_role: Some("victim".into()),
            may_contact: Some("yes".into()),
            contact: Some(REPORT_CONTACT.into()),
            language: Some("ti".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    id.to_string()
}

/// The second canary report, recorded by the officer of a hub of its own and handed over to
/// the police unit `police` with some fields; the status and nationality are tried without
/// the reporter's choice and refused. Its measure and hand-over, to fill paths with.
async fn canary_handover(app: &TestApp, police: OrgId) -> (String, String) {
    let officer = app
        .user_in("Canary Hub", "reporting_hub", &["hub_officer"])
        .await;
    let actor = Actor::staff(officer.id, officer.org, vec![Role::HubOfficer]);
    let (report, _code) = haven_core::hub::record(
        &app.ctx,
        &actor,
        &haven_core::hub::ReportInput {
            category: Some("labour_exploitation".into()),
            occurred: Some("2026-11".into()),
            what: Some(R_WHAT.into()),
            place: Some(R_PLACE.into()),
            reporter_role: Some("victim".into()),
            may_contact: Some("yes".into()),
            contact: Some(R_CONTACT.into()),
            language: Some("en".into()),
            ..Default::default()
        },
        &Some("in_person".to_owned()),
    )
    .await
    .unwrap();
    let token = app.token(&officer).await;
    let base = format!("/api/v1/hub/reports/{report}");
    let post = |path: String, body: serde_json::Value| {
        let token = token.clone();
        async move { app.post(&token, &path, body).await }
    };
    let (s, v) = post(format!("{base}/perpetrators"), json!({"name": R_PERP})).await;
    assert_eq!(s, 201, "{v}");
    let measure =
        json!({"measure": "permit_trafficking", "state": "explored", "day": "2026-12-01"});
    let (s, v) = post(format!("{base}/measures"), measure).await;
    assert_eq!(s, 201, "{v}");
    let measure = v["actions"][0]["id"].as_str().unwrap().to_owned();
    let consent = json!({"police_org": police.to_string(), "given_how": "in_person",
                         "given_on": "2026-12-02"});
    let (s, v) = post(format!("{base}/handover-consents"), consent).await;
    assert_eq!(s, 201, "{v}");
    for refused in [
        json!({"fields": ["what", "residence_status"], "residence_status": STATUS}),
        json!({"fields": ["what", "nationality"], "nationality": R_NATIONALITY}),
    ] {
        let (s, v) = post(format!("{base}/handovers"), refused).await;
        assert_eq!(s, 422, "{v}");
    }
    let handed = json!({"fields": ["what", "perpetrators", "reporter_name", "category"],
                        "reporter_name": R_NAME});
    let (s, v) = post(format!("{base}/handovers"), handed).await;
    assert_eq!(s, 201, "{v}");
    let handover: String = app
        .scalar("SELECT id FROM hub_handovers WHERE report_id = $1", report)
        .await;
    (measure, handover)
}

/// The canary reporter's words in an answer to anyone but the hub's officer.
fn report_leaks(label: &str, body: &str) -> bool {
    label != "reporting_hub hub_officer" && (body.contains(REPORT) || body.contains(REPORT_CONTACT))
}

/// Accounts of every organisation kind: one account per role where the kind's rules say
/// something particular (the police liaison unit, the policy unit, the reporting hub, the
/// receiving organisation), one account holding every role the kind may hold for the
/// other kinds (each sees whatever any of its roles would). Each with what it may see.
async fn walkers(app: &TestApp, receiver_name: &str) -> Vec<(String, TestUser, May)> {
    let mut out = Vec::new();
    for kind in OrgKind::ALL {
        let roles: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| firewall::rules(kind).roles.allows(*r))
            .collect();
        let (org, may, one_by_one) = match kind {
            OrgKind::PoliceLiaison => ("Flow Police Unit".to_owned(), May::Handed, true),
            OrgKind::PolicyUnit | OrgKind::ReportingHub => {
                (format!("Flow {}", kind.as_str()), May::NotTheCanary, true)
            }
            OrgKind::LegalAid => (receiver_name.to_owned(), May::Identity, true),
            _ => (format!("Flow {}", kind.as_str()), May::NotTheCanary, false),
        };
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        if one_by_one {
            for r in &names {
                let u = app.user_in(&org, kind.as_str(), &[r]).await;
                out.push((format!("{} {r}", kind.as_str()), u, may));
            }
        } else {
            let u = app.user_in(&org, kind.as_str(), &names).await;
            out.push((format!("{} (every role)", kind.as_str()), u, may));
        }
    }
    // A police unit the canary report was not handed to sees nothing of it.
    let u = app
        .user_in(
            "Flow Other Police Unit",
            "police_liaison",
            &["police_liaison"],
        )
        .await;
    out.push(("another police unit".to_owned(), u, May::Nothing));
    out
}

/// What the server logs, kept for the test to read. The test's runtime runs on one thread,
/// so a subscriber set as that thread's default sees every request the server handles.
#[derive(Clone, Default)]
struct Logged(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logged {
    type Writer = Logged;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn the_canary_reaches_only_whom_the_rules_allow_on_every_route() {
    let logged = Logged::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "haven=trace,haven_web=trace,haven_core=trace,axum=trace,tower_http=trace,sqlx=trace",
        ))
        .with_writer(logged.clone())
        .with_ansi(false)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let app = TestApp::spawn().await;
    let receiver_name = "Flow Receiving Legal Aid";
    let receiver = app.org(receiver_name, "legal_aid").await;
    let police = app.org("Flow Police Unit", "police_liaison").await;
    let mut c = canary(&app, receiver).await;
    let walkers = walkers(&app, receiver_name).await;
    c.report = canary_report(&app).await;
    // After the walk's hub exists, so that the public report above goes to that one.
    (c.measure, c.handover) = canary_handover(&app, police).await;
    let mut sessions = Vec::new();
    for (label, u, may) in &walkers {
        let web = app.session(u, "web").await;
        let api = app.session(u, "api").await;
        sessions.push((label.as_str(), web, api, *may));
    }
    let routes = haven_web::route_table();
    let mut failures = Vec::new();
    let mut calls = 0;
    // Reads first, so that no change made by a walker hides what a read would show.
    for reads in [true, false] {
        for (spec, _) in &routes {
            if (spec.method == Method::GET) != reads {
                continue;
            }
            let path = c.fill(spec.path);
            let body = call(&app, &spec.method, &path, None).await;
            for leak in leaks(May::NotTheCanary, &body, &c.person, &path) {
                failures.push(format!("{} {path} as nobody shows {leak}", spec.method));
            }
            if report_leaks("nobody", &body) {
                failures.push(format!("{} {path} as nobody shows the report", spec.method));
            }
            for (label, web, api, may) in &sessions {
                let session = if path.starts_with("/api/") { api } else { web };
                let body = call(&app, &spec.method, &path, Some(session)).await;
                calls += 1;
                for leak in leaks(*may, &body, &c.person, &path) {
                    failures.push(format!("{} {path} as {label} shows {leak}", spec.method));
                }
                if report_leaks(label, &body) {
                    failures.push(format!(
                        "{} {path} as {label} shows the report",
                        spec.method
                    ));
                }
            }
        }
    }
    assert!(calls > 1000, "the walk made only {calls} calls");
    assert!(
        failures.is_empty(),
        "the canary leaked:\n{}",
        failures.join("\n")
    );
    // Nothing of the canary in any log line. The capture works: the server's connections
    // are there and, on PostgreSQL, the driver's statements (SQLite runs its statements on
    // a thread of its own, which a thread's default subscriber does not see).
    let log = String::from_utf8_lossy(&logged.0.lock().unwrap()).into_owned();
    assert!(log.contains("accepted"), "the log was not captured");
    if app.is_postgres() {
        assert!(
            log.contains("INSERT INTO persons"),
            "the statements were not captured"
        );
    }
    for secret in [
        NAME,
        ALIAS,
        NATIONALITY,
        NOTE,
        ADDRESS,
        REASON,
        REPORT,
        R_WHAT,
        R_PERP,
        R_NAME,
        R_PLACE,
        R_CONTACT,
        R_NATIONALITY,
    ] {
        assert!(!log.contains(secret), "the server logged `{secret}`");
    }
    // The hub's officer did read the canary report: the walk reached it.
    let officer = walkers
        .iter()
        .find(|(l, _, _)| l == "reporting_hub hub_officer")
        .map(|(_, u, _)| u)
        .unwrap();
    let token = app.token(officer).await;
    let (status, v) = app
        .get(&token, &format!("/api/v1/hub/reports/{}", c.report))
        .await;
    assert_eq!(status, 200, "{v}");
    assert!(v.to_string().contains(REPORT), "{v}");
    // The receiving organisation did see who was referred: the walk reached the data.
    let partner = walkers
        .iter()
        .find(|(l, _, _)| l == "legal_aid partner_staff")
        .map(|(_, u, _)| u)
        .unwrap();
    let token = app.token(partner).await;
    let (status, v) = app
        .get(
            &token,
            &format!("/api/v1/referrals/received/{}/person", c.referral),
        )
        .await;
    if status == 200 {
        assert!(v.to_string().contains(NAME), "{v}");
    }
    // The police unit did see exactly what was handed over: the walk reached it.
    let unit = walkers
        .iter()
        .find(|(_, _, may)| *may == May::Handed)
        .map(|(_, u, _)| u)
        .unwrap();
    let token = app.token(unit).await;
    let (status, v) = app
        .get(&token, &format!("/api/v1/police/handovers/{}", c.handover))
        .await;
    assert_eq!(status, 200, "{v}");
    let text = v.to_string();
    for handed in [R_WHAT, R_PERP, R_NAME] {
        assert!(text.contains(handed), "{handed} not in {text}");
    }
    assert_eq!(v["fields"].as_array().unwrap().len(), 4, "{v}");
}

#[tokio::test]
async fn the_e_mail_about_the_canary_names_nothing_of_it() {
    let app = TestApp::spawn().await;
    let receiver = app
        .user_in("Mail Receiver", "legal_aid", &["partner_staff"])
        .await;
    app.exec(
        "UPDATE users SET email = 'receiver@example.org' WHERE id = $1",
        &[&receiver.id.to_string()],
    )
    .await;
    let cm = app.user_in("Mail Home", "ngo", &["case_manager"]).await;
    let token = app.token(&cm).await;
    let v = app
        .register(
            &token,
            json!({"name": NAME, "alias": ALIAS, "nationalities": [NATIONALITY],
                   "residence_status": STATUS, "notes": format!("{NOTE}: {ADDRESS}")}),
        )
        .await;
    let person = v["id"].as_str().unwrap().to_owned();
    let (ctx, kept) = app.keeping_mail();
    let actor = Actor::staff(cm.id, cm.org, vec![Role::CaseManager]);
    let service = app.dir_service(receiver.org, "Mail desk").await;
    let consent = referrals::record_consent(
        &ctx,
        &actor,
        person.parse().unwrap(),
        &app.consent_input(receiver.org, "legal_advice", 30, true),
    )
    .await
    .unwrap();
    referrals::refer(
        &ctx,
        &actor,
        &ReferInput {
            consent_id: Some(consent.id.to_string()),
            service_id: Some(service),
            reason: Some(format!("{NOTE} at {ADDRESS}")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mails = kept.mailings();
    assert_eq!(mails.len(), 1, "the receiver is told");
    let i18n = Arc::new(haven_web::i18n::I18n::load().unwrap());
    for m in &mails {
        let (subject, body) = haven::mail::compose(
            &i18n,
            Some("https://haven.example.org/staff/notifications"),
            m,
        );
        let text = format!("{subject}\n{body}");
        assert!(
            leaks(May::Nothing, &text, &person, "mail").is_empty(),
            "{text}"
        );
        assert!(!text.contains(&person) && !text.contains(&consent.id.to_string()));
    }
}
