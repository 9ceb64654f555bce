//! The services directory: the public HSDS API (every response validated against the
//! official compiled HSDS 3.0 schemas with extra properties forbidden), import of the
//! official examples (JSON and the CSV data package) with its report, the round trip
//! through export, drafts and publication, confidential locations and languages.

use crate::helpers::*;
use haven_core::directory::{self, export, hsds, import, Entry, Kind};
use haven_core::Actor;
use serde_json::{json, Value};
use std::path::PathBuf;

/// The files of the standard the tests use, copied beside them with their licence (see
/// `tests/standards/hsds-3.0.1/README.md`).
fn standard() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/standards/hsds-3.0.1")
}

fn load(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(standard().join(rel)).unwrap()).unwrap()
}

/// Forbids extra properties in every object schema that lists its properties: HSDS
/// output must use HSDS fields only.
fn strict(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if o.get("properties").is_some_and(Value::is_object) {
                o.insert("additionalProperties".into(), Value::Bool(false));
            }
            for x in o.values_mut() {
                strict(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strict),
        _ => {}
    }
}

/// Replaces `{"$ref": "x.json"}` with the schema in `schema/x.json` (the uncompiled
/// taxonomy schemas refer to their neighbours).
fn inline_refs(v: &mut Value, depth: usize) {
    assert!(depth < 10, "$ref too deep");
    match v {
        Value::Object(o) => {
            if let Some(r) = o.remove("$ref").and_then(|r| r.as_str().map(str::to_owned)) {
                let mut target = load(&format!("schema/{r}"));
                inline_refs(&mut target, depth + 1);
                for (k, x) in target.as_object().unwrap() {
                    o.entry(k.clone()).or_insert(x.clone());
                }
            }
            for x in o.values_mut() {
                inline_refs(x, depth);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| inline_refs(x, depth)),
        _ => {}
    }
}

/// The schema of one kind of HSDS object. Taxonomies and terms have no compiled schema;
/// their one `$ref` is resolved here.
pub(crate) fn schema(name: &str) -> Value {
    let mut s = match name {
        "taxonomy" | "taxonomy_term" => load(&format!("schema/{name}.json")),
        other => load(&format!("schema/compiled/{other}.json")),
    };
    inline_refs(&mut s, 0);
    strict(&mut s);
    s
}

/// The HSDS Page object around items of `item` (from the HSDS OpenAPI description).
pub(crate) fn page_schema(item: &str) -> Value {
    let openapi = load("schema/openapi.json");
    let mut page = openapi["components"]["schemas"]["Page"].clone();
    page["properties"]["contents"] = json!({"type": "array", "items": schema(item)});
    page["required"] = json!([
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents"
    ]);
    page["additionalProperties"] = json!(false);
    page
}

#[track_caller]
fn assert_valid(schema: &Value, v: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid HSDS:\n{}",
        errors.join("\n")
    );
}

/// GETs an HSDS path, checks 200 and validates the body against `schema`.
pub(crate) async fn get_valid(app: &TestApp, path: &str, schema: &Value) -> Value {
    let r = app.fetch(path).await;
    assert_eq!(r.status(), 200, "{path}");
    assert!(r.headers().get("etag").is_some(), "{path} has no ETag");
    let v: Value = r.json().await.unwrap();
    assert_valid(schema, &v, path);
    v
}

/// A page of services for a query string (`?…` or empty), validated.
pub(crate) async fn services(app: &TestApp, query: &str) -> Value {
    let path = format!("/api/hsds/services{query}");
    get_valid(app, &path, &page_schema("service_list")).await
}

/// An administrator of the municipality, as the core's actor.
async fn municipal_admin(app: &TestApp) -> Actor {
    let u = app
        .user("Municipal Social Affairs", &["administrator"])
        .await;
    Actor::staff(u.id, u.org, vec![haven_core::Role::Administrator])
}

async fn import_examples(app: &TestApp) -> import::Report {
    let admin = app
        .user("Municipal Social Affairs", &["administrator"])
        .await;
    let token = app.token(&admin).await;
    let mut report = import::Report::default();
    for f in [
        "organization_full.json",
        "service_full.json",
        "service_at_location_full.json",
    ] {
        let body = std::fs::read_to_string(standard().join("examples").join(f)).unwrap();
        let (status, one) = app
            .post_raw(&token, "/api/v1/directory/import", &body, &[])
            .await;
        assert_eq!(status, 200, "import {f}");
        assert_eq!(one["rejected"], json!([]), "{f}: {one}");
        for (k, n) in one["imported"].as_object().unwrap() {
            *report.imported.entry(k.clone()).or_default() += n.as_u64().unwrap() as usize;
        }
    }
    report
}

