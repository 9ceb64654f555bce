//! The authorization matrix: every route in the route table × every role (and nobody),
//! with objects of the caller's own organisation and of another one.
//!
//! The expected answer is derived from the route's access rule and the permission table,
//! and checked. The full matrix is also compared with the committed `authz_matrix.txt`, so
//! a new route, or a changed answer, fails the suite until the file is updated
//! (`UPDATE_SNAPSHOTS=1`) and the change reviewed.

use crate::helpers::*;
use haven_core::ids::{ExtensionId, PlacementId, WaitingId};
use haven_core::Role;
use haven_web::Access;
use reqwest::Method;

struct Objects {
    own_person: String,
    /// A person of the own organisation for the route that erases one, so that erasing
    /// does not change what every later route finds of `own_person`.
    erasable_person: String,
    other_person: String,
    org: String,
    victim_user: String,
    own_case: String,
    other_case: String,
    programme: String,
    /// A procedure, goal and appointment of the own case.
    case_items: [(&'static str, String); 3],
    /// Shelter routes: a path fragment with `{id}` and the own organisation's object.
    shelter_items: Vec<(&'static str, String)>,
    /// Referral routes, likewise: a referral received by the own organisation (from the
    /// other one), one it sent, and the consent it recorded for that.
    referral_items: Vec<(&'static str, String)>,
    /// A story of the public site with English text.
    content: String,
    /// An outreach contact of the own organisation.
    outreach_contact: String,
    /// Directory routes: a service of the own organisation with a draft waiting.
    dir_service: String,
    /// Hub routes: a report of a reporting hub, a measure on it, and its hand-over to the
    /// own police liaison unit.
    hub_report: String,
    hub_measure: String,
    handover: String,
}

fn fill(path: &str, o: &Objects, variant: &str) -> String {
    let mut path = path.to_owned();
    for (fragment, id) in o.shelter_items.iter().chain(&o.referral_items) {
        path = path.replace(fragment, &fragment.replace("{id}", id));
    }
    for (name, id) in &o.case_items {
        path = path.replace(name, id);
    }
    if path.contains("/directory/") {
        return path
            .replace("{kind}", "service")
            .replace("{id}", &o.dir_service);
    }
    let (case, person) = if variant == "other" {
        (&o.other_case, &o.other_person)
    } else {
        (&o.own_case, &o.own_person)
    };
    // The first fragment the path contains names its object.
    let ids: [(&str, &str); 11] = [
        ("/hub/reports/{id}", &o.hub_report),
        ("/hub/measures/{id}", &o.hub_measure),
        ("/police/handovers/{id}", &o.handover),
        ("/cases/{id}", case),
        ("/content/{id}", &o.content),
        ("/programmes/{id}", &o.programme),
        ("/outreach/contacts/{id}", &o.outreach_contact),
        ("/persons/", person),
        ("/organisations/", &o.org),
        ("/users/", &o.victim_user),
        // Any report id: every caller is refused before a report is looked up (below).
        ("/hub/reports/", "0190a8c0-0000-7000-8000-000000000001"),
    ];
    let id = ids
        .iter()
        .find(|(fragment, _)| path.contains(fragment))
        .map_or("", |(_, id)| id);
    path.replace("{id}", id)
        .replace("{code}", "legal_advice")
        .replace("{lang}", "en")
        .replace("{slug}", "matrix")
}

async fn call(
    app: &TestApp,
    method: &Method,
    path: &str,
    session: Option<&(String, String)>,
) -> (u16, String) {
    let r = app.bare_request(method, path, session).await;
    (r.status().as_u16(), location(&r))
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_permission_table_says() {
    let app = TestApp::spawn().await;
    let mut users = Vec::new();
    for role in Role::ALL {
        let u = if role == Role::PoliceLiaison {
            // A police liaison account exists only in a police liaison unit (`firewall`).
            app.user_in("Own Police Unit", "police_liaison", &[role.as_str()])
                .await
        } else {
            app.user("Own Org", &[role.as_str()]).await
        };
        users.push((role, u));
    }
    let other = app.user("Other Org", &["case_manager"]).await;
    let victim = app.user("Own Org", &["partner_staff"]).await;
    let own_cm = &users
        .iter()
        .find(|(r, _)| *r == Role::CaseManager)
        .unwrap()
        .1;
    let mk = |u: &TestUser| haven_core::Actor::staff(u.id, u.org, vec![Role::CaseManager]);
    let input = haven_core::people::PersonInput {
        name: Some("Matrix Person".into()),
        ..Default::default()
    };
    let own_person = haven_core::people::register(&app.ctx, &mk(own_cm), &input)
        .await
        .unwrap();
    let other_person = haven_core::people::register(&app.ctx, &mk(&other), &input)
        .await
        .unwrap();
    let erasable_person = haven_core::people::register(&app.ctx, &mk(own_cm), &input)
        .await
        .unwrap();
    let (own_case, other_case, programme, case_items) = casework_objects(
        &app,
        &mk(own_cm),
        &mk(&other),
        own_person.id,
        other_person.id,
    )
    .await;
    let shelter_items = shelter_objects(&app, own_cm.org, &own_case, own_person.id).await;
    let referral_items = referral_objects(
        &app,
        &mk(own_cm),
        &mk(&other),
        own_person.id,
        other_person.id,
    )
    .await;
    let outreach_contact = uuid::Uuid::now_v7().to_string();
    let stored = haven_core::outreach::sync(
        &app.ctx,
        &haven_core::Actor::staff(own_cm.id, own_cm.org, vec![Role::OutreachWorker]),
        &[haven_core::outreach::SyncRecord {
            id: outreach_contact.clone(),
            base_version: 0,
            contact: haven_core::outreach::ContactInput {
                contact_at: Some(haven_core::Clock::now_ts(app.clock.as_ref())),
                area: Some("city_park".into()),
                ..Default::default()
            },
        }],
    )
    .await
    .unwrap();
    assert_eq!(stored[0].status, haven_core::outreach::SyncStatus::Stored);
    let police = &users
        .iter()
        .find(|(r, _)| *r == Role::PoliceLiaison)
        .unwrap()
        .1;
    let hub_officer = app
        .user_in("Matrix Hub", "reporting_hub", &["hub_officer"])
        .await;
    let (hub_report, hub_measure, handover) =
        crate::hub_work::handed_over(&app, &hub_officer, police.org, "Matrix report", &["what"])
            .await;
    let objects = Objects {
        own_person: own_person.id.to_string(),
        erasable_person: erasable_person.id.to_string(),
        other_person: other_person.id.to_string(),
        org: own_cm.org.to_string(),
        victim_user: victim.id.to_string(),
        own_case,
        other_case,
        programme,
        case_items,
        shelter_items,
        referral_items,
        content: content_object(&app).await,
        outreach_contact,
        dir_service: directory_objects(&app, own_cm.org).await,
        hub_report,
        hub_measure,
        handover,
    };

    let mut lines = Vec::new();
    let mut failures = Vec::new();
    for (spec, _) in haven_web::route_table() {
        let variants: &[&str] =
            if spec.path.contains("/persons/{id}") || spec.path.contains("/cases/{id}") {
                &["own", "other"]
            } else {
                &["-"]
            };
        for variant in variants {
            let mut path = fill(spec.path, &objects, variant);
            if spec.method.as_str() == "DELETE" && spec.path == "/api/v1/persons/{id}" {
                path = path.replace(&objects.own_person, &objects.erasable_person);
            }
            let api = spec.path.starts_with("/api/");
            let mut cells = Vec::new();
            // Nobody signed in.
            let (status, loc) = call(&app, &spec.method, &path, None).await;
            cells.push(format!("anon={status}"));
            if spec.access != Access::Public {
                let ok = if api {
                    status == 401
                } else {
                    status == 303 && loc == "/staff/login"
                };
                if !ok {
                    failures.push(format!(
                        "{} {path}: anonymous got {status} {loc}",
                        spec.method
                    ));
                }
            }
            for (role, u) in &users {
                let kind = if api { "api" } else { "web" };
                let session = app.session(u, kind).await;
                let (status, loc) = call(&app, &spec.method, &path, Some(&session)).await;
                cells.push(format!("{role}={status}"));
                let expect = match spec.access {
                    Access::Public => "not 401/403",
                    Access::Pending => "redirect home",
                    Access::Staff => "not 401/403",
                    // The hub's routes also need an organisation of kind `reporting_hub`
                    // (checked in the core); "Own Org" is an NGO, so its hub officer is
                    // refused too. `hub.rs` tests the officer of a hub.
                    Access::Perm(
                        haven_core::Permission::HubReportRead
                        | haven_core::Permission::HubReportWrite
                        | haven_core::Permission::HubConfigure,
                    ) => "403",
                    Access::Perm(p) if !role.permissions().contains(&p) => "403",
                    Access::Perm(_) if *variant == "other" => "404",
                    Access::Perm(_) => "not 401/403/404",
                };
                let ok = match expect {
                    "not 401/403" => status != 401 && status != 403 && status < 500,
                    "redirect home" => status == 303 && loc == "/staff/",
                    "403" => status == 403,
                    "404" => status == 404,
                    _ => ![401, 403, 404].contains(&status) && status < 500,
                };
                if !ok {
                    failures.push(format!(
                        "{} {path} as {role}: expected {expect}, got {status}",
                        spec.method
                    ));
                }
            }
            lines.push(format!(
                "{} {} [{variant}] {:?} | {}",
                spec.method,
                spec.path,
                spec.access,
                cells.join(" ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "authorization failures:\n{}",
        failures.join("\n")
    );

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/authz_matrix.txt");
    let current = lines.join("\n") + "\n";
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(path, &current).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != current {
        let committed_lines: std::collections::BTreeSet<&str> = committed.lines().collect();
        let diff: Vec<&str> = current
            .lines()
            .filter(|l| !committed_lines.contains(l))
            .collect();
        panic!(
            "the authorization matrix changed; review and run with UPDATE_SNAPSHOTS=1:\n{}",
            diff.join("\n")
        );
    }
}

/// A programme, a case of each organisation, and a procedure, goal and appointment of the
/// own case, for the casework routes.
async fn casework_objects(
    app: &TestApp,
    own: &haven_core::Actor,
    other: &haven_core::Actor,
    own_person: haven_core::ids::PersonId,
    other_person: haven_core::ids::PersonId,
) -> (String, String, String, [(&'static str, String); 3]) {
    use haven_core::cases::{self, programmes};
    let p = programmes::create(
        &app.ctx,
        &haven_core::Actor::system(),
        &programmes::ProgrammeInput {
            name: Some("Matrix programme".into()),
            target_group: Some("Everyone".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let open = |person: haven_core::ids::PersonId| cases::OpenInput {
        person_id: Some(person.to_string()),
        programme_id: Some(p.id.to_string()),
        ..Default::default()
    };
    let own_case = cases::open_case(&app.ctx, own, &open(own_person))
        .await
        .unwrap()
        .id;
    let other_case = cases::open_case(&app.ctx, other, &open(other_person))
        .await
        .unwrap()
        .id;
    let procedure = cases::ProcedureInput {
        kind: Some("other".into()),
        ..Default::default()
    };
    let goal = cases::GoalInput {
        title: Some("Matrix goal".into()),
        domain: Some("language".into()),
        ..Default::default()
    };
    let appointment = cases::AppointmentInput {
        title: Some("Matrix appointment".into()),
        due_on: Some("2030-01-01".into()),
        ..Default::default()
    };
    let ctx = &app.ctx;
    let pid = cases::add_procedure(ctx, own, own_case, &procedure)
        .await
        .unwrap();
    let gid = cases::add_goal(ctx, own, own_case, &goal).await.unwrap();
    let aid = cases::add_appointment(ctx, own, own_case, &appointment)
        .await
        .unwrap();
    (
        own_case.to_string(),
        other_case.to_string(),
        p.id.to_string(),
        [
            ("{pid}", pid.to_string()),
            ("{gid}", gid.to_string()),
            ("{aid}", aid.to_string()),
        ],
    )
}

/// A published topic page (slug `matrix`) and a story with English text for the content
/// routes.
async fn content_object(app: &TestApp) -> String {
    use haven_core::content::{self, ItemInput, TextInput};
    let editor = haven_core::Actor {
        roles: vec![Role::Editor],
        ..haven_core::Actor::system()
    };
    let text = TextInput {
        title: "Matrix".into(),
        summary: "Matrix".into(),
        body: "Matrix".into(),
    };
    // An item with the English text above.
    let item = |input: ItemInput| {
        let (ctx, editor, text) = (&app.ctx, &editor, &text);
        async move {
            let id = content::create(ctx, editor, &input).await.unwrap();
            content::save(ctx, editor, id, "en", text).await.unwrap();
            id
        }
    };
    let page = item(ItemInput {
        kind: "page".into(),
        slug: "matrix".into(),
        section: "options".into(),
        ..Default::default()
    })
    .await;
    content::review(&app.ctx, &editor, page, "en")
        .await
        .unwrap();
    content::publish(&app.ctx, &editor, page, "en")
        .await
        .unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let story = item(ItemInput {
        kind: "story".into(),
        slug: "matrix".into(),
        speaker: Some("Matrix".into()),
        consent_on: Some(today.to_string()),
        expires_on: Some((today + time::Duration::days(30)).to_string()),
        ..Default::default()
    })
    .await;
    story.to_string()
}

#[test]
fn no_route_or_role_serves_immigration_enforcement() {
    for (spec, _) in haven_web::route_table() {
        let p = spec.path.to_lowercase();
        for word in ["enforcement", "immigration", "deport", "removal", "export"] {
            assert!(!p.contains(word), "{} mentions {word}", spec.path);
        }
    }
    for role in Role::ALL {
        assert!(!role.as_str().contains("enforcement") && !role.as_str().contains("immigration"));
    }
    // Analysts see aggregates only, the police liaison nothing of persons.
    use haven_core::Permission::*;
    for p in [
        PersonRead,
        PersonSearch,
        PersonRegister,
        PersonUpdate,
        PersonErase,
    ] {
        assert!(!Role::Analyst.permissions().contains(&p));
        assert!(!Role::PoliceLiaison.permissions().contains(&p));
    }
}

/// A site operated by the own organisation, a stay of the own case there, a waiting-list
/// entry and a pending extension request, for the shelter routes.
async fn shelter_objects(
    app: &TestApp,
    org: haven_core::ids::OrgId,
    own_case: &str,
    person: haven_core::ids::PersonId,
) -> Vec<(&'static str, String)> {
    use haven_core::shelters;
    let site = shelters::create_site(
        &app.ctx,
        &haven_core::Actor::system(),
        &shelters::SiteInput {
            name: Some("Matrix site".into()),
            neighbourhood: Some("Centre".into()),
            capacity: Some("3".into()),
            operator_org: Some(org.to_string()),
            target_group: Some("Everyone".into()),
            active: Some(true),
        },
    )
    .await
    .unwrap()
    .id
    .to_string();
    let place: String = app
        .scalar(
            "SELECT id FROM shelter_places WHERE site_id = $1 AND label = '1'",
            &site,
        )
        .await;
    let placement = PlacementId::new();
    sqlx::query(
        "INSERT INTO placements (id, case_id, person_id, site_id, place_id, admitted_on, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, '2026-01-01', 'matrix', 0)",
    )
    .bind(placement)
    .bind(own_case)
    .bind(person)
    .bind(&site)
    .bind(&place)
    .execute(&app.ctx.db.pool)
    .await
    .unwrap();
    let waiting = WaitingId::new();
    sqlx::query(
        "INSERT INTO waiting_list (id, case_id, priority, referral_source, added_at, status) \
         VALUES ($1, $2, 2, 'Matrix', 0, 'waiting')",
    )
    .bind(waiting)
    .bind(own_case)
    .execute(&app.ctx.db.pool)
    .await
    .unwrap();
    let request = ExtensionId::new();
    let mut conn = app.ctx.db.pool.acquire().await.unwrap();
    let key = haven_core::people::data_key(&app.ctx, &mut conn, person)
        .await
        .unwrap();
    let sealed = key.seal(b"Matrix", format!("stay_extension:{request}").as_bytes());
    sqlx::query(
        "INSERT INTO stay_extension_requests (id, placement_id, new_until, sealed, \
         requested_by, requested_at, status) VALUES ($1, $2, '2027-01-01', $3, 'matrix', 0, \
         'pending')",
    )
    .bind(request)
    .bind(placement)
    .bind(sealed)
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    // A free place of the site: freeing it passes the access check and finds no stay (409),
    // so the stay above stays for the routes after it.
    let free_place: String = app
        .scalar(
            "SELECT id FROM shelter_places WHERE site_id = $1 AND label = '2'",
            &site,
        )
        .await;
    vec![
        ("/shelters/places/{id}", free_place),
        ("/shelters/sites/{id}", site.clone()),
        ("/shelters/{id}", site.clone()),
        ("/shelter-sites/{id}", site),
        ("/placements/{id}", placement.to_string()),
        ("/waiting-list/{id}", waiting.to_string()),
        ("/extension-requests/{id}", request.to_string()),
    ]
}

/// A referral from the other organisation to the own one (open), and a consent and a
/// referral of the own organisation to the other one, for the referral routes.
async fn referral_objects(
    app: &TestApp,
    own: &haven_core::Actor,
    other: &haven_core::Actor,
    own_person: haven_core::ids::PersonId,
    other_person: haven_core::ids::PersonId,
) -> Vec<(&'static str, String)> {
    use haven_core::referrals::{self, ReferInput};
    let (Some(own_org), Some(other_org)) = (own.org_id, other.org_id) else {
        panic!("staff actors");
    };
    let mut out = Vec::new();
    for (actor, person, to, fragment) in [
        (other, other_person, own_org, "/referrals/received/{id}"),
        (own, own_person, other_org, "/referrals/{id}"),
    ] {
        let service = app.dir_service(to, "Matrix service").await;
        let consent = referrals::record_consent(
            &app.ctx,
            actor,
            person,
            &app.consent_input(to, "legal_advice", 60, false),
        )
        .await
        .unwrap();
        let referral = referrals::refer(
            &app.ctx,
            actor,
            &ReferInput {
                consent_id: Some(consent.id.to_string()),
                service_id: Some(service),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        out.push((fragment, referral.to_string()));
        if to == other_org {
            out.push(("/consents/{id}", consent.id.to_string()));
        }
    }
    out
}

/// A directory organisation kept by the own organisation, with a published service that
/// has a draft waiting for review.
async fn directory_objects(app: &TestApp, org: haven_core::ids::OrgId) -> String {
    use haven_core::directory::{self, form::EntryInput, review, Kind};
    let sys = haven_core::Actor::system();
    let ctx = &app.ctx;
    let o = EntryInput {
        source_lang: "en".into(),
        name: "Matrix Clinic".into(),
        description: "A clinic.".into(),
        ..Default::default()
    };
    let dir_org = review::save(ctx, &sys, Kind::Organization, None, &o)
        .await
        .unwrap();
    review::approve(ctx, &sys, Kind::Organization, &dir_org)
        .await
        .unwrap();
    directory::link_network_org(ctx, &sys, &dir_org, Some(org))
        .await
        .unwrap();
    let mut s = EntryInput {
        organization_id: dir_org,
        source_lang: "en".into(),
        name: "Matrix service".into(),
        status: "active".into(),
        ..Default::default()
    };
    let id = review::save(ctx, &sys, Kind::Service, None, &s)
        .await
        .unwrap();
    review::approve(ctx, &sys, Kind::Service, &id)
        .await
        .unwrap();
    s.description = "Changed.".into();
    review::save(ctx, &sys, Kind::Service, Some(&id), &s)
        .await
        .unwrap();
    id
}