/// Every field of `want` is in `got` with the same value (arrays matched by id); `got`
/// may add only the link fields Haven fills in from the nesting.
#[track_caller]
fn assert_covers(want: &Value, got: &Value, path: &str) {
    const LINKS: &[&str] = &[
        "organization_id",
        "service_id",
        "location_id",
        "link_id",
        "metadata",
        "organization",
    ];
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let gv = g.get(k).unwrap_or_else(|| panic!("{path}.{k} was lost"));
                assert_covers(wv, gv, &format!("{path}.{k}"));
            }
            for k in g.keys() {
                assert!(
                    w.contains_key(k) || LINKS.contains(&k.as_str()) || g[k] == json!([]),
                    "{path}.{k} was added"
                );
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            assert_eq!(w.len(), g.len(), "{path}: number of items");
            for (i, wv) in w.iter().enumerate() {
                let gv = match wv.get("id") {
                    Some(id) => g
                        .iter()
                        .find(|x| x.get("id") == Some(id))
                        .unwrap_or_else(|| panic!("{path}[{id}] was lost")),
                    None => &g[i],
                };
                assert_covers(wv, gv, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            assert_eq!(a.as_f64(), b.as_f64(), "{path}");
        }
        _ => assert_eq!(want, got, "{path}"),
    }
}

#[tokio::test]
async fn every_hsds_response_is_valid_against_the_official_schemas() {
    let app = TestApp::spawn().await;
    let report = import_examples(&app).await;
    assert!(report.imported["organization"] >= 1 && report.imported["service"] >= 1);
    let org = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
    let service = "ac148810-d857-441c-9679-408f346de14b";
    let sal = "e94c9f38-1e8f-4564-91d4-d53501ab1765";

    let root = get_valid(
        &app,
        "/api/hsds/",
        &json!({"type": "object", "required": ["version", "profile"]}),
    )
    .await;
    assert_eq!(root["version"], "3.0");
    assert!(root["profile"]
        .as_str()
        .unwrap()
        .ends_with("/api/hsds/profile"));
    let profile = app.fetch("/api/hsds/profile").await;
    assert!(profile
        .text()
        .await
        .unwrap()
        .contains("confidential-location"));

    let list = services(&app, "").await;
    assert_eq!(list["total_items"], 1);
    let full = get_valid(
        &app,
        &format!("/api/hsds/services/{service}"),
        &schema("service"),
    )
    .await;
    let org_full = get_valid(
        &app,
        &format!("/api/hsds/organizations/{org}?full_service=true"),
        &schema("organization"),
    )
    .await;
    let terms = get_valid(
        &app,
        "/api/hsds/taxonomy_terms",
        &page_schema("taxonomy_term"),
    )
    .await;
    assert!(terms["total_items"].as_i64().unwrap() >= 1);
    let term_id = terms["contents"][0]["id"].as_str().unwrap().to_owned();
    let taxonomies = get_valid(&app, "/api/hsds/taxonomies", &page_schema("taxonomy")).await;
    let tax_id = taxonomies["contents"][0]["id"].as_str().unwrap().to_owned();
    // Every other route and form, each against its schema (a page of items, or one item).
    let page = |path: &str, item| (path.to_owned(), page_schema(item));
    let one = |path: String, item| (path, schema(item));
    for (path, schema) in [
        page("/api/hsds/services?full=true&per_page=5", "service"),
        page(
            "/api/hsds/services?search=counselling&page=1&per_page=1",
            "service_list",
        ),
        page(
            &format!("/api/hsds/services?organization_id={org}&modified_after=2020-01-01"),
            "service_list",
        ),
        page("/api/hsds/organizations", "organization_list"),
        page("/api/hsds/organizations?full=true", "organization"),
        page(
            "/api/hsds/organizations?full_service=true&search=example",
            "organization",
        ),
        page("/api/hsds/service_at_locations", "service_at_location_list"),
        page(
            "/api/hsds/service_at_locations?full=true",
            "service_at_location",
        ),
        one(
            format!("/api/hsds/service_at_locations/{sal}"),
            "service_at_location",
        ),
        one(
            format!("/api/hsds/taxonomy_terms/{term_id}"),
            "taxonomy_term",
        ),
        one(format!("/api/hsds/taxonomies/{tax_id}"), "taxonomy"),
        page(
            &format!("/api/hsds/taxonomy_terms?taxonomy_id={tax_id}&top_only=false"),
            "taxonomy_term",
        ),
        page(
            &format!("/api/hsds/services?taxonomy_term_id={term_id}"),
            "service_list",
        ),
    ] {
        get_valid(&app, &path, &schema).await;
    }

    // Round trip: what was imported comes back (see assert_covers for what may differ).
    let mut want = load("examples/service_full.json");
    // The nested organization of a service is the stored organization (the later import
    // of organization_full.json), so compare it with that file.
    want.as_object_mut().unwrap().remove("organization");
    assert_covers(&want, &full, "service");
    let want_org = load("examples/organization_full.json");
    assert_covers(&want_org, &org_full, "organization");
}

#[tokio::test]
async fn bad_parameters_are_refused_clearly_and_unknown_ids_are_404() {
    let app = TestApp::spawn().await;
    for q in [
        "page=0",
        "page=x",
        "per_page=1000",
        "per_page=-1",
        "full=maybe",
        "modified_after=yesterday",
        "lang=%3Cscript%3E",
        "language=1",
        "format=ndjson",
        "postcode=1011",
    ] {
        let r = app.fetch(&format!("/api/hsds/services?{q}")).await;
        assert_eq!(r.status(), 422, "{q}");
        let body: Value = r.json().await.unwrap();
        assert!(
            !body["fields"].as_array().unwrap().is_empty(),
            "{q}: {body}"
        );
    }
    let r = app.fetch("/api/hsds/services/nope").await;
    assert_eq!(r.status(), 404);
    let r = app.fetch("/api/hsds/organizations/%00").await;
    assert_eq!(r.status(), 404);
    // An empty directory is a valid empty page.
    let v = services(&app, "?page=3").await;
    assert_eq!(v["empty"], true);
    // ETag: the same answer again is 304.
    let r = app.fetch("/api/hsds/organizations").await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let r = app
        .fetch_with("/api/hsds/organizations", &[("if-none-match", &etag)])
        .await;
    assert_eq!(r.status(), 304);
    // The OpenAPI document of this API describes every HSDS route.
    let doc: Value = app
        .fetch("/api/hsds/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    for (spec, _) in haven_web::route_table() {
        if spec.path.starts_with("/api/hsds/")
            && !["/api/hsds/openapi.json", "/api/hsds/profile"].contains(&spec.path)
        {
            assert!(
                doc["paths"][spec.path]["get"].is_object(),
                "{} is not described",
                spec.path
            );
        }
    }
}

#[tokio::test]
async fn the_official_csv_package_imports_with_a_report_and_round_trips() {
    let app = TestApp::spawn().await;
    let data = import::read_path(&standard().join("examples/csv")).unwrap();
    let report = import::import(&app.ctx, &Actor::system(), data)
        .await
        .unwrap();
    // The four foreign keys of the official CSV that point nowhere are each reported
    // with file, row and field; the rows stay, without the broken link.
    let faults: Vec<(String, String)> = report
        .warnings
        .iter()
        .map(|i| (i.file.clone(), i.field.clone().unwrap()))
        .collect();
    for want in [
        ("taxonomy_terms.csv", "taxonomy_id"),
        ("contacts.csv", "organization_id"),
        ("contacts.csv", "service_at_location_id"),
        ("locations.csv", "organization_id"),
    ] {
        assert!(
            faults.contains(&(want.0.into(), want.1.into())),
            "{want:?} not reported: {report:?}"
        );
    }
    assert!(report.warnings.iter().all(|i| i.row == Some(2)));
    // The attribute and metadata rows link to nothing in the package: not imported.
    let rejected: Vec<&str> = report.rejected.iter().map(|i| i.file.as_str()).collect();
    assert_eq!(
        rejected,
        vec!["attributes.csv", "metadata.csv"],
        "{report:?}"
    );
    assert_eq!(report.imported["services.csv"], 1);

    // Export and compare every imported row, cell by cell (numbers as numbers, the
    // dropped links and the rejected rows left out).
    let tables = export::to_tables(&app.ctx).await.unwrap();
    let dir = app.data.join("export");
    export::write_csv_package(&tables, &dir).unwrap();
    let back = match import::read_path(&dir).unwrap() {
        import::Dataset::Tables(t, _) => t,
        _ => unreachable!(),
    };
    let original = match import::read_path(&standard().join("examples/csv")).unwrap() {
        import::Dataset::Tables(t, _) => t,
        _ => unreachable!(),
    };
    for (table, rows) in &original {
        if ["attributes", "metadata", "meta_table_descriptions"].contains(&table.as_str()) {
            continue;
        }
        for (line, row) in rows {
            let id = row["id"].as_str().unwrap();
            let got = back
                .get(table)
                .and_then(|r| r.iter().find(|(_, x)| x["id"] == row["id"]))
                .unwrap_or_else(|| panic!("{table} {id} was lost"));
            for (k, v) in row {
                let dropped = report.warnings.iter().any(|w| {
                    w.file == format!("{table}.csv")
                        && w.row == Some(*line)
                        && w.field.as_deref() == Some(k)
                });
                if dropped {
                    continue;
                }
                let g = got.1.get(k).unwrap_or_else(|| panic!("{table}.{k} lost"));
                let same = v == g
                    || v.as_str().and_then(|a| a.parse::<f64>().ok())
                        == g.as_str().and_then(|b| b.parse::<f64>().ok())
                        && v.as_str().is_some_and(|a| a.parse::<f64>().is_ok());
                assert!(same, "{table}.{k}: {v} became {g}");
            }
        }
    }
    // The tabular.json form imports the same way.
    let data = import::read_path(&standard().join("examples/tabular.json")).unwrap();
    let report = import::import(&app.ctx, &Actor::system(), data)
        .await
        .unwrap();
    assert_eq!(report.imported["services.csv"], 1);
}

/// Saves an English entry as a draft and publishes it at once.
async fn publish(app: &TestApp, admin: &Actor, kind: Kind, v: Value) {
    let id = v["id"].as_str().unwrap().to_owned();
    directory::save_draft(&app.ctx, admin, kind, &Entry::new(v, "en"))
        .await
        .unwrap();
    directory::publish(&app.ctx, admin, kind, &id)
        .await
        .unwrap();
}

fn entry(v: Value, lang: &str, tr: &[(&str, &str, &str)]) -> Entry {
    let mut e = Entry::new(v, lang);
    for (l, f, t) in tr {
        e.translations
            .entry((*l).into())
            .or_default()
            .insert((*f).into(), (*t).into());
    }
    e
}

#[tokio::test]
async fn drafts_stay_private_until_published_and_shelters_stay_hidden() {
    let app = TestApp::spawn().await;
    let admin = municipal_admin(&app).await;
    let org_id = "0b9a3c1e-0000-4000-8000-000000000001";
    let loc_id = "0b9a3c1e-0000-4000-8000-000000000002";
    let svc_id = "0b9a3c1e-0000-4000-8000-000000000003";
    directory::save_draft(
        &app.ctx,
        &admin,
        Kind::Organization,
        &entry(
            json!({
        "id": org_id, "name": "Safe House", "description": "Shelter for women"}),
            "en",
            &[
                ("fr", "name", "Maison sûre"),
                ("fr", "description", "Refuge pour femmes"),
            ],
        ),
    )
    .await
    .unwrap();
    let v = get_valid(
        &app,
        "/api/hsds/organizations",
        &page_schema("organization_list"),
    )
    .await;
    assert_eq!(v["total_items"], 0, "a draft is not public");
    directory::publish(&app.ctx, &admin, Kind::Organization, org_id)
        .await
        .unwrap();
    let mut loc = json!({"id": loc_id, "location_type": "physical", "name": "Shelter", "organization_id": org_id,
        "latitude": 52.1, "longitude": 4.3, "transportation": "Tram 5",
        "addresses": [{"id": "0b9a3c1e-0000-4000-8000-000000000004", "address_1": "Secret street 1", "city": "X",
            "state_province": "Y", "postal_code": "1000", "country": "NL", "address_type": "physical"}]});
    loc["attributes"] =
        json!([hsds::haven_attribute(loc_id, "location", "confidential-location").unwrap()]);
    directory::save_draft(&app.ctx, &admin, Kind::Location, &Entry::new(loc, "en"))
        .await
        .unwrap();
    // Not even the draft waiting for review keeps the address.
    let draft: Option<String> = app
        .scalar("SELECT draft FROM dir_locations WHERE id = $1", loc_id)
        .await;
    let draft = draft.expect("a draft");
    assert!(draft.contains("Shelter"), "{draft}");
    for secret in ["Secret street", "Tram 5", "52.1"] {
        assert!(!draft.contains(secret), "{secret} in the draft: {draft}");
    }
    directory::publish(&app.ctx, &admin, Kind::Location, loc_id)
        .await
        .unwrap();
    let svc = json!({"id": svc_id, "name": "Emergency shelter", "status": "active", "organization_id": org_id,
        "description": "Beds for women",
        "languages": [{"id": "0b9a3c1e-0000-4000-8000-000000000005", "code": "ti", "name": "Tigrinya"}],
        "attributes": [hsds::haven_attribute(svc_id, "service", "no-documents-needed").unwrap()],
        "service_at_locations": [{"id": "0b9a3c1e-0000-4000-8000-000000000006", "location_id": loc_id}]});
    directory::save_draft(
        &app.ctx,
        &admin,
        Kind::Service,
        &entry(
            svc,
            "en",
            &[
                ("fr", "name", "Hébergement d'urgence"),
                ("ar", "name", "مأوى طوارئ"),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(directory::pending(&app.ctx, &admin).await.unwrap().len(), 1);
    directory::publish(&app.ctx, &admin, Kind::Service, svc_id)
        .await
        .unwrap();
    directory::mark_checked(&app.ctx, &admin, Kind::Service, svc_id)
        .await
        .unwrap();

    // Languages: French where translated, English otherwise; search in any language.
    let v = services(&app, "?lang=fr&search=urgence").await;
    assert_eq!(v["contents"][0]["name"], "Hébergement d'urgence");
    assert_eq!(v["contents"][0]["description"], "Beds for women");
    assert_eq!(v["contents"][0]["organization"]["name"], "Maison sûre");
    // Arabic by its own words; a search that folds to no word (one letter, in any
    // script) matches nothing, not everything.
    let v = services(&app, "?lang=ar&search=%D9%85%D8%A3%D9%88%D9%89").await;
    assert_eq!(v["total_items"], 1, "{v}");
    assert_eq!(v["contents"][0]["name"], "مأوى طوارئ");
    for nothing in ["a", "%D8%A3", "%20.%20"] {
        let v = services(&app, &format!("?search={nothing}")).await;
        assert_eq!(v["total_items"], 0, "search={nothing}: {v}");
    }
    let v = services(&app, "?search=").await;
    assert_eq!(v["total_items"], 1, "an empty search is no search");
    let v = services(&app, "?language=ti").await;
    assert_eq!(v["total_items"], 1);
    let v = services(&app, "?language=ar").await;
    assert_eq!(v["total_items"], 0);
    let no_docs = hsds::haven_term_id("no-documents-needed").unwrap();
    let v = services(&app, &format!("?taxonomy_term_id={no_docs}")).await;
    assert_eq!(v["total_items"], 1);
    let v = services(&app, &format!("?taxonomy_id={}", hsds::HAVEN_TAXONOMY_ID)).await;
    assert_eq!(v["total_items"], 1);

    // The confidential address is nowhere: not in any response, not in the database.
    let full = get_valid(
        &app,
        &format!("/api/hsds/services/{svc_id}"),
        &schema("service"),
    )
    .await;
    assert_eq!(full["metadata"][0]["last_action_type"], "verified");
    let everything = [
        full.to_string(),
        get_valid(
            &app,
            &format!("/api/hsds/organizations/{org_id}?full_service=true"),
            &schema("organization"),
        )
        .await
        .to_string(),
        get_valid(
            &app,
            "/api/hsds/service_at_locations?full=true",
            &page_schema("service_at_location"),
        )
        .await
        .to_string(),
        get_valid(
            &app,
            "/api/hsds/service_at_locations",
            &page_schema("service_at_location_list"),
        )
        .await
        .to_string(),
        export::to_json(&app.ctx).await.unwrap().to_string(),
        format!("{:?}", export::to_tables(&app.ctx).await.unwrap()),
    ];
    for text in everything {
        assert!(text.contains("Shelter"));
        for secret in ["Secret street", "52.1", "Tram 5"] {
            assert!(!text.contains(secret), "{secret} leaked");
        }
    }
    let stored: String = app
        .scalar("SELECT hsds FROM dir_locations WHERE id = $1", loc_id)
        .await;
    assert!(!stored.contains("Secret street"));

    // A partner organisation's staff may draft only their own organisation's entries.
    let partner = app.user("Legal Aid Collective", &["partner_staff"]).await;
    let partner = Actor::staff(
        partner.id,
        partner.org,
        vec![haven_core::Role::PartnerStaff],
    );
    let r = directory::save_draft(
        &app.ctx,
        &partner,
        Kind::Organization,
        &entry(
            json!({"id": org_id, "name": "Mine now", "description": ""}),
            "en",
            &[],
        ),
    )
    .await;
    assert!(matches!(r, Err(haven_core::Error::Forbidden)));
    assert!(matches!(
        directory::publish(&app.ctx, &partner, Kind::Organization, org_id).await,
        Err(haven_core::Error::Forbidden)
    ));
    directory::link_network_org(&app.ctx, &admin, org_id, Some(partner.org_id.unwrap()))
        .await
        .unwrap();
    directory::save_draft(
        &app.ctx,
        &partner,
        Kind::Organization,
        &entry(
            json!({"id": org_id, "name": "Safe House (new name)", "description": "Shelter"}),
            "en",
            &[],
        ),
    )
    .await
    .unwrap();
    let v = get_valid(
        &app,
        &format!("/api/hsds/organizations/{org_id}"),
        &schema("organization"),
    )
    .await;
    assert_eq!(v["name"], "Safe House", "the change waits for review");
}

#[tokio::test]
async fn the_command_line_imports_and_exports_both_forms() {
    let app = TestApp::spawn().await;
    let out = app.haven(&[
        "directory",
        "import",
        standard().join("examples/csv").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("locations.csv row 2") && text.contains("organization_id"),
        "{text}"
    );
    let json_out = app.data.join("dir.json");
    let out = app.haven(&[
        "directory",
        "export",
        "--format",
        "json",
        json_out.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();
    for org in v.as_array().unwrap() {
        assert_valid(&schema("organization"), org, "exported organization");
    }
    let csv_out = app.data.join("csv");
    let out = app.haven(&[
        "directory",
        "export",
        "--format",
        "csv",
        csv_out.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(csv_out.join("datapackage.json").exists() && csv_out.join("services.csv").exists());
    let out = app.haven(&["directory", "import", json_out.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_demo_directory_is_large_multilingual_valid_and_keeps_the_shelter_secret() {
    let app = TestApp::spawn().await;
    haven::demo::seed_if_empty(&app.ctx, 3, 0, 0).await.unwrap();
    let orgs = get_valid(
        &app,
        "/api/hsds/organizations?per_page=200",
        &page_schema("organization_list"),
    )
    .await;
    assert!(orgs["total_items"].as_i64().unwrap() >= 50);
    let linked = app
        .count("dir_organizations WHERE haven_org_id IS NOT NULL")
        .await;
    let network = app
        .count("organisations WHERE kind NOT IN ('police_liaison', 'policy_unit', 'reporting_hub')")
        .await;
    assert_eq!(
        linked, network,
        "every network organisation that takes people in is in the directory"
    );
    let ar = get_valid(
        &app,
        "/api/hsds/services?lang=ar&full=true&per_page=200",
        &page_schema("service"),
    )
    .await;
    assert!(ar["total_items"].as_i64().unwrap() >= 50);
    assert!(ar["contents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| !s["name"].as_str().unwrap().is_ascii()));
    let ti = services(&app, "?language=ti&lang=ti").await;
    assert!(ti["total_items"].as_i64().unwrap() >= 1);
    let sals = get_valid(
        &app,
        "/api/hsds/service_at_locations?full=true&per_page=200",
        &page_schema("service_at_location"),
    )
    .await;
    let confidential: Vec<&Value> = sals["contents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["location"]["attributes"]
                .to_string()
                .contains("confidential-location")
        })
        .collect();
    assert!(!confidential.is_empty());
    for s in confidential {
        assert!(
            s["location"].get("addresses").is_none() && s["location"].get("latitude").is_none()
        );
    }
}

/// The public lists are kept, compressed, per query string: a repeated question is answered
/// from memory (a change made behind the directory's back is not seen), a publish is seen
/// at once, and a kept answer is dropped after a minute in any case. The ETag still holds.
#[tokio::test]
async fn hsds_lists_are_kept_until_a_publish_or_a_minute() {
    let app = TestApp::spawn().await;
    let admin = municipal_admin(&app).await;
    let org_id = "0b9a3c1e-0000-4000-8000-0000000000a1";
    let svc_id = "0b9a3c1e-0000-4000-8000-0000000000a2";
    let path = "/api/hsds/services?search=zebra&lang=en";
    let schema = page_schema("service_list");
    let names = |v: &Value| -> Vec<String> {
        v["contents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(names(&get_valid(&app, path, &schema).await).is_empty());

    // A publish is seen at once.
    let org = json!({"id": org_id, "name": "Crossing", "description": "Help"});
    publish(&app, &admin, Kind::Organization, org).await;
    let svc = json!({"id": svc_id, "name": "Zebra help desk", "status": "active",
        "organization_id": org_id, "description": "Advice on zebra crossings"});
    publish(&app, &admin, Kind::Service, svc).await;
    let first = get_valid(&app, path, &schema).await;
    assert_eq!(names(&first), ["Zebra help desk"]);

    // Changed behind the directory's back: the kept answer is still served, with the same
    // ETag, and a client holding it gets 304.
    app.exec(
        "UPDATE dir_services SET hsds = REPLACE(hsds, 'Zebra help desk', 'Renamed desk')",
        &[],
    )
    .await;
    let r = app.fetch(path).await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(names(&r.json().await.unwrap()), ["Zebra help desk"]);
    let r = app.fetch_with(path, &[("if-none-match", &etag)]).await;
    assert_eq!(r.status(), 304);
    // Compressed as kept.
    let r = app.fetch_with(path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert_eq!(r.headers()["content-type"], "application/json");
    // Another query string is another answer, made afresh.
    let other = get_valid(&app, &format!("{path}&per_page=5"), &schema).await;
    assert_eq!(names(&other), ["Renamed desk"]);

    // After a minute the kept answer is made afresh.
    app.clock.advance(61);
    assert_eq!(
        names(&get_valid(&app, path, &schema).await),
        ["Renamed desk"]
    );

    // Marking an entry checked changes the published entry ("last checked" is HSDS
    // metadata), so it moves the generation like a publish.
    let generation = directory::generation();
    directory::mark_checked(&app.ctx, &admin, Kind::Service, svc_id)
        .await
        .unwrap();
    assert!(directory::generation() > generation);
}

/// Several Haven servers on one PostgreSQL database: what one publishes, the others'
/// caches drop at once (their rendered answers have no timer). SQLite is one server per
/// file, so there is nothing to show there.
#[tokio::test]
async fn a_publish_on_one_server_is_seen_on_another_at_once() {
    let app = TestApp::spawn().await;
    if !app.is_postgres() {
        return;
    }
    let org = |name: &str| {
        let id = hsds::derived_uuid(&format!("two-servers:{name}"));
        let v = json!({"id": id, "name": name, "description": "A desk."});
        (id, Entry::new(v, "en"))
    };
    let (first, first_org) = org("First desk");
    directory::publish_entries(
        &app.ctx,
        &Actor::system(),
        vec![(Kind::Organization, first_org)],
    )
    .await
    .unwrap();
    let (mut other, base) = app
        .serve(
            "warn",
            std::process::Stdio::null(),
            std::process::Stdio::null(),
        )
        .await;
    let list = |base: String| async move {
        reqwest::get(format!("{base}/api/hsds/organizations"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    // The other server answers from its cache from now on.
    assert!(list(base.clone()).await.contains(&first));
    assert!(list(base.clone()).await.contains(&first));
    let (second, second_org) = org("Second desk");
    directory::publish_entries(
        &app.ctx,
        &Actor::system(),
        vec![(Kind::Organization, second_org)],
    )
    .await
    .unwrap();
    let mut seen = false;
    for _ in 0..40 {
        if list(base.clone()).await.contains(&second) {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = other.kill();
    assert!(
        seen,
        "the other server still serves the directory before the publish"
    );
}
